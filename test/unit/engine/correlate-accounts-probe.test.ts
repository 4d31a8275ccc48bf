import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareWithProbe } from '../../../electron/engine/correlate/accounts-probe.ts';
import { readAll } from '../../../electron/clients/service.ts';
import type { PortResult, SmtpSection } from '../../../electron/smtp/schema.ts';
import { CLIENT_FIXTURES, fixtureContext } from '../../support/clients/context.ts';

const port = (p: number, security: PortResult['security'], outcome: PortResult['outcome'], error: string | null = null): PortResult => ({
  port: p, security, outcome, phase: outcome === 'ok' ? 'quit' : 'connect', reply: null, tls: null, ms: 1, transcript: [], address: '192.0.2.1', error,
});

describe('accounts vs. SMTP probe', async () => {
  const res = await readAll(fixtureContext(path.join(CLIENT_FIXTURES, 'tb-linux')));
  const section: SmtpSection = {
    host: 'SMTP.example.com',
    address: '192.0.2.1',
    ports: [port(25, 'none', 'timeout', 'ETIMEDOUT'), port(587, 'starttls', 'ok'), port(465, 'implicit', 'ok')],
    recommended: { port: 587, security: 'starttls' },
  };

  it('says "configured 25 (timeout); 587 STARTTLS works" and offers the matching fix', () => {
    const [f, ...rest] = compareWithProbe(res.accounts, res.fixes, [section]);
    expect(rest).toEqual([]);
    expect(f!.title).toBe('jane@example.com: configured 25 plain (timeout, ETIMEDOUT); 587 STARTTLS works');
    expect(f!.evidence).toMatchObject({ configured: { port: 25, outcome: 'timeout' }, works: { port: 587, security: 'starttls' } });
    expect(f!.fixes.map((x) => x.id)).toEqual(['thunderbird:abcd1234.default-release:smtp1:smtp-587-starttls']);
  });

  it('is silent when the configured port works or the probe was for another host', () => {
    const ok = { ...section, ports: [port(25, 'none', 'ok'), ...section.ports.slice(1)] };
    expect(compareWithProbe(res.accounts, res.fixes, [ok])).toEqual([]);
    expect(compareWithProbe(res.accounts, res.fixes, [{ ...section, host: 'other.example' }])).toEqual([]);
  });
});

describe('provider host typos', async () => {
  const { editDistance, likelyTypoOf } = await import('../../../electron/clients/providers.ts');
  const { checkOutgoing } = await import('../../../electron/clients/checks.ts');
  it('spots one or two slips, swaps included, and leaves real hosts alone', () => {
    expect(editDistance('smtp.gmial.com', 'smtp.gmail.com')).toBe(1);
    expect(likelyTypoOf('smtp.gmial.com')?.host).toBe('smtp.gmail.com');
    expect(likelyTypoOf('smtp.office356.com')?.host).toBe('smtp.office365.com');
    expect(likelyTypoOf('SMTP.GMAIL.COM')).toBeNull();
    expect(likelyTypoOf('smtp.example.com')).toBeNull();
    expect(likelyTypoOf('mail.gmx.de')).toBeNull(); // a real host of the same provider family: 3 edits away
  });
  it('becomes a finding with the expected host as evidence', () => {
    const acc = { id: 'x', client: 'other' as const, profile: null, name: null, email: 'a@gmail.com', incoming: null,
      outgoing: { host: 'smtp.gmial.com', port: 587, security: 'starttls' as const, auth: true, username: 'a' }, dataFiles: [], source: { file: null, registryKey: null } };
    const f = checkOutgoing([acc], []).find((x) => x.id === 'accounts.smtp.host-typo')!;
    expect(f.evidence).toMatchObject({ host: 'smtp.gmial.com', expected: 'smtp.gmail.com', provider: 'Gmail' });
  });
});

describe('provider host typos in the TLD', async () => {
  const { likelyTypoOf } = await import('../../../electron/clients/providers.ts');
  it('flags a slipped .com but not another real TLD', () => {
    expect(likelyTypoOf('smtp.gmail.con')?.host).toBe('smtp.gmail.com');
    expect(likelyTypoOf('smtp.web.de')).toBeNull();
  });
});
