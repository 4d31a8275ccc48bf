import { describe, expect, it } from 'vitest';
import { diagnose } from '../../../electron/smtp/diagnose.ts';
import { recommend } from '../../../electron/smtp/recommend.ts';
import { replyOutcome, connectErrorOutcome } from '../../../electron/smtp/outcome.ts';
import { Finding } from '../../../electron/core/finding.ts';
import type { PortResult, SmtpSection } from '../../../electron/smtp/schema.ts';
import { TRANSCRIPTS, portResult } from '../../support/smtp/port-result.ts';

const ok465 = portResult({ port: 465, outcome: 'ok', security: 'implicit' });
const ok587 = portResult({ port: 587, outcome: 'ok', security: 'starttls', transcript: TRANSCRIPTS.okStarttls, reply: { code: 250, enhanced: '2.0.0', text: 'Ok' } });
const ok2525 = portResult({ port: 2525, outcome: 'ok', security: 'starttls' });
const ok25 = portResult({ port: 25, outcome: 'ok', security: 'starttls' });
const dropped25 = portResult({ port: 25, outcome: 'timeout', phase: 'connect', transcript: TRANSCRIPTS.dropped, error: 'no answer to the TCP connection within 10000 ms (packets dropped)' });

function section(ports: PortResult[]): SmtpSection {
  return { host: 'smtp.example.com', address: '192.0.2.10', ports, recommended: recommend(ports) };
}

function run(ports: PortResult[], configured?: Parameters<typeof diagnose>[1]) {
  const findings = diagnose(section(ports), configured);
  findings.forEach((f) => Finding.parse(f));
  return findings;
}

describe('recommend', () => {
  it('prefers implicit 465, then 587 STARTTLS, then 2525, then 25; only among ok ports', () => {
    expect(recommend([ok25, ok2525, ok587, ok465])).toEqual({ port: 465, security: 'implicit' });
    expect(recommend([ok25, ok2525, ok587])).toEqual({ port: 587, security: 'starttls' });
    expect(recommend([ok25, ok2525])).toEqual({ port: 2525, security: 'starttls' });
    expect(recommend([ok25])).toEqual({ port: 25, security: 'starttls' });
    expect(recommend([dropped25, portResult({ port: 465, outcome: 'tls-failed', security: 'implicit' })])).toBeNull();
  });
});

describe('diagnose', () => {
  it('port 25 dropped while 587 works: "port 25 is blocked", switch to 587 STARTTLS', () => {
    const findings = run([dropped25, ok587]);
    const blocked = findings.find((f) => f.id === 'smtp.port-blocked.25');
    expect(blocked).toMatchObject({ severity: 'warning', fixes: [{ id: 'smtp.use-port:587:starttls' }] });
    expect(blocked?.evidence).toMatchObject({ port: 25, outcome: 'timeout', phase: 'connect' });
    expect(blocked?.detail).toMatch(/block port 25/);
    expect(findings.find((f) => f.id === 'smtp.recommended')?.title).toMatch(/587 with STARTTLS/);
  });

  it('nothing works: every failure is an error plus "no working port"', () => {
    const findings = run([dropped25, portResult({ port: 587, outcome: 'no-banner', phase: 'greeting', error: 'no reply within 10000 ms' })]);
    expect(findings.map((f) => [f.id, f.severity])).toEqual([
      ['smtp.port-blocked.25', 'error'],
      ['smtp.no-banner.587', 'error'],
      ['smtp.no-working-port', 'error'],
    ]);
    expect(findings[1]?.detail).toMatch(/antivirus mail shield or a proxy/);
  });

  it('250 is success: a working port yields no warning or error', () => {
    const findings = run([ok587]);
    expect(findings.filter((f) => f.severity !== 'info')).toEqual([]);
  });

  it('421 4.7.0 at greeting: deferred, explained as too many connections', () => {
    const findings = run([portResult({ port: 587, outcome: 'deferred', phase: 'greeting', reply: { code: 421, enhanced: '4.7.0', text: 'mail.example.com Error: too many connections from 203.0.113.7' } }), ok465]);
    const f = findings.find((x) => x.id === 'smtp.deferred.587');
    expect(f?.title).toMatch(/421 4\.7\.0 at greeting/);
    expect(f?.detail).toMatch(/simultaneous connections/);
    expect(f?.fixes[0]?.id).toBe('smtp.use-port:465:implicit');
  });

  it('a masked "220 ****" greeting is a firewall doing SMTP inspection', () => {
    const findings = run([portResult({ port: 25, outcome: 'ok', transcript: TRANSCRIPTS.masked })]);
    expect(findings.map((f) => f.id)).toContain('smtp.masked-banner.25');
  });

  it('a submission port without STARTTLS is flagged: the password would travel in clear', () => {
    const caps = { name: 'x', keywords: ['AUTH'], starttls: false, auth: ['PLAIN'], size: null, pipelining: false, eightBitMime: false, smtpUtf8: false };
    const findings = run([portResult({ port: 587, outcome: 'ok', capabilities: caps })]);
    expect(findings.map((f) => f.id)).toContain('smtp.no-encryption.587');
  });

  it('the account is set to port 25, which is blocked: switch to the recommendation', () => {
    const findings = run([dropped25, ok587, ok465], { port: 25, security: 'none' });
    const f = findings.find((x) => x.id === 'smtp.switch-port.25');
    expect(f).toMatchObject({ severity: 'error', fixes: [{ id: 'smtp.use-port:465:implicit' }] });
  });

  it('a DNS failure is one finding, not one per port', () => {
    const dns = (port: number) => portResult({ port, outcome: 'unreachable', phase: 'dns', address: null, error: 'ENOTFOUND: getaddrinfo ENOTFOUND smtp.example.com' });
    const findings = run([dns(25), dns(587)]);
    expect(findings.map((f) => f.id)).toEqual(['smtp.dns-failed']);
  });
});

describe('outcome mapping', () => {
  it('positive replies are never failures', () => {
    for (const code of [220, 221, 235, 250, 251, 334, 354]) expect(replyOutcome('rcpt', code, null, '')).toBeNull();
  });

  it.each([
    ['greeting', 421, '4.7.0', 'too many connections', 'deferred'],
    ['greeting', 554, '5.7.1', 'Access denied', 'rejected'],
    ['auth', 535, '5.7.8', 'authentication failed', 'auth-failed'],
    ['auth', 454, '4.7.0', 'Too many login attempts', 'deferred'],
    ['mail', 530, '5.7.0', 'Authentication required', 'auth-failed'],
    ['mail', 530, '5.7.0', 'Must issue a STARTTLS command first', 'rejected'],
    ['mail', 550, '5.7.57', 'Client not authenticated to send mail', 'auth-failed'],
    ['tls', 454, '4.7.0', 'TLS not available due to local problem', 'tls-failed'],
    ['rcpt', 450, '4.2.1', 'Mailbox busy', 'deferred'],
  ] as const)('%s %i %s "%s" → %s', (phase, code, enhanced, text, outcome) => {
    expect(replyOutcome(phase, code, enhanced, text)).toBe(outcome);
  });

  it.each([
    ['ECONNREFUSED', 'refused'],
    ['ETIMEDOUT', 'timeout'],
    ['EHOSTUNREACH', 'unreachable'],
    ['ENETUNREACH', 'unreachable'],
    ['ECONNRESET', 'reset'],
  ] as const)('%s → %s', (code, outcome) => {
    expect(connectErrorOutcome(code)).toBe(outcome);
  });
});
