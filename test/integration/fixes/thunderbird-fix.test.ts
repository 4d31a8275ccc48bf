import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { applyFix, listFixes, previewFix, undoFix } from '../../../electron/engine/fix-catalog.ts';
import { readAccounts } from '../../../electron/clients/service.ts';
import { copyFixtureHome, fixtureContext } from '../../support/clients/context.ts';
import type { ApplyStep } from '../../../electron/fixes/atomic.ts';
import { readAll } from '../../../electron/clients/service.ts';
import { diagnoseSmtp } from '../../../electron/smtp/service.ts';
import { joinSmtpWithAccounts } from '../../../electron/engine/link-fixes.ts';
import { parsePrefs, prefMap } from '../../../electron/clients/thunderbird/prefs.ts';
import { smtpError, startSmtpServer } from '../../support/smtp/smtp-server.ts';

const PROFILE = '.thunderbird/abcd1234.default-release';
const FIX587 = 'thunderbird:abcd1234.default-release:smtp1:smtp-587-starttls';
const repoRoot = path.resolve(import.meta.dirname, '../../..');

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

describe('Thunderbird port fix on a real profile folder', () => {
  it('previews, applies (only the two values change), journals, and undo restores the exact bytes', async () => {
    const home = copyFixtureHome('tb-linux');
    const ctx = fixtureContext(home);
    const prefsFile = path.join(home, PROFILE, 'prefs.js');
    const original = fs.readFileSync(prefsFile);
    fs.chmodSync(prefsFile, 0o600);

    const ids = (await listFixes(ctx, { network: false })).map((f) => f.id);
    expect(ids).toEqual([
      'thunderbird:abcd1234.default-release:account1:export-settings',
      FIX587,
      'thunderbird:abcd1234.default-release:smtp1:smtp-465-implicit',
    ]);
    const preview = await previewFix(FIX587, ctx);
    expect(preview.preview).toContain('-user_pref("mail.smtpserver.smtp1.port", 25);');
    expect(preview.preview).toContain('+user_pref("mail.smtpserver.smtp1.port", 587);');
    expect(preview.preview).toContain('+user_pref("mail.smtpserver.smtp1.try_ssl", 2);');
    expect(fs.readFileSync(prefsFile).equals(original)).toBe(true); // preview writes nothing

    const r = await applyFix(FIX587, ctx);
    expect(r.applied).toBe(true);
    const expected = original
      .toString('latin1')
      .replace('"mail.smtpserver.smtp1.port", 25)', '"mail.smtpserver.smtp1.port", 587)')
      .replace('"mail.smtpserver.smtp1.try_ssl", 0)', '"mail.smtpserver.smtp1.try_ssl", 2)');
    expect(fs.readFileSync(prefsFile, 'latin1')).toBe(expected);
    expect(fs.statSync(prefsFile).mode & 0o777).toBe(0o600);
    const journal = JSON.parse(fs.readFileSync(path.join(ctx.dataDir, 'journal', `${r.journalId}.json`), 'utf8'));
    expect(journal).toMatchObject({ fixId: FIX587, state: 'applied', changes: [{ kind: 'file', path: prefsFile }] });
    expect(fs.readFileSync(path.join(ctx.dataDir, 'backups', r.journalId!, journal.changes[0].backup)).equals(original)).toBe(true);

    const after = await readAccounts(ctx);
    expect(after.accounts[0]!.outgoing).toMatchObject({ port: 587, security: 'starttls' });
    expect(after.findings.find((f) => f.id === 'accounts.smtp.25-submission')).toBeUndefined();
    await expect(applyFix(FIX587, ctx)).rejects.toThrow(/no fix/);

    const u = await undoFix(undefined, ctx);
    expect(u).toMatchObject({ journalId: r.journalId, restored: [prefsFile] });
    expect(fs.readFileSync(prefsFile).equals(original)).toBe(true);
    await expect(undoFix(r.journalId!, ctx)).rejects.toThrow(/already undone/);
    await expect(undoFix(undefined, ctx)).rejects.toThrow(/no applied fix/);
  });

  it('edits user.js as well when it pins the pref, and undo restores both files', async () => {
    const home = copyFixtureHome('tb-macos');
    const ctx = fixtureContext(home);
    const dir = path.join(home, 'Library/Thunderbird/Profiles/k9m8n7b6.work');
    const before = ['prefs.js', 'user.js'].map((f) => fs.readFileSync(path.join(dir, f)));
    const r = await applyFix('thunderbird:k9m8n7b6.work:smtp2:smtp-587-starttls', ctx);
    expect(r.applied).toBe(true);
    expect(fs.readFileSync(path.join(dir, 'user.js'), 'utf8')).toContain('user_pref("mail.smtpserver.smtp2.port", 587);');
    const acc = (await readAccounts(ctx)).accounts.find((a) => a.email === 'ana@example.org')!;
    expect(acc.outgoing).toMatchObject({ port: 587, security: 'starttls' });
    // The Latin-1 byte in prefs.js's comment survives the edit.
    expect(fs.readFileSync(path.join(dir, 'prefs.js')).includes(Buffer.from('(\xe9dit\xe9', 'latin1'))).toBe(true);
    await undoFix(r.journalId!, ctx);
    expect(['prefs.js', 'user.js'].map((f) => fs.readFileSync(path.join(dir, f)).equals(before[f === 'prefs.js' ? 0 : 1]!))).toEqual([true, true]);
  });

  it('refuses while Thunderbird runs (lock + live process), writes nothing; a stale lock does not block', async () => {
    const home = copyFixtureHome('tb-linux');
    const ctx = fixtureContext(home);
    const profile = path.join(home, PROFILE);
    const original = fs.readFileSync(path.join(profile, 'prefs.js'));
    // A real process whose executable is named "thunderbird", holding the profile's lock like Thunderbird does.
    const bin = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mm-bin-')), 'thunderbird');
    fs.copyFileSync('/bin/sleep', bin);
    fs.chmodSync(bin, 0o755);
    const tb = spawn(bin, ['30'], { stdio: 'ignore' });
    children.push(tb);
    await new Promise((r) => tb.once('spawn', r));
    fs.symlinkSync(`127.0.0.1:+${tb.pid}`, path.join(profile, 'lock'));
    fs.writeFileSync(path.join(profile, '.parentlock'), '');

    const r = await applyFix(FIX587, ctx);
    expect(r.applied).toBe(false);
    expect(r.journalId).toBeNull();
    expect(r.message).toMatch(new RegExp(`Thunderbird is running \\(process ${tb.pid}\\).*Close it first`));
    expect(fs.readFileSync(path.join(profile, 'prefs.js')).equals(original)).toBe(true);
    expect(fs.existsSync(path.join(ctx.dataDir, 'journal'))).toBe(false);

    tb.kill('SIGKILL');
    await new Promise((r) => tb.once('exit', r));
    // The lock symlink now names a dead pid: a crash leftover, not a running Thunderbird.
    expect((await applyFix(FIX587, ctx)).applied).toBe(true);
  });
});

describe('Thunderbird sign-in fixes (OAuth2 where Thunderbird knows the provider)', () => {
  const OAUTH_PROFILE = '.thunderbird/oauth789.default-release';
  const M365_FIX = 'thunderbird:oauth789.default-release:smtp1:smtp-auth-oauth2';
  const loopback = async () => [{ address: '127.0.0.1', family: 4 as const }];

  it('a Microsoft 365 tenant refusing the password → "wants OAuth" carries the account\'s fix; apply and undo are byte-exact', async () => {
    const tenant = await startSmtpServer({
      name: 'SN4PR0501CA0056.outlook.office365.com', hideSTARTTLS: true, allowInsecureAuth: true, authMethods: ['LOGIN', 'XOAUTH2'],
      onAuth: (_a, _s, cb) => cb(smtpError(535, '5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.')),
    });
    try {
      const home = copyFixtureHome('tb-oauth');
      const ctx = fixtureContext(home);
      const prefsFile = path.join(home, OAUTH_PROFILE, 'prefs.js');
      const original = fs.readFileSync(prefsFile);
      const local = await readAll(ctx);
      const { section, findings } = await diagnoseSmtp({ host: 'smtp.office365.com', ports: [tenant.port], timeoutMs: 3000, resolver: loopback, user: 'jane@contoso.example', password: 'not-the-point' });
      const joined = joinSmtpWithAccounts(findings, section, local.accounts, local.fixes);
      const oauth = joined.find((f) => f.id === 'smtp.signin.oauth-required');
      expect(oauth?.fixes.map((f) => f.id)).toEqual([M365_FIX]);
      expect(oauth?.evidence).toMatchObject({ host: 'smtp.office365.com', port: tenant.port, account: 'thunderbird:oauth789.default-release:account1', accounts: ['thunderbird:oauth789.default-release:account1'] });
      // Thunderbird can do it itself: no extra steps finding for this account.
      expect(joined.map((f) => f.id)).not.toContain('smtp.signin.oauth-steps');

      const preview = await previewFix(M365_FIX, ctx);
      expect(preview.preview).toContain('-user_pref("mail.smtpserver.smtp1.authMethod", 3);');
      expect(preview.preview).toContain('+user_pref("mail.smtpserver.smtp1.authMethod", 10);');
      expect(fs.readFileSync(prefsFile).equals(original)).toBe(true);

      const r = await applyFix(M365_FIX, ctx);
      expect(r.applied).toBe(true);
      const expected = Buffer.from(original.toString('latin1').replace('"mail.smtpserver.smtp1.authMethod", 3)', '"mail.smtpserver.smtp1.authMethod", 10)'), 'latin1');
      expect(fs.readFileSync(prefsFile).equals(expected)).toBe(true);
      expect(prefMap(parsePrefs(fs.readFileSync(prefsFile))).get('mail.smtpserver.smtp2.authMethod')).toBe(3); // the Gmail server is untouched
      const after = (await readAccounts(ctx)).accounts.find((a) => a.id === 'thunderbird:oauth789.default-release:account1');
      expect(after?.outgoing?.authMethod).toMatchObject({ kind: 'oauth2', mechanisms: ['XOAUTH2'] });
      await expect(applyFix(M365_FIX, ctx)).rejects.toThrow(/no fix/); // nothing left to change

      await undoFix(r.journalId!, ctx);
      expect(fs.readFileSync(prefsFile).equals(original)).toBe(true);
    } finally {
      await tenant.close();
    }
  });

  it('OAuth2 is offered only for hosts on Thunderbird\'s provider list; "encrypted password" against PLAIN/LOGIN gets the password fix', async () => {
    const home = copyFixtureHome('tb-oauth');
    const ctx = fixtureContext(home);
    const ids = (await listFixes(ctx, { network: false })).map((f) => f.id).filter((id) => id.includes(':smtp-auth-'));
    expect(ids).toEqual([
      'thunderbird:oauth789.default-release:smtp1:smtp-auth-oauth2',
      'thunderbird:oauth789.default-release:smtp2:smtp-auth-oauth2',
      'thunderbird:oauth789.default-release:smtp3:smtp-auth-password',
    ]);
    const plainOnly = await startSmtpServer({ hideSTARTTLS: true, allowInsecureAuth: true, authMethods: ['PLAIN', 'LOGIN'], authOptional: true });
    try {
      const local = await readAll(ctx);
      const { section, findings } = await diagnoseSmtp({ host: 'mail.example.org', ports: [plainOnly.port], timeoutMs: 3000, resolver: loopback });
      const mismatch = joinSmtpWithAccounts(findings, section, local.accounts, local.fixes).find((f) => f.id === 'smtp.signin.mechanism-mismatch');
      expect(mismatch).toMatchObject({
        evidence: { account: 'thunderbird:oauth789.default-release:account3', host: 'mail.example.org', port: plainOnly.port, clientMechanisms: ['CRAM-MD5'], offered: ['PLAIN', 'LOGIN'] },
        fixes: [{ id: 'thunderbird:oauth789.default-release:smtp3:smtp-auth-password' }],
      });
      const prefsFile = path.join(home, OAUTH_PROFILE, 'prefs.js');
      const original = fs.readFileSync(prefsFile);
      const r = await applyFix('thunderbird:oauth789.default-release:smtp3:smtp-auth-password', ctx);
      expect(fs.readFileSync(prefsFile, 'latin1')).toBe(original.toString('latin1').replace('"mail.smtpserver.smtp3.authMethod", 4)', '"mail.smtpserver.smtp3.authMethod", 3)'));
      await undoFix(r.journalId!, ctx);
      expect(fs.readFileSync(prefsFile).equals(original)).toBe(true);
    } finally {
      await plainOnly.close();
    }
  });
});

/** Runs apply-child.ts until it reports `step`, then SIGKILLs it. */
async function killChildAt(home: string, dataDir: string, fixId: string, step: ApplyStep): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/clients/apply-child.ts', home, dataDir, fixId, step], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`child never reached ${step}: ${err}`)), 45_000);
    child.stdout!.on('data', (d) => {
      out += d;
      if (out.includes(`AT ${step}`)) {
        clearTimeout(t);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`child exited ${code} before ${step}: ${out} ${err}`)));
  });
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  expect(child.signalCode).toBe('SIGKILL');
}

describe('fault injection: SIGKILL during undo', () => {
  it.each(['temp-written', 'temp-synced', 'renamed'] as ApplyStep[])('killed after %s: the file is new or old, and undo run again finishes', async (step) => {
    const home = copyFixtureHome('tb-linux');
    const ctx = fixtureContext(home);
    const prefsFile = path.join(home, PROFILE, 'prefs.js');
    const original = fs.readFileSync(prefsFile);
    const r = await applyFix(FIX587, ctx);
    const applied = fs.readFileSync(prefsFile);
    await killChildAt(home, ctx.dataDir, 'undo', step);
    expect(fs.readFileSync(prefsFile).equals(step === 'renamed' ? original : applied)).toBe(true);
    const u = await undoFix(undefined, ctx);
    expect(u.journalId).toBe(r.journalId);
    expect(fs.readFileSync(prefsFile).equals(original)).toBe(true);
    expect(fs.readdirSync(path.dirname(prefsFile)).filter((n) => n.includes('mailmedic'))).toEqual([]);
  });
});

describe('fault injection: SIGKILL at each step of apply', () => {
  const steps: ApplyStep[] = ['backup-written', 'journal-pending', 'temp-written', 'temp-synced', 'renamed', 'verified', 'journal-applied'];
  it.each(steps)('killed after %s: the file is old or new, never partial; undo restores the old bytes', async (step) => {
    const home = copyFixtureHome('tb-linux');
    const ctx = fixtureContext(home);
    const prefsFile = path.join(home, PROFILE, 'prefs.js');
    const original = fs.readFileSync(prefsFile);
    const plan = (await previewFix(FIX587, ctx)).preview;
    expect(plan).toContain('587');

    await killChildAt(home, ctx.dataDir, FIX587, step);

    const now = fs.readFileSync(prefsFile);
    const newBytes = Buffer.from(
      original.toString('latin1').replace('smtp1.port", 25)', 'smtp1.port", 587)').replace('smtp1.try_ssl", 0)', 'smtp1.try_ssl", 2)'),
      'latin1',
    );
    const renamed = ['renamed', 'verified', 'journal-applied'].includes(step);
    expect(now.equals(renamed ? newBytes : original)).toBe(true);

    if (step === 'backup-written') {
      // Killed before the journal existed: nothing was changed, so there is nothing to undo.
      await expect(undoFix(undefined, ctx)).rejects.toThrow(/no applied fix/);
    } else {
      const u = await undoFix(undefined, ctx);
      expect(u.restored).toEqual([prefsFile]);
    }
    expect(fs.readFileSync(prefsFile).equals(original)).toBe(true);
    // No temp file is left next to the profile's prefs.js.
    expect(fs.readdirSync(path.dirname(prefsFile)).filter((n) => n.includes('mailmedic'))).toEqual([]);
  });
});
