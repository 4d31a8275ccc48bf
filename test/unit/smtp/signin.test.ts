import { describe, expect, it } from 'vitest';
import { diagnose } from '../../../electron/smtp/diagnose.ts';
import { recommend } from '../../../electron/smtp/recommend.ts';
import { classifyProviderBlock } from '../../../electron/smtp/signin.ts';
import { parseEhlo } from '../../../electron/smtp/ehlo.ts';
import { Finding } from '../../../electron/core/finding.ts';
import type { PortResult, SmtpSection } from '../../../electron/smtp/schema.ts';
import { TRANSCRIPTS, portResult } from '../../support/smtp/port-result.ts';

// The sign-in and provider-refusal rules on hand-built probe results: which reply says what, and that neither ever
// turns into "no port works".

const caps = (auth: string, name = 'mail.example.com') => parseEhlo(`${name}\nPIPELINING\nAUTH ${auth}\n8BITMIME`);
const authFailed = (port: number, code: number, enhanced: string | null, text: string, auth = 'LOGIN XOAUTH2', name?: string): PortResult =>
  portResult({ port, outcome: 'auth-failed', phase: 'auth', security: 'starttls', reply: { code, enhanced, text }, capabilities: caps(auth, name), authMechanism: 'LOGIN' });
const dropped25 = portResult({ port: 25, outcome: 'timeout', phase: 'connect', transcript: TRANSCRIPTS.dropped, error: 'no answer' });

function run(host: string, ports: PortResult[]): Finding[] {
  const section: SmtpSection = { host, address: '192.0.2.10', ports, recommended: recommend(ports) };
  const findings = diagnose(section);
  findings.forEach((f) => Finding.parse(f));
  return findings;
}
const ids = (fs: Finding[]) => fs.map((f) => f.id);

describe('sign-in rules', () => {
  it.each([
    ['5.7.139', 'Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.'],
    ['5.7.30', 'Basic authentication is not supported for Client Submission.'],
    ['5.7.3', 'Authentication unsuccessful [SN4PR0501CA0056.namprd05.prod.outlook.com]'],
  ])('Microsoft %s with XOAUTH2 offered → "wants modern sign-in"', (enhanced, text) => {
    const f = run('smtp.office365.com', [dropped25, authFailed(587, 535, enhanced, text)]);
    expect(ids(f)).toEqual(expect.arrayContaining(['smtp.port-blocked.25', 'smtp.auth-failed.587', 'smtp.signin.oauth-required', 'smtp.signin.fails']));
    expect(ids(f)).not.toContain('smtp.no-working-port');
    // Port 25 is a side issue now: the server answered on 587.
    expect(f.find((x) => x.id === 'smtp.port-blocked.25')?.severity).toBe('warning');
    expect(f.find((x) => x.id === 'smtp.signin.oauth-required')?.evidence).toMatchObject({ host: 'smtp.office365.com', port: 587, oauthOffered: ['XOAUTH2'] });
  });

  it('5.7.57 at MAIL from a server that names itself Microsoft (any host name) counts too', () => {
    const p = portResult({
      port: 587, outcome: 'auth-failed', phase: 'mail', security: 'starttls', reply: { code: 530, enhanced: '5.7.57', text: 'Client not authenticated to send mail.' },
      capabilities: caps('LOGIN XOAUTH2', 'BN9PR03CA0123.outlook.office365.com'),
    });
    expect(ids(run('mail.contoso.example', [p]))).toContain('smtp.signin.oauth-required');
  });

  it('5.7.3 from a server that is not Microsoft\'s is just a failed sign-in', () => {
    const f = run('mail.example.com', [authFailed(587, 535, '5.7.3', 'Authentication unsuccessful')]);
    expect(ids(f).filter((id) => id.startsWith('smtp.signin.'))).toEqual(['smtp.signin.fails']);
  });

  it('Microsoft with password sign-in off and no OAuth offered → ask the administrator, no OAuth fix', () => {
    const f = run('smtp.office365.com', [authFailed(587, 535, '5.7.139', 'Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox.', 'LOGIN')]);
    const off = f.find((x) => x.id === 'smtp.signin.basic-auth-off');
    expect(off?.fixes).toEqual([]);
    expect(off?.detail).toMatch(/Authenticated SMTP/);
    expect(ids(f)).not.toContain('smtp.signin.oauth-required');
  });

  it('Gmail 535 5.7.8 by its reply text alone (host unknown) → app-password steps', () => {
    const f = run('127.0.0.1', [authFailed(465, 535, '5.7.8', 'Username and Password not accepted. For more information, go to https://support.google.com/mail/?p=BadCredentials - gsmtp', 'LOGIN PLAIN XOAUTH2 OAUTHBEARER')]);
    const g = f.find((x) => x.id === 'smtp.signin.app-password');
    expect(g?.evidence).toMatchObject({ provider: 'Gmail', oauthOffered: ['XOAUTH2', 'OAUTHBEARER'] });
    expect(g?.fixes.map((x) => x.id)).toEqual(['smtp.use-oauth']);
  });

  it('a wrong password on an ordinary server: no provider advice, and no summary while another port works', () => {
    const ok465 = portResult({ port: 465, outcome: 'ok', security: 'implicit' });
    const f = run('mail.example.com', [ok465, authFailed(587, 535, '5.7.8', 'Error: authentication failed', 'PLAIN LOGIN')]);
    expect(ids(f).filter((id) => id.startsWith('smtp.signin.'))).toEqual([]);
    expect(ids(f)).toContain('smtp.auth-failed.587');
  });

  it('530 at MAIL without credentials: the summary asks for a sign-in test instead of blaming the port', () => {
    const p = portResult({ port: 587, outcome: 'auth-failed', phase: 'mail', security: 'starttls', reply: { code: 530, enhanced: '5.7.0', text: 'Authentication required' } });
    const s = run('mail.example.com', [p]).find((x) => x.id === 'smtp.signin.fails');
    expect(s?.detail).toMatch(/test the sign-in/);
  });

  it('nothing answered at all: "no port works" stays', () => {
    expect(ids(run('mail.example.com', [dropped25]))).toContain('smtp.no-working-port');
  });
});

describe('provider refusals of the sending address', () => {
  const replyAt = (code: number, enhanced: string | null, text: string, phase: PortResult['phase'] = 'mail') =>
    portResult({ port: 587, outcome: code < 500 ? 'deferred' : 'rejected', phase, reply: { code, enhanced, text } });

  it.each([
    ['Yahoo TSS04', replyAt(421, '4.7.0', '[TSS04] Messages from 203.0.113.9 temporarily deferred due to unexpected volume or user complaints'), 'Yahoo/AOL', 'volume', /few hours/],
    ['Yahoo TS03', replyAt(421, '4.7.1', '[TS03] All messages from 203.0.113.9 will be permanently deferred; Retrying will NOT succeed.'), 'Yahoo/AOL', 'volume', /Waiting does not help/],
    ['Gmail 4.7.28', replyAt(421, '4.7.28', 'Gmail has detected an unusual rate of unsolicited mail originating from your IP address.', 'rcpt'), 'Gmail', 'reputation', /retry later/],
    ['Microsoft AS throttling', replyAt(451, '4.7.650', 'The mail server [203.0.113.9] has been temporarily rate limited due to IP reputation.', 'greeting'), 'Microsoft', 'reputation', /delisting/],
    ['Outlook.com S3150', replyAt(550, '5.7.1', 'Unfortunately, messages from [203.0.113.9] weren\'t sent. Please contact your Internet service provider since part of their network is on our block list (S3150).', 'rcpt'), 'Microsoft', 'reputation', /delisting/],
    ['Spamhaus', replyAt(554, '5.7.1', 'Service unavailable; Client host [203.0.113.9] blocked using zen.spamhaus.org', 'greeting'), 'Spamhaus (a public blocklist)', 'blocklist', /listing is removed/],
    ['greylisting', replyAt(451, '4.7.1', 'Greylisted, please try again later', 'rcpt'), 'the receiving server', 'greylisting', /few minutes/],
  ])('%s', (_name, p, provider, kind, wait) => {
    const b = classifyProviderBlock(p);
    expect(b).toMatchObject({ provider, kind });
    expect(b?.wait).toMatch(wait);
    expect(b?.source).toMatch(/https:\/\//);
    const f = run('mx.example.com', [p]);
    expect(ids(f)).toEqual([`smtp.provider-block.587`]);
    expect(f[0]?.evidence).toMatchObject({ host: 'mx.example.com', port: 587, changingPortsHelps: false });
    expect(f[0]?.detail).toMatch(/will not help/);
  });

  it.each([
    ['too many connections', replyAt(421, '4.7.0', 'mail.example.com Error: too many connections from 192.0.2.1', 'greeting')],
    ['a plain 421', replyAt(421, null, 'Service not available, closing transmission channel', 'rcpt')],
    ['relay denied', replyAt(554, '5.7.1', '<b@example.org>: Relay access denied', 'rcpt')],
    ['Microsoft "server busy"', replyAt(451, '4.7.500', 'Server busy. Please try again later.', 'rcpt')],
  ])('%s is not a provider block', (_name, p) => {
    expect(classifyProviderBlock(p)).toBeNull();
  });
});
