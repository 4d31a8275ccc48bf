import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { applyFix, undoFix } from '../../../electron/engine/fix-catalog.ts';
import { readAccounts } from '../../../electron/clients/service.ts';
import { parsePrefs, prefMap } from '../../../electron/clients/thunderbird/prefs.ts';
import { exited, killGroup } from '../../support/child.ts';
import { until } from '../../support/until.ts';
import { copyFixtureHome, fixtureContext } from '../../support/clients/context.ts';

// Acceptance test with the real client: Debian's Thunderbird (in .ci/apt-packages.txt) runs headless on a fixture
// home after MailMedic changed its prefs.js, and must keep the new SMTP settings when it rewrites the file.

const hasThunderbird = spawnSync('thunderbird', ['--version'], { encoding: 'utf8', timeout: 30_000 }).status === 0;
if (!hasThunderbird) console.warn('SKIPPED thunderbird-real: the `thunderbird` package is not installed (apt-get install thunderbird)');

const PROFILE = '.thunderbird/abcd1234.default-release';
const FIX = 'thunderbird:abcd1234.default-release:smtp1';

/** The lock is a dangling symlink (`127.0.0.1:+pid`), so existsSync (which follows links) cannot see it. */
function hasLock(profile: string): boolean {
  try {
    return fs.lstatSync(path.join(profile, 'lock')).isSymbolicLink();
  } catch {
    return false;
  }
}

let tb: ChildProcess | null = null;
const started: ChildProcess[] = [];
afterAll(() => {
  killGroup(tb);
  for (const c of started) killGroup(c);
});

/** Thunderbird 153 headless on `home`'s profile, in its own process group so cleanup ends its helpers too. */
function startThunderbird(home: string): ChildProcess {
  const child = spawn('thunderbird', ['--headless', '-P', 'default-release'], {
    env: { PATH: process.env.PATH, HOME: home, TMPDIR: process.env.TMPDIR ?? '/tmp', MOZ_CRASHREPORTER_DISABLE: '1' },
    stdio: 'ignore',
    detached: true,
  });
  started.push(child);
  return child;
}

describe.skipIf(!hasThunderbird)('real Thunderbird accepts the fixed prefs.js', () => {
  it('keeps port 587/STARTTLS after running on the profile; MailMedic refuses to write while it runs', { timeout: 180_000 }, async () => {
    const home = copyFixtureHome('tb-linux');
    const ctx = fixtureContext(home);
    const profile = path.join(home, PROFILE);
    const prefsFile = path.join(profile, 'prefs.js');
    const original = fs.readFileSync(prefsFile);

    const applied = await applyFix(`${FIX}:smtp-587-starttls`, ctx);
    expect(applied.applied).toBe(true);

    tb = spawn('thunderbird', ['--headless', '-P', 'default-release'], {
      env: { PATH: process.env.PATH, HOME: home, TMPDIR: process.env.TMPDIR ?? '/tmp', MOZ_CRASHREPORTER_DISABLE: '1' },
      stdio: 'ignore',
      detached: true, // own process group, so cleanup ends its helpers too
    });
    await until(() => hasLock(profile), 'the profile lock');
    // Running detection on the real client: lock symlink pid confirmed by the process list.
    const refused = await applyFix(`${FIX}:smtp-465-implicit`, ctx);
    expect(refused.applied).toBe(false);
    expect(refused.message).toContain('Thunderbird is running');
    await expect(undoFix(applied.journalId!, ctx)).rejects.toThrow(/Not undone: Thunderbird is running/);
    // Thunderbird writes its own prefs (mail.root.none) within seconds of loading the profile.
    await until(() => fs.readFileSync(prefsFile, 'utf8').includes('mail.root.none'), 'Thunderbird to rewrite prefs.js');

    process.kill(tb.pid!, 'SIGTERM');
    await until(() => exited(tb!), 'Thunderbird to exit', 60_000);
    await until(() => !hasLock(profile), 'the lock symlink to go', 10_000);

    const written = parsePrefs(fs.readFileSync(prefsFile));
    expect(written.errors).toEqual([]); // our parser reads Thunderbird's own output
    const prefs = prefMap(written);
    expect(prefs.get('mail.smtpserver.smtp1.port')).toBe(587);
    expect(prefs.get('mail.smtpserver.smtp1.try_ssl')).toBe(2);
    expect(prefs.get('mail.smtpserver.smtp1.hostname')).toBe('smtp.example.com');
    const { accounts, findings } = await readAccounts(ctx);
    expect(accounts[0]!.outgoing).toMatchObject({ port: 587, security: 'starttls' });
    expect(findings.find((f) => f.id === 'accounts.smtp.25-submission')).toBeUndefined();

    // Undo after Thunderbird rewrote the file: the pre-fix bytes come back; Thunderbird's version is kept aside.
    const u = await undoFix(applied.journalId!, ctx);
    expect(u.restored).toEqual([prefsFile]);
    expect(fs.readFileSync(prefsFile).equals(original)).toBe(true);
    const kept = fs.readdirSync(path.join(ctx.dataDir, 'backups', applied.journalId!)).filter((n) => n.endsWith('.before-undo'));
    expect(kept).toHaveLength(1);
  });

  it('keeps authMethod 10 (OAuth2) on the Microsoft 365 server after running on the profile; undo gives back the exact bytes', { timeout: 180_000 }, async () => {
    const home = copyFixtureHome('tb-oauth');
    const ctx = fixtureContext(home);
    const profile = path.join(home, '.thunderbird/oauth789.default-release');
    const prefsFile = path.join(profile, 'prefs.js');
    const original = fs.readFileSync(prefsFile);

    const applied = await applyFix('thunderbird:oauth789.default-release:smtp1:smtp-auth-oauth2', ctx);
    expect(applied.applied).toBe(true);

    const child = startThunderbird(home);
    await until(() => hasLock(profile), 'the profile lock');
    await until(() => fs.readFileSync(prefsFile, 'utf8').includes('mail.root.none'), 'Thunderbird to rewrite prefs.js');
    process.kill(child.pid!, 'SIGTERM');
    await until(() => exited(child), 'Thunderbird to exit', 60_000);
    await until(() => !hasLock(profile), 'the lock symlink to go', 10_000);

    const written = parsePrefs(fs.readFileSync(prefsFile));
    expect(written.errors).toEqual([]);
    const prefs = prefMap(written);
    expect(prefs.get('mail.smtpserver.smtp1.authMethod')).toBe(10);
    expect(prefs.get('mail.smtpserver.smtp1.hostname')).toBe('smtp.office365.com');
    expect(prefs.get('mail.smtpserver.smtp1.username')).toBe('jane@contoso.example');
    // The servers the fix did not touch keep what they had.
    expect(prefs.get('mail.smtpserver.smtp2.authMethod')).toBe(3);
    expect(prefs.get('mail.smtpserver.smtp3.authMethod')).toBe(4);
    const { accounts } = await readAccounts(ctx);
    expect(accounts.find((a) => a.id.endsWith(':account1'))?.outgoing?.authMethod).toMatchObject({ kind: 'oauth2', mechanisms: ['XOAUTH2'] });

    const u = await undoFix(applied.journalId!, ctx);
    expect(u.restored).toEqual([prefsFile]);
    expect(fs.readFileSync(prefsFile).equals(original)).toBe(true);
  });
});
