import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { connect } from 'node:net';
import { diagnoseSmtp, sendTestMessage, type SmtpProbeOptions } from '../../../electron/smtp/service.ts';
import { SmtpSection } from '../../../electron/smtp/schema.ts';
import { PFX, PFX_BASE, postfixCertPath, postfixUnavailable, startPostfix, stopPostfix } from '../../support/smtp/postfix.ts';

// A real Postfix 3.7 on 127.0.0.1 (test/support/smtp/postfix-loopback.sh), started and stopped here.

const unavailable = postfixUnavailable();
if (unavailable) console.warn(`SKIPPED postfix tests: ${unavailable}`);

const ALICE = { user: 'alice@loopback.test', password: 'secret' };
const LOCAL = '127.0.0.1';

async function probe(port: number, extra: Partial<SmtpProbeOptions> = {}) {
  const out = await diagnoseSmtp({ host: LOCAL, ports: [port], timeoutMs: 5000, insecureTlsOk: true, ...extra });
  SmtpSection.parse(out.section);
  return { ...out, r: out.section.ports[0]! };
}

describe.skipIf(unavailable !== null)('real Postfix on loopback', () => {
  beforeAll(async () => {
    await startPostfix();
  });
  afterAll(async () => {
    await stopPostfix();
  });

  it('submission 587-style: STARTTLS, AUTH PLAIN, MAIL/RCPT dry-run → ok; the certificate is trusted when its CA is given', async () => {
    const { r } = await probe(PFX.submission, { ...ALICE, from: ALICE.user, to: 'ok@loopback.test', insecureTlsOk: false, extraCa: [readFileSync(postfixCertPath(), 'utf8')] });
    expect(r).toMatchObject({ outcome: 'ok', security: 'starttls', phase: 'quit', tls: { trusted: true, nameMatches: true } });
    expect(r.capabilities?.auth).toEqual(expect.arrayContaining(['PLAIN', 'LOGIN']));
    const shown = JSON.stringify(r.transcript);
    expect(shown).toMatch(/235 2\.7\.0 Authentication successful/);
    expect(shown).not.toContain('secret');
    expect(shown).not.toContain(Buffer.from(`\0${ALICE.user}\0secret`).toString('base64'));
  });

  it('wrong password → auth-failed 535 5.7.8', async () => {
    const { r, findings } = await probe(PFX.submission, { user: ALICE.user, password: 'wrong' });
    expect(r).toMatchObject({ outcome: 'auth-failed', phase: 'auth', reply: { code: 535, enhanced: '5.7.8' } });
    expect(findings.find((f) => f.id === `smtp.auth-failed.${PFX.submission}`)?.detail).toMatch(/password/i);
  });

  it('CRAM-MD5 against Cyrus sasldb: the right password signs in (235), a wrong one is 535 5.7.8; neither reaches the transcript', async () => {
    const { r } = await probe(PFX.submission, { ...ALICE, authMechanism: 'CRAM-MD5' });
    expect(r.capabilities?.auth).toEqual(expect.arrayContaining(['PLAIN', 'LOGIN', 'CRAM-MD5']));
    expect(r).toMatchObject({ outcome: 'ok', security: 'starttls', authMechanism: 'CRAM-MD5' });
    const shown = r.transcript.map((e) => e.text);
    expect(shown).toEqual(expect.arrayContaining(['AUTH CRAM-MD5', '<credentials hidden>']));
    expect(shown.join('\n')).toMatch(/235 2\.7\.0 Authentication successful/);
    const bad = await probe(PFX.submission, { user: ALICE.user, password: 'wrong', authMechanism: 'CRAM-MD5' });
    expect(bad.r).toMatchObject({ outcome: 'auth-failed', phase: 'auth', authMechanism: 'CRAM-MD5', reply: { code: 535, enhanced: '5.7.8' } });
    // A port that only refused the sign-in works: the diagnosis names the sign-in, not the port.
    expect(bad.findings.map((f) => f.id)).toContain('smtp.signin.fails');
    expect(bad.findings.map((f) => f.id)).not.toContain('smtp.no-working-port');
    expect(JSON.stringify([r, bad.r])).not.toMatch(/secret|wrong/);
  });

  it('implicit TLS (wrapper mode) → ok, security implicit, and it is the recommendation', async () => {
    const { section } = await diagnoseSmtp({
      host: LOCAL, ports: [PFX.smtp, PFX.submission, PFX.submissions, PFX.rejectAll], implicitPorts: [PFX.submissions],
      timeoutMs: 5000, insecureTlsOk: true, ...ALICE,
    });
    expect(section.ports.map((p) => p.outcome)).toEqual(['ok', 'ok', 'ok', 'rejected']);
    expect(section.recommended).toEqual({ port: PFX.submissions, security: 'implicit' });
  });

  it('encryption off on a port that requires it → 530 5.7.0 "Must issue a STARTTLS command first" at MAIL', async () => {
    const { r } = await probe(PFX.submission, { starttls: false, from: 'x@loopback.test', to: 'ok@loopback.test' });
    expect(r).toMatchObject({ phase: 'mail', reply: { code: 530, enhanced: '5.7.0' }, security: 'none' });
    expect(r.outcome).toBe('rejected');
    expect(r.reply?.text).toMatch(/STARTTLS/);
  });

  it('connection-count limit: a second connection gets 421 4.7.0 at greeting → deferred, "too many connections"', async () => {
    const holder = connect(PFX.connLimit, LOCAL);
    await new Promise<void>((resolve) => holder.once('data', () => resolve()));
    try {
      const { r, findings } = await probe(PFX.connLimit);
      expect(r).toMatchObject({ outcome: 'deferred', phase: 'greeting', reply: { code: 421, enhanced: '4.7.0' } });
      expect(r.reply?.text).toMatch(/too many connections/);
      expect(findings.find((f) => f.id === `smtp.deferred.${PFX.connLimit}`)?.detail).toMatch(/simultaneous connections/);
    } finally {
      holder.destroy();
    }
  });

  it('554 sent as the greeting → rejected at greeting', async () => {
    const { r } = await probe(PFX.rejectAll);
    expect(r).toMatchObject({ outcome: 'rejected', phase: 'greeting', reply: { code: 554, enhanced: '5.7.1' } });
  });

  it('tarpit (greeting delayed 20 s) → no-banner after the greeting timeout', async () => {
    const { r } = await probe(PFX.tarpit, { timeoutMs: 1000 });
    expect(r).toMatchObject({ outcome: 'no-banner', phase: 'greeting' });
  });

  it.each([
    ['busy450', 'deferred', 450, '4.2.1'],
    ['greylist451', 'deferred', 451, '4.7.1'],
    ['full452', 'deferred', 452, '4.2.2'],
    ['reject550', 'rejected', 550, '5.7.1'],
    ['nosuchuser', 'rejected', 550, '5.1.1'],
    ['reject554', 'rejected', 554, '5.7.1'],
    ['bye421', 'deferred', 421, '4.7.0'],
    ['ok', 'ok', 250, '2.0.0'],
  ])('RCPT %s@ → %s %i %s', async (who, outcome, code, enhanced) => {
    const { r } = await probe(PFX.smtp, { from: 'x@loopback.test', to: `${who}@loopback.test` });
    expect(r).toMatchObject({ outcome, reply: { code, enhanced } });
    if (outcome !== 'ok') expect(r.phase).toBe('rcpt');
  });

  it('relay to a foreign domain without AUTH → 554 5.7.1 Relay access denied (rejected at rcpt)', async () => {
    const { r, findings } = await probe(PFX.smtp, { from: 'x@loopback.test', to: 'someone@example.com' });
    expect(r).toMatchObject({ outcome: 'rejected', phase: 'rcpt', reply: { code: 554, enhanced: '5.7.1' } });
    expect(findings.find((f) => f.id === `smtp.rejected.${PFX.smtp}`)?.detail).toMatch(/authentication/i);
  });

  it('the optional real test message goes through nodemailer and lands in the Maildir; credentials stay out of its log', async () => {
    const to = 'ok@loopback.test';
    const res = await sendTestMessage({ host: LOCAL, port: PFX.submission, security: 'starttls', from: ALICE.user, to, ...ALICE, insecureTlsOk: true, timeoutMs: 10_000 });
    expect(res).toMatchObject({ sent: true, accepted: [to], rejected: [], error: null });
    expect(res.response).toMatch(/^250 2\.0\.0 Ok: queued as/);
    const log = JSON.stringify(res.transcript);
    expect(log).not.toContain('secret');
    expect(log).not.toContain(Buffer.from(`\0${ALICE.user}\0secret`).toString('base64'));
    // delivery to the Maildir is asynchronous (qmgr → virtual): wait for it, bounded
    const dir = path.join(PFX_BASE, 'mail', 'loopback.test', 'ok', 'new');
    let found = false;
    for (let i = 0; i < 100 && !found; i++) {
      found = existsSync(dir) && readdirSync(dir).some((f) => readFileSync(path.join(dir, f), 'utf8').includes(`Message-ID: ${res.messageId}`));
      if (!found) await new Promise((r) => setTimeout(r, 100));
    }
    expect(found).toBe(true);

    const bad = await sendTestMessage({ host: LOCAL, port: PFX.submission, security: 'starttls', from: ALICE.user, to, user: ALICE.user, password: 'wrong', insecureTlsOk: true });
    expect(bad).toMatchObject({ sent: false, error: { code: 'EAUTH', responseCode: 535 } });
  });

  it('swaks cross-check: same server, same verdict (550 at RCPT, and ok with AUTH)', async () => {
    const swaks = (args: string[]) =>
      new Promise<{ code: number; out: string }>((resolve) => {
        execFile('swaks', ['--server', LOCAL, '--timeout', '10', '--helo', 'client.loopback.test', ...args], { timeout: 30_000 }, (err, stdout, stderr) => {
          resolve({ code: err ? Number((err as NodeJS.ErrnoException & { code?: unknown }).code ?? 1) : 0, out: stdout + stderr });
        });
      });
    const rejected = await swaks(['--port', String(PFX.smtp), '-f', 'x@loopback.test', '-t', 'reject550@loopback.test', '--quit-after', 'RCPT']);
    expect(rejected.code).toBe(24); // swaks: 24 = RCPT failed
    const swaksLine = /<\*\* +(\d{3}) (\d\.\d+\.\d+)/.exec(rejected.out);
    const ours = await probe(PFX.smtp, { from: 'x@loopback.test', to: 'reject550@loopback.test' });
    expect(ours.r.outcome).toBe('rejected');
    expect([String(ours.r.reply?.code), ours.r.reply?.enhanced]).toEqual([swaksLine?.[1], swaksLine?.[2]]);

    const ok = await swaks(['--port', String(PFX.submission), '-tls', '-a', 'PLAIN', '-au', ALICE.user, '-ap', ALICE.password, '--quit-after', 'AUTH']);
    expect(ok.code).toBe(0);
    const oursOk = await probe(PFX.submission, ALICE);
    expect(oursOk.r.outcome).toBe('ok');
  });
});
