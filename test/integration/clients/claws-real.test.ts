import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { applyFix, undoFix } from '../../../electron/engine/fix-catalog.ts';
import { readAccounts } from '../../../electron/clients/service.ts';
import { exited, killGroup } from '../../support/child.ts';
import { until } from '../../support/until.ts';
import { copyFixtureHome, fixtureContext, noClientsRunning } from '../../support/clients/context.ts';

// Acceptance test with the real client: Debian's Claws Mail (claws-mail and xvfb in .ci/apt-packages.txt) starts on a
// fixture home under Xvfb after MailMedic changed its accountrc, is asked to quit (`claws-mail --exit`, on which it
// writes accountrc back from what it parsed), and must keep the new SMTP settings.

const has = (cmd: string) => spawnSync('sh', ['-c', 'command -v "$0"', cmd]).status === 0;
const hasClaws = has('claws-mail') && has('xvfb-run');
if (!hasClaws) console.warn('SKIPPED claws-real: needs `claws-mail` and `xvfb-run` (apt-get install claws-mail xvfb)');

const RC = '.claws-mail/accountrc';

/**
 * What a Claws profile has besides accountrc once its first-run wizard is done: a local MH mailbox (without one the
 * wizard opens and waits for a click). Account 1 is made a POP account in this copy because Claws contacts an IMAP
 * server at start-up and shows a modal error when it cannot reach it, which would block `--exit`; the SMTP settings
 * under test are untouched.
 */
function finishFirstRun(home: string): void {
  const mail = path.join(home, 'Mail');
  for (const d of ['inbox', 'sent', 'queue', 'draft', 'trash']) fs.mkdirSync(path.join(mail, d), { recursive: true });
  const items = ['inbox:inbox', 'outbox:sent', 'queue:queue', 'draft:draft', 'trash:trash']
    .map((s) => s.split(':'))
    .map(([type, name]) => `<folderitem type="${type}" name="${name}" path="${name}" mtime="0" />`)
    .join('\n');
  fs.writeFileSync(
    path.join(home, '.claws-mail/folderlist.xml'),
    `<?xml version="1.0" encoding="UTF-8"?>\n<folderlist>\n<folder type="mh" name="Mailbox" path="${mail}" collapsed="0">\n<folderitem name="Mailbox" mtime="0">\n${items}\n</folderitem>\n</folder>\n</folderlist>\n`,
  );
  const rc = path.join(home, RC);
  fs.writeFileSync(rc, fs.readFileSync(rc, 'utf8').replace(/^(\[Account: 1\][^[]*?)protocol=3$/m, '$1protocol=0'));
}

let claws: ChildProcess | null = null;
afterAll(() => killGroup(claws));

describe.skipIf(!hasClaws)('real Claws Mail accepts the fixed accountrc', () => {
  it('keeps port 587/STARTTLS when it writes accountrc back; MailMedic refuses to write while it runs', { timeout: 180_000 }, async () => {
    const home = copyFixtureHome('linux-misc');
    finishFirstRun(home);
    const ctx = fixtureContext(home);
    // Apply and undo see no running client, so a fake claws-mail of another test cannot refuse them; the guard
    // check in between uses the real process list.
    const quiet = { ...ctx, run: noClientsRunning };
    const rc = path.join(home, RC);
    const before = fs.readFileSync(rc, 'utf8');
    expect(before).toMatch(/\[Account: 1\][^[]*ssl_smtp=1/); // SSL on connect to port 587: the mismatch to fix

    const applied = await applyFix('claws:1:smtp-587-starttls', quiet);
    expect(applied.applied).toBe(true);
    const fixed = fs.readFileSync(rc, 'utf8');

    const env = { PATH: process.env.PATH, HOME: home, TMPDIR: process.env.TMPDIR ?? '/tmp' };
    claws = spawn('xvfb-run', ['-a', 'claws-mail'], { env, stdio: 'ignore', detached: true });
    // Claws opens its remote-command socket once the main window is up: that is "running and settled".
    const sockets = path.join(home, '.cache/claws-mail');
    await until(() => fs.existsSync(sockets) && fs.readdirSync(sockets).length > 0, 'Claws Mail to start');

    const refused = await applyFix('claws:2:smtp-auth-on', ctx);
    expect(refused.applied).toBe(false);
    expect(refused.message).toContain('Claws Mail is running');
    expect(fs.readFileSync(rc, 'utf8')).toBe(fixed);

    expect(spawnSync('claws-mail', ['--exit'], { env, timeout: 30_000 }).status).toBe(0);
    await until(() => exited(claws!), 'Claws Mail to exit');

    const written = fs.readFileSync(rc, 'utf8');
    expect(written).not.toBe(fixed); // Claws wrote the file itself (it adds every key it knows)
    expect(written).toContain('config_version=');
    const account1 = /\[Account: 1\]([^[]*)/.exec(written)![1]!;
    expect(account1).toMatch(/^smtp_server=smtp\.example\.net$/m);
    expect(account1).toMatch(/^smtp_port=587$/m);
    expect(account1).toMatch(/^ssl_smtp=2$/m);
    const { accounts } = await readAccounts(ctx);
    expect(accounts.find((a) => a.id === 'claws:1')!.outgoing).toMatchObject({ host: 'smtp.example.net', port: 587, security: 'starttls' });

    // Undo after Claws rewrote the file: the pre-fix bytes come back.
    const u = await undoFix(applied.journalId!, quiet);
    expect(u.restored).toEqual([rc]);
    expect(fs.readFileSync(rc, 'utf8')).toBe(before);
  });
});
