import { afterEach, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import type { SMTPServerOptions } from 'smtp-server';
import { diagnoseSmtp } from '../../../electron/smtp/service.ts';
import { SmtpSection } from '../../../electron/smtp/schema.ts';
import { Finding } from '../../../electron/core/finding.ts';
import { pair, pem } from '../../support/smtp/certs.ts';
import { smtpError, startSmtpServer, type RunningServer } from '../../support/smtp/smtp-server.ts';

// Scripted smtp-server peers on 127.0.0.1: TLS evidence, interception, 4xx/5xx in each phase, DNS seam.

const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function server(opts: SMTPServerOptions, host?: string): Promise<RunningServer> {
  const s = await startSmtpServer(opts, host);
  servers.push(s);
  return s;
}

const TEST_CA = [pem('test-root.crt')];
const acceptAuth: Pick<SMTPServerOptions, 'onAuth'> = {
  onAuth: (auth, _s, cb) =>
    auth.username === 'alice' && auth.password === 'secret' ? cb(null, { user: 'alice' }) : cb(smtpError(535, 'Authentication credentials invalid')),
};

async function run(opts: Parameters<typeof diagnoseSmtp>[0]) {
  const out = await diagnoseSmtp({ timeoutMs: 3000, ...opts });
  SmtpSection.parse(out.section);
  for (const f of out.findings) Finding.parse(f);
  return { ...out, r: out.section.ports[0]!, ids: out.findings.map((f) => f.id) };
}

describe('smtp-server peers', () => {
  it('STARTTLS with a certificate from a trusted root: ok, TLS evidence complete, no TLS warning', async () => {
    const s = await server({ ...pair('server'), authOptional: false, ...acceptAuth });
    const { r, ids, section } = await run({ host: '127.0.0.1', ports: [s.port], extraCa: TEST_CA, user: 'alice', password: 'secret' });
    expect(r).toMatchObject({ outcome: 'ok', security: 'starttls', phase: 'quit' });
    expect(r.tls).toMatchObject({ trusted: true, trustError: null, nameMatches: true, selfSigned: false, interceptedBy: null, subject: 'mail.loopback.test' });
    expect(r.tls?.issuer).toMatch(/MailMedic Test Root/);
    expect(r.tls?.protocol).toMatch(/^TLSv1\.[23]$/);
    expect(r.tls?.san).toContain('IP Address:127.0.0.1');
    expect(ids.filter((id) => id.startsWith('smtp.tls-'))).toEqual([]);
    expect(section.recommended).toEqual({ port: s.port, security: 'starttls' });
  });

  it('a certificate signed by "Avast Web/Mail Shield Root" is reported as interception and fails without --insecure-tls-ok', async () => {
    const s = await server({ ...pair('avast-leaf', 'avast-root'), authOptional: true });
    const { r, ids, findings } = await run({ host: '127.0.0.1', ports: [s.port] });
    expect(r).toMatchObject({ outcome: 'tls-failed', phase: 'tls' });
    expect(r.tls).toMatchObject({ interceptedBy: 'Avast', trusted: false, trustError: 'SELF_SIGNED_CERT_IN_CHAIN' });
    expect(ids).toContain(`smtp.tls-intercepted.${s.port}`);
    expect(findings.find((f) => f.id === `smtp.tls-intercepted.${s.port}`)?.fixes[0]?.id).toMatch(/av-mail-scan-off:Avast/);
  });

  it('self-signed: tls-failed by default; ok with insecureTlsOk, still reported as a finding', async () => {
    const s = await server({ ...pair('self-signed'), authOptional: true });
    const strict = await run({ host: '127.0.0.1', ports: [s.port] });
    expect(strict.r).toMatchObject({ outcome: 'tls-failed', tls: { selfSigned: true, trustError: 'DEPTH_ZERO_SELF_SIGNED_CERT' } });
    const lax = await run({ host: '127.0.0.1', ports: [s.port], insecureTlsOk: true });
    expect(lax.r.outcome).toBe('ok');
    expect(lax.ids).toContain(`smtp.tls-self-signed.${s.port}`);
  });

  it('a trusted certificate for another name → tls-failed, nameMatches false', async () => {
    const s = await server({ ...pair('wrong-name'), authOptional: true });
    const { r, ids } = await run({ host: '127.0.0.1', ports: [s.port], extraCa: TEST_CA });
    expect(r).toMatchObject({ outcome: 'tls-failed', tls: { trusted: true, nameMatches: false } });
    expect(r.error).toMatch(/does not name/);
    expect(ids).toContain(`smtp.tls-name-mismatch.${s.port}`);
  });

  it('implicit TLS (secure server, port marked implicit): ok with security implicit, preferred in the recommendation', async () => {
    const implicit = await server({ ...pair('server'), secure: true, authOptional: true });
    const starttls = await server({ ...pair('server'), authOptional: true });
    const { section } = await run({ host: '127.0.0.1', ports: [starttls.port, implicit.port], implicitPorts: [implicit.port], extraCa: TEST_CA });
    expect(section.ports.map((p) => [p.outcome, p.security])).toEqual([['ok', 'starttls'], ['ok', 'implicit']]);
    expect(section.recommended).toEqual({ port: implicit.port, security: 'implicit' });
  });

  it('plain text to an implicit-TLS port → no-banner (the server waits for a ClientHello)', async () => {
    const s = await server({ ...pair('server'), secure: true, authOptional: true });
    const { r, findings } = await run({ host: '127.0.0.1', ports: [s.port], timeoutMs: 1000 });
    expect(r).toMatchObject({ outcome: 'no-banner', phase: 'greeting' });
    expect(findings.find((f) => f.id === `smtp.no-banner.${s.port}`)?.fixes.map((f) => f.id)).toContain(`smtp.use-port:${s.port}:implicit`);
  });

  it('maxClients 1 with another client connected → 421 at greeting (deferred)', async () => {
    const s = await server({ maxClients: 1, authOptional: true, hideSTARTTLS: true });
    const holder = connect(s.port, '127.0.0.1');
    await new Promise<void>((resolve) => holder.once('data', () => resolve()));
    try {
      const { r } = await run({ host: '127.0.0.1', ports: [s.port] });
      expect(r).toMatchObject({ outcome: 'deferred', phase: 'greeting', reply: { code: 421 } });
      expect(r.reply?.text).toMatch(/Too many connected clients/);
    } finally {
      holder.destroy();
    }
  });

  it('451 at RCPT → deferred at rcpt; 550 at MAIL → rejected at mail', async () => {
    const s = await server({
      authOptional: true, hideSTARTTLS: true,
      onRcptTo: (_a, _s, cb) => cb(smtpError(451, 'Greylisted, please try again in 300 seconds')),
      onMailFrom: (a, _s, cb) => (a.address.startsWith('blocked') ? cb(smtpError(550, '5.7.1 Sender blocked')) : cb()),
    });
    const grey = await run({ host: '127.0.0.1', ports: [s.port], from: 'a@x.test', to: 'b@x.test' });
    expect(grey.r).toMatchObject({ outcome: 'deferred', phase: 'rcpt', reply: { code: 451 } });
    const blocked = await run({ host: '127.0.0.1', ports: [s.port], from: 'blocked@x.test', to: 'b@x.test' });
    expect(blocked.r).toMatchObject({ outcome: 'rejected', phase: 'mail', reply: { code: 550, enhanced: '5.7.1' } });
  });

  it('auth required: 530 at MAIL without credentials → auth-failed; wrong password → 535 auth-failed', async () => {
    const s = await server({ authOptional: false, hideSTARTTLS: true, allowInsecureAuth: true, ...acceptAuth });
    const none = await run({ host: '127.0.0.1', ports: [s.port], from: 'a@x.test', to: 'b@x.test' });
    expect(none.r).toMatchObject({ outcome: 'auth-failed', phase: 'mail', reply: { code: 530 } });
    const bad = await run({ host: '127.0.0.1', ports: [s.port], user: 'alice', password: 'nope' });
    expect(bad.r).toMatchObject({ outcome: 'auth-failed', phase: 'auth', reply: { code: 535 } });
    const good = await run({ host: '127.0.0.1', ports: [s.port], user: 'alice', password: 'secret', from: 'a@x.test', to: 'b@x.test' });
    expect(good.r).toMatchObject({ outcome: 'ok', phase: 'quit' });
  });

  it('DNS goes through the injected resolver; the name is used for SNI and the certificate check', async () => {
    const s = await server({ ...pair('server'), authOptional: true });
    const asked: string[] = [];
    const { section, r } = await run({
      host: 'mail.loopback.test', ports: [s.port], extraCa: TEST_CA,
      resolver: async (h) => { asked.push(h); return [{ address: '127.0.0.1', family: 4 }]; },
    });
    expect(asked).toEqual(['mail.loopback.test']);
    expect(section.address).toBe('127.0.0.1');
    expect(r).toMatchObject({ outcome: 'ok', tls: { nameMatches: true, trusted: true } });
    expect(r.transcript[0]?.text).toMatch(/DNS mail\.loopback\.test → 127\.0\.0\.1 \(A\)/);
  });

  it('an address family that cannot be reached falls back to the other one, as mail programs do', async () => {
    // Listening on ::1 only: 127.0.0.1 (listed first, and preferred) refuses; the probe then reaches ::1.
    const s = await server({ ...pair('server'), authOptional: true }, '::1');
    const both = async () => [{ address: '127.0.0.1', family: 4 as const }, { address: '::1', family: 6 as const }];
    const { section, r } = await run({ host: 'mail.loopback.test', ports: [s.port], extraCa: TEST_CA, resolver: both });
    expect(section.address).toBe('127.0.0.1');
    expect(r).toMatchObject({ outcome: 'ok', address: '::1' });
    const text = r.transcript.map((l) => l.text).join('\n');
    expect(text).toMatch(new RegExp(`127\\.0\\.0\\.1 port ${s.port}: refused.*; trying ::1`));

    // Nothing on either family: the first family's failure is the answer, and the transcript says both were tried.
    await s.close();
    const gone = await run({ host: 'mail.loopback.test', ports: [s.port], resolver: both });
    expect(gone.r).toMatchObject({ outcome: 'refused', phase: 'connect', address: '127.0.0.1' });
    expect(gone.r.transcript.at(-1)?.text).toMatch(new RegExp(`^::1 port ${s.port}: refused.* as well$`));
  });

  it('a name that does not resolve → every port unreachable at dns, one clear finding', async () => {
    const { section, ids } = await run({
      host: 'nowhere.invalid', ports: [25, 587],
      resolver: async () => { throw Object.assign(new Error('getaddrinfo ENOTFOUND nowhere.invalid'), { code: 'ENOTFOUND' }); },
    });
    expect(section.address).toBeNull();
    expect(section.ports.map((p) => [p.outcome, p.phase])).toEqual([['unreachable', 'dns'], ['unreachable', 'dns']]);
    expect(ids).toEqual(['smtp.dns-failed']);
  });

  it('configured SSL/TLS on a STARTTLS port → "should be STARTTLS" finding with the fix', async () => {
    const s = await server({ ...pair('server'), authOptional: true });
    const { findings } = await run({ host: '127.0.0.1', ports: [s.port], extraCa: TEST_CA, configured: { port: s.port, security: 'implicit' } });
    const f = findings.find((x) => x.id === `smtp.wrong-security.${s.port}`);
    expect(f?.fixes).toEqual([{ id: `smtp.use-port:${s.port}:starttls`, title: `Use port ${s.port} with STARTTLS` }]);
  });
});
