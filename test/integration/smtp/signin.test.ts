import { afterEach, describe, expect, it } from 'vitest';
import type { SMTPServerOptions } from 'smtp-server';
import { diagnoseSmtp, type SmtpProbeOptions } from '../../../electron/smtp/service.ts';
import { SmtpSection } from '../../../electron/smtp/schema.ts';
import { Finding } from '../../../electron/core/finding.ts';
import { smtpError, startSmtpServer, type RunningServer } from '../../support/smtp/smtp-server.ts';
import { closedPort, lineServer, startPeer, type Peer } from '../../support/smtp/peers.ts';
import { withCauses } from '../../../electron/engine/causes.ts';
import { buildReport } from '../../../electron/report/build.ts';
import { expectOneStory } from '../../support/causes.ts';

// Sign-in as real servers refuse it, on 127.0.0.1: a Microsoft 365 tenant with SMTP AUTH off, Gmail wanting an app
// password, XOAUTH2 and CRAM-MD5 through smtp-server's onAuth, OAUTHBEARER on a scripted peer, and providers deferring
// or blocking the sending address. The names (smtp.office365.com, smtp.gmail.com) reach loopback through the DNS seam.

const servers: Array<RunningServer | Peer> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function server(opts: SMTPServerOptions): Promise<RunningServer> {
  const s = await startSmtpServer({ hideSTARTTLS: true, allowInsecureAuth: true, ...opts });
  servers.push(s);
  return s;
}

const loopback: SmtpProbeOptions['resolver'] = async () => [{ address: '127.0.0.1', family: 4 }];

const PASSWORD = 'Pa55-w0rd!secret';
const TOKEN = 'ya29.a0AfB_byC-Loopback-Test-Token-7f3e9c1d2b4a';
const b64 = (s: string) => Buffer.from(s).toString('base64');

async function run(opts: SmtpProbeOptions) {
  const out = await diagnoseSmtp({ timeoutMs: 3000, resolver: loopback, ...opts });
  SmtpSection.parse(out.section);
  for (const f of out.findings) Finding.parse(f);
  return { ...out, r: out.section.ports[0]!, ids: out.findings.map((f) => f.id), json: JSON.stringify(out) };
}

/** The causes of the report `mailmedic smtp` builds from this diagnosis; each finding in exactly one of them. */
function causesOf(out: { section: SmtpSection; findings: Finding[] }) {
  return expectOneStory(withCauses(buildReport('smtp', new Date(), out.findings, { smtp: out.section })));
}

/** Neither the secret nor any encoding of it that goes on the wire appears anywhere in what the probe returns. */
function expectNoSecret(json: string, user: string, secret: string): void {
  for (const form of [secret, b64(secret), b64(`\0${user}\0${secret}`), b64(`user=${user}\x01auth=Bearer ${secret}\x01\x01`)]) {
    expect(json).not.toContain(form);
  }
}

/** Microsoft 365 with SMTP AUTH turned off for the tenant: LOGIN and XOAUTH2 offered, a password refused with 5.7.139. */
function microsoft365(): Promise<RunningServer> {
  return server({
    name: 'SN4PR0501CA0056.outlook.office365.com',
    banner: 'Microsoft ESMTP MAIL Service ready',
    authMethods: ['LOGIN', 'XOAUTH2'],
    onAuth: (auth, _s, cb) => {
      if (auth.method === 'XOAUTH2') {
        return auth.accessToken === TOKEN ? cb(null, { user: auth.username }) : cb(null, { data: { status: '401', schemes: 'bearer', scope: 'https://outlook.office.com/SMTP.Send' } });
      }
      cb(smtpError(535, '5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information. [SN4PR0501CA0056.namprd05.prod.outlook.com]'));
    },
  });
}

describe('sign-in diagnosis against real SMTP servers', () => {
  it('Microsoft 365 with SMTP AUTH off: auth-failed, "wants OAuth", sign-in named as the cause, no "no port works"', async () => {
    const m365 = await microsoft365();
    const closed = await closedPort();
    const { section, findings, ids, json } = await run({ host: 'smtp.office365.com', ports: [m365.port, closed], user: 'jane@contoso.example', password: PASSWORD });
    const r = section.ports[0]!;
    expect(r).toMatchObject({ outcome: 'auth-failed', phase: 'auth', authMechanism: 'LOGIN', reply: { code: 535, enhanced: '5.7.139' } });
    expect(r.capabilities?.auth).toEqual(['LOGIN', 'XOAUTH2']);
    expect(section.ports[1]).toMatchObject({ outcome: 'refused' });

    const oauth = findings.find((f) => f.id === 'smtp.signin.oauth-required');
    expect(oauth).toMatchObject({ severity: 'error', fixes: [{ id: 'smtp.use-oauth' }], evidence: { host: 'smtp.office365.com', port: m365.port, provider: 'Microsoft 365', oauthOffered: ['XOAUTH2'] } });
    expect(oauth?.detail).toMatch(/learn\.microsoft\.com/);
    expect(oauth?.detail).toMatch(/will not help/);
    expect(findings.find((f) => f.id === 'smtp.signin.fails')).toMatchObject({ severity: 'error', evidence: { host: 'smtp.office365.com', signInPorts: [m365.port] } });
    expect(findings.find((f) => f.id === `smtp.auth-failed.${m365.port}`)?.evidence).toMatchObject({ host: 'smtp.office365.com', port: m365.port });
    expect(ids).not.toContain('smtp.no-working-port');
    expect(json).not.toMatch(/No port of .* works/);
    // The closed extra port is no longer the error: the server answered on the other one.
    expect(findings.find((f) => f.id === `smtp.port-refused.${closed}`)?.severity).toBe('warning');
    expectNoSecret(json, 'jane@contoso.example', PASSWORD);
    // One story: the sign-in, with the closed extra port as a detail of it.
    const causes = causesOf({ section, findings });
    expect(causes.map((c) => c.id)).toEqual(['sign-in:smtp.office365.com']);
    expect(causes[0]).toMatchObject({ title: 'Microsoft 365 wants modern sign-in (OAuth) here, not your password', fixes: ['smtp.use-oauth'] });
    expect(new Set(causes[0]!.findings)).toEqual(new Set([`smtp.auth-failed.${m365.port}`, 'smtp.signin.oauth-required', 'smtp.signin.fails', `smtp.port-refused.${closed}`]));
  });

  it('the same tenant takes an OAuth access token through XOAUTH2 (smtp-server onAuth); a refused token ends 535 after its JSON status', async () => {
    const m365 = await microsoft365();
    const good = await run({ host: 'smtp.office365.com', ports: [m365.port], user: 'jane@contoso.example', oauthToken: TOKEN });
    expect(good.r).toMatchObject({ outcome: 'ok', authMechanism: 'XOAUTH2', phase: 'quit' });
    expect(good.r.transcript.map((e) => e.text)).toContain('AUTH XOAUTH2 <token hidden>');
    expect(good.ids.filter((id) => id.startsWith('smtp.signin.'))).toEqual([]);
    expectNoSecret(good.json, 'jane@contoso.example', TOKEN);

    const bad = await run({ host: 'smtp.office365.com', ports: [m365.port], user: 'jane@contoso.example', oauthToken: `${TOKEN}-expired` });
    expect(bad.r).toMatchObject({ outcome: 'auth-failed', phase: 'auth', authMechanism: 'XOAUTH2', reply: { code: 535 } });
    const text = bad.r.transcript.map((e) => e.text).join('\n');
    expect(text).toMatch(/the server refused the token: status=401, schemes=bearer, scope=https:\/\/outlook\.office\.com\/SMTP\.Send/);
    expect(bad.ids).toContain('smtp.signin.fails');
    expectNoSecret(bad.json, 'jane@contoso.example', `${TOKEN}-expired`);
  });

  it.each([
    ['534', '5.7.9 Application-specific password required. Learn more at https://support.google.com/mail/?p=InvalidSecondFactor d2e1a72fcca58-7b6 - gsmtp', 'InvalidSecondFactor'],
    ['535', '5.7.8 Username and Password not accepted. For more information, go to https://support.google.com/mail/?p=BadCredentials d2e1a72fcca58-7b6 - gsmtp', 'BadCredentials'],
  ])('Gmail answering %s: the app-password steps with Google\'s sources, and the OAuth way out', async (code, message, page) => {
    const gmail = await server({
      name: 'smtp.gmail.com',
      authMethods: ['LOGIN', 'PLAIN', 'XOAUTH2'],
      onAuth: (_a, _s, cb) => cb(smtpError(Number(code), message)),
    });
    const { r, section, findings, ids, json } = await run({ host: 'smtp.gmail.com', ports: [gmail.port], user: 'jane@gmail.com', password: PASSWORD });
    expect(r).toMatchObject({ outcome: 'auth-failed', phase: 'auth', authMechanism: 'PLAIN', reply: { code: Number(code) } });
    const f = findings.find((x) => x.id === 'smtp.signin.app-password');
    expect(f).toMatchObject({ severity: 'error', fixes: [{ id: 'smtp.use-oauth' }], evidence: { host: 'smtp.gmail.com', port: gmail.port, provider: 'Gmail' } });
    expect(f?.detail).toMatch(/myaccount\.google\.com\/apppasswords/);
    expect(f?.detail).toContain('https://support.google.com/accounts/answer/185833');
    expect((f?.evidence.source as string)).toContain(page);
    expect((f?.evidence.steps as string[]).length).toBeGreaterThanOrEqual(3);
    expect(ids).toContain('smtp.signin.fails');
    expect(ids).not.toContain('smtp.no-working-port');
    expectNoSecret(json, 'jane@gmail.com', PASSWORD);
    const causes = causesOf({ section, findings });
    expect(causes.map((c) => c.id)).toEqual(['sign-in:smtp.gmail.com']);
    expect(causes[0]!.title).toBe(f?.title);
  });

  it('CRAM-MD5 on smtp-server: the right password signs in, a wrong one is auth-failed; the digest line is hidden', async () => {
    const s = await server({
      authMethods: ['CRAM-MD5'],
      onAuth: (auth, _s, cb) => (auth.method === 'CRAM-MD5' && auth.validatePassword(PASSWORD) ? cb(null, { user: 'alice' }) : cb(smtpError(535, '5.7.8 Authentication credentials invalid'))),
    });
    const good = await run({ host: '127.0.0.1', ports: [s.port], user: 'alice', password: PASSWORD });
    expect(good.r).toMatchObject({ outcome: 'ok', authMechanism: 'CRAM-MD5' });
    expect(good.r.transcript.map((e) => e.text)).toEqual(expect.arrayContaining(['AUTH CRAM-MD5', '<credentials hidden>']));
    const bad = await run({ host: '127.0.0.1', ports: [s.port], user: 'alice', password: 'not-it' });
    expect(bad.r).toMatchObject({ outcome: 'auth-failed', authMechanism: 'CRAM-MD5', reply: { code: 535, enhanced: '5.7.8' } });
    expectNoSecret(good.json, 'alice', PASSWORD);
  });

  it('a mechanism the server does not offer is refused before anything is sent; a token finds no OAuth on a password-only server', async () => {
    const s = await server({ authMethods: ['PLAIN', 'LOGIN'], onAuth: (_a, _s, cb) => cb(null, { user: 'alice' }) });
    const forced = await run({ host: '127.0.0.1', ports: [s.port], user: 'alice', password: PASSWORD, authMechanism: 'CRAM-MD5' });
    expect(forced.r).toMatchObject({ outcome: 'auth-failed', phase: 'auth' });
    expect(forced.r.error).toBe('the server does not offer CRAM-MD5 (offered: PLAIN LOGIN)');
    const token = await run({ host: '127.0.0.1', ports: [s.port], user: 'alice', oauthToken: TOKEN });
    expect(token.r.error).toBe('the server offers no OAuth sign-in (offered: PLAIN LOGIN)');
    expect(token.r.transcript.some((e) => e.dir === 'c' && e.text.startsWith('AUTH'))).toBe(false);
  });

  it('OAUTHBEARER (RFC 7628) on a scripted peer: the GS2 header, host, port and bearer token arrive as specified', async () => {
    let got = '';
    const peer = await startPeer(lineServer('220 peer.loopback.test ESMTP\r\n', (line) => {
      if (/^EHLO/i.test(line)) return '250-peer.loopback.test\r\n250 AUTH OAUTHBEARER\r\n';
      if (line.startsWith('AUTH OAUTHBEARER ')) {
        got = Buffer.from(line.slice('AUTH OAUTHBEARER '.length), 'base64').toString('utf8');
        return '235 2.7.0 Accepted\r\n';
      }
      if (line === 'QUIT') return '221 2.0.0 Bye\r\n';
      return '502 5.5.1 Unrecognized\r\n';
    }));
    servers.push(peer);
    const { r, json } = await run({ host: 'mail.loopback.test', ports: [peer.port], user: 'a,b=c@example.test', oauthToken: TOKEN });
    expect(r).toMatchObject({ outcome: 'ok', authMechanism: 'OAUTHBEARER' });
    expect(got).toBe(`n,a=a=2Cb=3Dc@example.test,\x01host=mail.loopback.test\x01port=${peer.port}\x01auth=Bearer ${TOKEN}\x01\x01`);
    expect(json).not.toContain(TOKEN);
    expect(json).not.toContain(b64(got));
  });
});

describe('the provider refuses the sending address: not fixable on this PC', () => {
  it('Yahoo-style 421 4.7.0 [TSS04] at MAIL FROM on every port: "changing ports will not help", who acts, how long, a redacted transcript', async () => {
    const defer = (): Promise<RunningServer> => server({
      authMethods: ['PLAIN'],
      onAuth: (_a, _s, cb) => cb(null, { user: 'jane' }),
      onMailFrom: (_a, _s, cb) => cb(smtpError(421, '4.7.0 [TSS04] Messages from 203.0.113.9 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes')),
    });
    const [a, b] = [await defer(), await defer()];
    const { section, findings, ids, json } = await run({
      host: 'smtp.mail.yahoo.com', ports: [a.port, b.port], user: 'jane@yahoo.example', password: PASSWORD, from: 'jane@yahoo.example', to: 'bob@example.test',
    });
    expect(section.ports.map((p) => [p.outcome, p.phase, p.reply?.code])).toEqual([['deferred', 'mail', 421], ['deferred', 'mail', 421]]);
    for (const port of [a.port, b.port]) {
      const f = findings.find((x) => x.id === `smtp.provider-block.${port}`);
      expect(f).toMatchObject({ severity: 'warning', fixes: [], evidence: { host: 'smtp.mail.yahoo.com', port, provider: 'Yahoo/AOL', kind: 'volume', changingPortsHelps: false } });
      expect(f?.detail).toMatch(/Changing ports or settings on this PC will not help/);
      expect(f?.evidence.whoMustAct).toMatch(/Nothing on this PC can/);
      expect(f?.evidence.wait).toMatch(/few hours/);
      expect(f?.evidence.source).toBe('https://senders.yahooinc.com/smtp-error-codes/');
      const t = f?.evidence.supportTranscript as string;
      expect(t).toMatch(new RegExp(`^MailMedic SMTP test of smtp\\.mail\\.yahoo\\.com \\(127\\.0\\.0\\.1\\) port ${port}`));
      expect(t).toMatch(/S: 421 4\.7\.0 \[TSS04\] Messages from 203\.0\.113\.9/);
      expect(t).toContain('C: AUTH PLAIN <credentials hidden>');
      expect(t).toContain('C: MAIL FROM:<jane@yahoo.example>');
    }
    expect(ids.filter((id) => id.startsWith('smtp.deferred.'))).toEqual([]);
    expect(ids).not.toContain('smtp.no-working-port');
    expectNoSecret(json, 'jane@yahoo.example', PASSWORD);
    // "Not on this PC": one cause for both ports, and no port switch offered.
    const causes = causesOf({ section, findings });
    expect(causes.map((c) => c.id)).toEqual(['provider-block:smtp.mail.yahoo.com']);
    expect(causes[0]).toMatchObject({ findings: [`smtp.provider-block.${a.port}`, `smtp.provider-block.${b.port}`], fixes: [] });
  });

  it('554 5.7.1 blocklisted at connect on 25 while 587 answers: the block is on that port only, and the switch is offered', async () => {
    const blocked = await server({
      authOptional: true,
      onConnect: (_s, cb) => cb(smtpError(554, '5.7.1 Service unavailable; Client host [127.0.0.1] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/127.0.0.1')),
    });
    const ok = await server({ authOptional: true });
    const { findings, ids } = await run({ host: 'mx.example.test', ports: [blocked.port, ok.port], implicitPorts: [] });
    const f = findings.find((x) => x.id === `smtp.provider-block.${blocked.port}`);
    expect(f).toMatchObject({ severity: 'error', evidence: { kind: 'blocklist', provider: 'Spamhaus (a public blocklist)', changingPortsHelps: true } });
    expect(f?.detail).toMatch(new RegExp(`send through port ${ok.port}`));
    expect(f?.fixes.map((x) => x.id)).toEqual([`smtp.use-port:${ok.port}:none`]);
    expect(ids).not.toContain(`smtp.rejected.${blocked.port}`);
  });

  it('451 4.7.1 greylisting at RCPT: retry later, no one must act, the delay the server names', async () => {
    const s = await server({ authOptional: true, onRcptTo: (_a, _s, cb) => cb(smtpError(451, '4.7.1 Greylisted, please try again in 300 seconds')) });
    const { findings } = await run({ host: 'mx.example.test', ports: [s.port], from: 'a@example.test', to: 'b@example.test' });
    const f = findings.find((x) => x.id === `smtp.provider-block.${s.port}`);
    expect(f).toMatchObject({ severity: 'warning', evidence: { kind: 'greylisting', wait: 'The server asks for 300 seconds; the retry after that goes through.' } });
    expect(f?.evidence.whoMustAct).toMatch(/^No one/);
  });
});
