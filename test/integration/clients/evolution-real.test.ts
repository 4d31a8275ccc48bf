import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { applyFix, undoFix } from '../../../electron/engine/fix-catalog.ts';
import { readAccounts } from '../../../electron/clients/service.ts';
import { exited, killGroup } from '../../support/child.ts';
import { until } from '../../support/until.ts';
import { copyFixtureHome, fixtureContext, noClientsRunning } from '../../support/clients/context.ts';

// Acceptance test with the real client's backend: Debian's evolution-data-server (evolution-data-server, dbus-daemon
// and dbus-bin in .ci/apt-packages.txt). Its source registry, the process that owns Evolution's account files, loads
// every ~/.config/evolution/sources/*.source on a private session bus, parses each into its typed extensions
// (a Port that is not a number becomes Port=0), writes the file back from what it parsed and exports the re-serialized
// key file as the D-Bus property Data. After MailMedic's fix, that Data must still say port 587 and STARTTLS.

const REGISTRY = '/usr/libexec/evolution-source-registry';
const LIST_SOURCES = '/usr/libexec/evolution-data-server/list-sources'; // EDS's client-side view of the sources
const has = (cmd: string) => spawnSync('sh', ['-c', 'command -v "$0"', cmd]).status === 0;
const hasEds = fs.existsSync(REGISTRY) && fs.existsSync(LIST_SOURCES) && has('dbus-daemon') && has('dbus-send');
if (!hasEds) console.warn('SKIPPED evolution-real: needs evolution-data-server, `dbus-daemon` and `dbus-send` (apt-get install evolution-data-server dbus-daemon dbus-bin)');

const ACCOUNT = '1511365634.2868.3@myhost';
const TRANSPORT = '1511365634.2868.5@myhost';
const FILE = `.config/evolution/sources/${TRANSPORT}.source`;
const MANAGER = '/org/gnome/evolution/dataserver/SourceManager';

const started: ChildProcess[] = [];
afterAll(() => started.forEach(killGroup));

/** One GLib key-file group as a map (enough for the flat .source files). */
function group(text: string, name: string): Map<string, string> {
  const m = new RegExp(`^\\[${name}\\]\\n([^[]*)`, 'm').exec(text);
  const kv = (m?.[1] ?? '').split('\n').map((l) => /^([^=#]+)=(.*)$/.exec(l)).filter((x) => x !== null);
  return new Map(kv.map((x) => [x[1]!, x[2]!]));
}

type Seen = { data: string; listed: string };

/**
 * Runs a private bus and the source registry on `home` (every XDG dir inside it), returns the transport source as the
 * registry exported it, and stops both. The bus config has no service directories, so nothing can be D-Bus-activated
 * (no dconf, no keyring daemon) and only the two processes started here ever run.
 */
async function registryView(home: string, whileRunning: () => Promise<void> = async () => {}): Promise<Seen> {
  const run = path.join(home, '.run');
  fs.mkdirSync(run, { mode: 0o700 });
  const socket = path.join(run, 'bus');
  fs.writeFileSync(
    path.join(run, 'bus.conf'),
    `<busconfig><type>session</type><listen>unix:path=${socket}</listen><auth>EXTERNAL</auth>` +
      '<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy></busconfig>\n',
  );
  const env = {
    PATH: process.env.PATH,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local/share'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    XDG_RUNTIME_DIR: run,
    TMPDIR: process.env.TMPDIR ?? '/tmp',
    GSETTINGS_BACKEND: 'memory', // no dconf database in the temp home, no dconf-service
    DBUS_SESSION_BUS_ADDRESS: `unix:path=${socket}`,
  };
  const send = (dest: string, obj: string, method: string, ...args: string[]) => {
    const r = spawnSync('dbus-send', ['--session', '--print-reply', `--dest=${dest}`, obj, method, ...args], { env, encoding: 'utf8', timeout: 5_000 });
    return r.status === 0 ? r.stdout : '';
  };

  const bus = spawn('dbus-daemon', ['--nofork', '--nopidfile', `--config-file=${path.join(run, 'bus.conf')}`], { env, stdio: 'ignore', detached: true });
  started.push(bus);
  await until(() => fs.existsSync(socket), 'the private session bus', 10_000);
  const registry = spawn(REGISTRY, [], { env, stdio: 'ignore', detached: true });
  started.push(registry);
  try {
    // The registry asks for org.gnome.evolution.dataserver.Sources<N> (N is the API version, 5 in Debian 12).
    let name = '';
    await until(() => {
      name = /org\.gnome\.evolution\.dataserver\.Sources\d+/.exec(send('org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus.ListNames'))?.[0] ?? '';
      return name !== '' || exited(registry);
    }, 'the source registry to own its bus name', 15_000);
    expect(exited(registry)).toBe(false);

    // The object path of the transport: the object whose UID property is the transport's file name.
    let objectPath = '';
    await until(() => {
      const objects = send(name, MANAGER, 'org.freedesktop.DBus.ObjectManager.GetManagedObjects').split('object path "').slice(1);
      const hit = objects.find((o) => new RegExp(`string "UID"\\s+variant\\s+string "${TRANSPORT.replace(/\./g, '\\.')}"`).test(o));
      objectPath = hit?.slice(0, hit.indexOf('"')) ?? '';
      return objectPath !== '';
    }, `the registry to export ${TRANSPORT}`, 10_000);
    expect(objectPath).toMatch(new RegExp(`^${MANAGER}/Source`));

    const reply = send(name, objectPath, 'org.freedesktop.DBus.Properties.Get', 'string:org.gnome.evolution.dataserver.Source', 'string:Data');
    const data = /\n\s*variant\s+string "([\s\S]*)"\n$/.exec(reply)?.[1] ?? ''; // dbus-send prints the string raw, unescaped
    // The registry writes back what it parsed (here: the empty [Authentication] Method becomes "none").
    await until(() => fs.readFileSync(path.join(home, FILE), 'utf8') === data, 'the registry to write the source back', 10_000);
    const list = spawnSync(LIST_SOURCES, ['--show-uid', '--show-authentication', '--machine-readable'], { env, encoding: 'utf8', timeout: 10_000 });
    expect(list.status).toBe(0);
    const listed = list.stdout.split('\n').find((l) => l.includes(`UID:${TRANSPORT}\t`)) ?? '';
    await whileRunning();
    return { data, listed };
  } finally {
    for (const p of [registry, bus]) {
      if (!exited(p)) p.kill('SIGTERM');
      await until(() => exited(p), `${p.spawnfile} to exit`, 10_000);
    }
  }
}

describe.skipIf(!hasEds)('real Evolution source registry accepts the fixed transport source', () => {
  it('parses port 587/STARTTLS from the fixed file and writes it back unchanged; undo restores the bytes', { timeout: 60_000 }, async () => {
    // Not vacuous: on an unfixed copy the registry reports the old port and no encryption.
    const plain = await registryView(copyFixtureHome('linux-misc'));
    expect(group(plain.data, 'Authentication').get('Port')).toBe('25');
    expect(group(plain.data, 'Security').get('Method')).toBe('none');
    expect(plain.listed).toContain('\tAuthHost:smtp.example.org:25\t');

    const home = copyFixtureHome('linux-misc');
    // Apply and undo see no running client, so a process of another test cannot refuse them.
    const ctx = fixtureContext(home, { run: noClientsRunning });
    const file = path.join(home, FILE);
    const original = fs.readFileSync(file);
    const applied = await applyFix(`evolution:${ACCOUNT}:smtp-587-starttls`, ctx);
    expect(applied.applied).toBe(true);
    const fixed = fs.readFileSync(file, 'utf8');

    // While the registry runs it owns the account files: MailMedic (real process list) refuses to change them.
    const seen = await registryView(home, async () => {
      const refused = await applyFix(`evolution:${ACCOUNT}:smtp-465-implicit`, fixtureContext(home));
      expect(refused.applied).toBe(false);
      expect(refused.message).toMatch(/Evolution is running \(process \d+\).*evolution --force-shutdown/);
    });
    const auth = group(seen.data, 'Authentication');
    expect(auth.get('Port')).toBe('587');
    expect(auth.get('Host')).toBe('smtp.example.org');
    expect(auth.get('User')).toBe('jane@example.org');
    expect(group(seen.data, 'Security').get('Method')).toBe('starttls-on-standard-port');
    expect(group(seen.data, 'Mail Transport').get('BackendName')).toBe('smtp');
    // The client library's typed view (ESourceAuthentication's port is a guint16).
    expect(seen.listed).toMatch(/^\s*MailTransport\t.*\tBackend:smtp\tAuthHost:smtp\.example\.org:587\t/);

    // The registry wrote the file back from what it parsed (it spells the empty auth Method as "none"): the same text
    // as its Data, with the fixed values.
    const written = fs.readFileSync(file, 'utf8');
    expect(written).not.toBe(fixed);
    expect(written).toBe(seen.data);
    expect(written).toBe(fixed.replace(/^Method=$/m, 'Method=none'));
    const { accounts } = await readAccounts(ctx);
    expect(accounts.find((a) => a.id === `evolution:${ACCOUNT}`)!.outgoing).toMatchObject({ host: 'smtp.example.org', port: 587, security: 'starttls' });

    // Undo after the registry rewrote the file: the pre-fix bytes come back.
    const u = await undoFix(applied.journalId!, ctx);
    expect(u.restored).toEqual([file]);
    expect(fs.readFileSync(file).equals(original)).toBe(true);
  });
});
