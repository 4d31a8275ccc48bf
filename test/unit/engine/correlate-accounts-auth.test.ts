import { describe, expect, it } from 'vitest';
import { compareSignIn } from '../../../electron/engine/correlate/accounts-auth.ts';
import { Finding, finding } from '../../../electron/core/finding.ts';
import type { Account, OutgoingAuthMethod } from '../../../electron/clients/schema.ts';
import type { Fix } from '../../../electron/core/fix.ts';
import type { SmtpSection } from '../../../electron/smtp/schema.ts';
import { parseEhlo } from '../../../electron/smtp/ehlo.ts';
import { portResult } from '../../support/smtp/port-result.ts';

// How an account's program signs in, against what its server offers and said. Both sides built by hand.

const account = (id: string, client: Account['client'], host: string, authMethod: OutgoingAuthMethod): Account => ({
  id, client, profile: null, name: null, email: `${id}@example.test`, incoming: null,
  outgoing: { host, port: 587, security: 'starttls', auth: authMethod.kind !== 'none', username: id, authMethod },
  dataFiles: [], source: { file: null, registryKey: null },
});
const fix = (id: string, action: string, accounts: string[]): Fix => ({ id, title: id, area: 'accounts', accounts, action, guards: [], plan: async () => [] });
const section = (host: string, auth: string): SmtpSection => ({
  host, address: '192.0.2.1', recommended: { port: 587, security: 'starttls' },
  ports: [portResult({ port: 587, outcome: 'ok', security: 'starttls', capabilities: parseEhlo(`${host}\nAUTH ${auth}`) })],
});
const tb = (code: number, mechanisms: string[] | null, kind: OutgoingAuthMethod['kind']): OutgoingAuthMethod => ({ kind, mechanisms, setting: `mail.smtpserver.smtp1.authMethod = ${code}` });

function run(accounts: Account[], fixes: Fix[], sections: SmtpSection[], hostFindings: Finding[] = []): Finding[] {
  const out = compareSignIn(accounts, fixes, sections, hostFindings);
  out.forEach((f) => Finding.parse(f));
  return out;
}

describe('sign-in setting vs. what the server offers', () => {
  it('Thunderbird "encrypted password" (CRAM-MD5) against PLAIN/LOGIN only: mismatch, with the password fix', () => {
    const a = account('tb1', 'thunderbird', 'mail.example.org', tb(4, ['CRAM-MD5'], 'encrypted-password'));
    const [f, ...rest] = run([a], [fix('tb1:pw', 'smtp-auth-password', ['tb1'])], [section('mail.example.org', 'PLAIN LOGIN')]);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      id: 'smtp.signin.mechanism-mismatch', severity: 'error', fixes: [{ id: 'tb1:pw' }],
      evidence: { account: 'tb1', host: 'mail.example.org', port: 587, clientMechanisms: ['CRAM-MD5'], offered: ['PLAIN', 'LOGIN'] },
    });
    expect(f!.title).toBe('tb1@example.test: Thunderbird signs in with an encrypted password, which mail.example.org does not offer');
  });

  it('a password where the server offers only OAuth: the OAuth fix first', () => {
    const a = account('tb2', 'thunderbird', 'smtp.office365.com', tb(3, ['PLAIN', 'LOGIN'], 'password'));
    const f = run([a], [fix('tb2:oauth', 'smtp-auth-oauth2', ['tb2']), fix('tb2:pw', 'smtp-auth-password', ['tb2'])], [section('smtp.office365.com', 'XOAUTH2')]);
    expect(f.map((x) => [x.id, x.fixes.map((y) => y.id)])).toEqual([['smtp.signin.mechanism-mismatch', ['tb2:oauth']]]);
  });

  it('OAuth2 set where the server offers none: back to the normal password', () => {
    const a = account('tb3', 'thunderbird', 'mail.example.org', tb(10, ['XOAUTH2'], 'oauth2'));
    const [f] = run([a], [fix('tb3:pw', 'smtp-auth-password', ['tb3'])], [section('mail.example.org', 'PLAIN LOGIN')]);
    expect(f?.fixes.map((x) => x.id)).toEqual(['tb3:pw']);
  });

  it('a working password where the server also offers OAuth and the program can switch: a note with the fix', () => {
    const a = account('tb9', 'thunderbird', 'smtp.office365.com', tb(3, ['PLAIN', 'LOGIN'], 'password'));
    const [f, ...rest] = run([a], [fix('tb9:oauth', 'smtp-auth-oauth2', ['tb9'])], [section('smtp.office365.com', 'LOGIN XOAUTH2')]);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ id: 'smtp.signin.oauth-available', severity: 'info', fixes: [{ id: 'tb9:oauth' }], evidence: { account: 'tb9', host: 'smtp.office365.com', port: 587 } });
    expect(f?.detail).toMatch(/learn\.microsoft\.com/);
    // Without a fix to offer (another program), the note would only be noise.
    expect(run([{ ...a, client: 'outlook' }], [], [section('smtp.office365.com', 'LOGIN XOAUTH2')])).toEqual([]);
  });

  it('a match, an automatic setting, or another host: nothing to say', () => {
    const ok = account('tb4', 'thunderbird', 'mail.example.org', tb(3, ['PLAIN', 'LOGIN'], 'password'));
    const auto = account('tb5', 'thunderbird', 'mail.example.org', tb(9, null, 'automatic'));
    const elsewhere = account('tb6', 'thunderbird', 'other.example.org', tb(4, ['CRAM-MD5'], 'encrypted-password'));
    expect(run([ok, auto, elsewhere], [], [section('mail.example.org', 'PLAIN LOGIN')])).toEqual([]);
  });

  it('Claws Mail with no fix: the steps are in the finding', () => {
    const a = account('claws:1', 'claws-mail', 'mail.example.org', { kind: 'encrypted-password', mechanisms: ['DIGEST-MD5'], setting: 'use_smtp_auth=1; smtp_auth_method=4' });
    const [f] = run([a], [], [section('mail.example.org', 'PLAIN LOGIN')]);
    expect(f?.fixes).toEqual([]);
    expect(f?.evidence.steps).toEqual(expect.arrayContaining([expect.stringMatching(/Claws Mail: Configuration › Edit accounts/)]));
    expect(f?.detail).toMatch(/PLAIN/);
  });
});

describe('the provider wants OAuth: each account\'s way there', () => {
  const m365 = section('smtp.office365.com', 'LOGIN XOAUTH2');
  const hostSays = finding({ id: 'smtp.signin.oauth-required', area: 'smtp', severity: 'error', title: 't', detail: 'd', evidence: { host: 'smtp.office365.com', port: 587, provider: 'Microsoft 365', oauthOffered: ['XOAUTH2'] } });

  it('Outlook (no OAuth for POP/IMAP accounts): guided steps to add the mailbox as a Microsoft 365 account', () => {
    const a = account('outlook:1', 'outlook', 'smtp.office365.com', { kind: 'password', mechanisms: ['LOGIN', 'PLAIN'], setting: 'SMTP Use Auth = 1' });
    const [f, ...rest] = run([a], [], [m365], [hostSays]);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ id: 'smtp.signin.oauth-steps', evidence: { account: 'outlook:1', host: 'smtp.office365.com', port: 587, because: 'smtp.signin.oauth-required' } });
    expect(f?.detail).toMatch(/File › Add Account/);
  });

  it('Thunderbird with its OAuth fix: the host finding carries it, no second finding', () => {
    const a = account('tb7', 'thunderbird', 'smtp.office365.com', tb(3, ['PLAIN', 'LOGIN'], 'password'));
    expect(run([a], [fix('tb7:oauth', 'smtp-auth-oauth2', ['tb7'])], [m365], [hostSays])).toEqual([]);
  });

  it('Thunderbird on a company alias its OAuth list does not know: rename the server first', () => {
    const alias = section('smtp.contoso.example', 'LOGIN XOAUTH2');
    const says = finding({ ...hostSays, evidence: { ...hostSays.evidence, host: 'smtp.contoso.example' } });
    const a = account('tb8', 'thunderbird', 'smtp.contoso.example', tb(3, ['PLAIN', 'LOGIN'], 'password'));
    const [f] = run([a], [], [alias], [says]);
    expect(f?.evidence.steps).toEqual(expect.arrayContaining([expect.stringMatching(/"Server Name" to smtp\.office365\.com/)]));
  });
});
