import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { groupCauses, withCauses } from '../../../electron/engine/causes.ts';
import { buildReport } from '../../../electron/report/build.ts';
import { diagnose } from '../../../electron/smtp/diagnose.ts';
import { recommend } from '../../../electron/smtp/recommend.ts';
import { checkOutgoing } from '../../../electron/clients/checks.ts';
import { compareWithProbe } from '../../../electron/engine/correlate/accounts-probe.ts';
import { correlateNetworkWithSmtp } from '../../../electron/engine/correlate/network-smtp.ts';
import { configuredFor, joinSmtpWithAccounts } from '../../../electron/engine/link-fixes.ts';
import { sectionFindings } from '../../../electron/network/findings.ts';
import { pstFindings } from '../../../electron/pst/findings.ts';
import { finding, type Finding } from '../../../electron/core/finding.ts';
import type { Fix } from '../../../electron/core/fix.ts';
import type { Account } from '../../../electron/clients/schema.ts';
import type { NetworkSection } from '../../../electron/network/schema.ts';
import type { PortResult, SmtpSection, TlsInfo } from '../../../electron/smtp/schema.ts';
import type { PstFileResult } from '../../../electron/pst/schema.ts';
import type { Report } from '../../../electron/contract/report.ts';
import { TRANSCRIPTS, portResult } from '../../support/smtp/port-result.ts';
import { emptyNetwork } from '../../support/network/sections.ts';
import { expectOneStory } from '../../support/causes.ts';
import { account as samAccount, damagedPst, okPst } from '../renderer/reports.ts';

// groupCauses on reports put together the way the scan does, from the real rules (diagnosis, account checks,
// correlations, PST summary) over hand-built sections; and its invariants over any mix of those findings.

const sam: Account = { ...samAccount, outgoing: { host: 'smtp.example.com', port: 25, security: 'none', auth: true, username: 'sam@example.com' } };
const FIX_TITLES: Record<string, string> = {
  'smtp-587-starttls': 'Thunderbird: send on port 587 with STARTTLS',
  'smtp-465-implicit': 'Thunderbird: send on port 465 with SSL/TLS',
  'smtp-auth-oauth2': 'Thunderbird: sign in with OAuth2',
};
const fixesFor = (a: Account): Fix[] =>
  Object.entries(FIX_TITLES).map(([action, title]) => ({
    id: `${a.id}:${action}`,
    title,
    area: 'accounts',
    accounts: [a.id],
    action,
    guards: [],
    plan: async () => [],
  }));

const ok587 = portResult({ port: 587, outcome: 'ok', security: 'starttls', transcript: TRANSCRIPTS.okStarttls });
const dropped25 = portResult({ port: 25, outcome: 'timeout', phase: 'connect', transcript: TRANSCRIPTS.dropped, error: 'no answer within 10000 ms' });
const refused465 = portResult({ port: 465, outcome: 'refused', security: 'implicit', error: 'ECONNREFUSED' });

function section(ports: PortResult[], host = 'smtp.example.com', address = '192.0.2.10'): SmtpSection {
  return { host, address, ports, recommended: recommend(ports) };
}

/** What `runScan` gathers, in its order, from the real rules; then the report with its causes. */
function scan(o: { accounts?: Account[]; sections?: SmtpSection[]; network?: NetworkSection; pst?: PstFileResult[]; extra?: Finding[] }): Report {
  const accounts = o.accounts ?? [];
  const sections = o.sections ?? [];
  const fixes = accounts.flatMap(fixesFor);
  const findings = [...checkOutgoing(accounts, fixes)];
  for (const s of sections) findings.push(...joinSmtpWithAccounts(diagnose(s, configuredFor(s.host, accounts)), s, accounts, fixes));
  findings.push(...compareWithProbe(accounts, fixes, sections));
  if (o.network) {
    findings.push(...sectionFindings(o.network));
    for (const s of sections) findings.push(...correlateNetworkWithSmtp(o.network, s));
  }
  if (o.pst) findings.push(...pstFindings(o.pst));
  findings.push(...(o.extra ?? []));
  return withCauses(
    buildReport('scan', new Date(), findings, { accounts, smtpHosts: sections, ...(o.network ? { network: o.network } : {}), ...(o.pst ? { pst: { files: o.pst } } : {}) }),
  );
}

const cause = (r: Report, id: string) => r.causes?.find((c) => c.id === id);

describe('groupCauses on realistic reports', () => {
  it('an account on port 25, blocked here, 587 works: one cause with the port outcomes, the password sent in clear, and its switch first', () => {
    const r = scan({ accounts: [sam], sections: [section([dropped25, refused465, ok587])] });
    const causes = expectOneStory(r);
    expect(causes.map((c) => c.id)).toEqual(['account-port:smtp.example.com:25']);
    const c = causes[0]!;
    expect(c.title).toBe('sam@example.com cannot send: port 25 is blocked on this network — switch to 587 with STARTTLS');
    expect(new Set(c.findings)).toEqual(
      new Set([
        'accounts.smtp.25-submission', 'accounts.smtp.plaintext-password', 'accounts.smtp.probe-mismatch', 'smtp.switch-port.25',
        'smtp.port-blocked.25', 'smtp.port-refused.465', 'smtp.recommended',
      ]),
    );
    // The one next step is the account's switch to 587; the switch to 465, refused here, is not offered.
    expect(c.fixes).toEqual([`${sam.id}:smtp-587-starttls`]);
  });

  it('an account on port 25 where no port of the server answers: one cause, "no port works", no switch to a port that failed', () => {
    const refused = (port: number, security: PortResult['security'] = 'none') => portResult({ port, security, outcome: 'refused', error: 'ECONNREFUSED' });
    const r = scan({ accounts: [sam], sections: [section([refused(25), refused(465, 'implicit'), refused(587), refused(2525)])] });
    const causes = expectOneStory(r);
    expect(causes.map((c) => c.id)).toEqual(['account-port:smtp.example.com:25']);
    expect(causes[0]!.title).toBe('sam@example.com cannot send: no port of smtp.example.com works from here');
    expect(causes[0]!.findings).toEqual(expect.arrayContaining(['smtp.no-working-port', 'accounts.smtp.25-submission', 'smtp.port-refused.587']));
    expect(causes[0]!.summary).toMatch(/Check the outgoing server's name/);
    expect(causes[0]!.fixes).toEqual([]);
  });

  it('two servers with the same problem: two causes, told apart by host although their finding ids repeat', () => {
    const bob: Account = { ...sam, id: 'thunderbird:p1:account2', email: 'bob@example.org', outgoing: { ...sam.outgoing!, host: 'mail.example.org' } };
    const r = scan({ accounts: [sam, bob], sections: [section([dropped25, ok587]), section([dropped25, ok587], 'mail.example.org', '198.51.100.7')] });
    const causes = expectOneStory(r);
    expect(causes.map((c) => c.id)).toEqual(['account-port:smtp.example.com:25', 'account-port:mail.example.org:25']);
    const [a, b] = causes;
    expect(a!.title).toMatch(/^sam@example\.com cannot send/);
    expect(b!.title).toMatch(/^bob@example\.org cannot send/);
    // The same ids in both, at different places in the report.
    expect(a!.findings.filter((id) => id.startsWith('smtp.'))).toEqual(b!.findings.filter((id) => id.startsWith('smtp.')));
    expect(a!.findingIndexes.some((i) => b!.findingIndexes.includes(i))).toBe(false);
    // 465 was not probed here, so its switch stays offered, after the one that works.
    expect(b!.fixes).toEqual([`${bob.id}:smtp-587-starttls`, `${bob.id}:smtp-465-implicit`]);
  });

  it('465 set with STARTTLS where the server speaks TLS at once: "use SSL/TLS on port 465", that fix first', () => {
    const on465: Account = { ...sam, outgoing: { ...sam.outgoing!, port: 465, security: 'starttls' } };
    const ok465 = portResult({ port: 465, outcome: 'ok', security: 'implicit' });
    const r = scan({ accounts: [on465], sections: [section([portResult({ port: 25, outcome: 'refused' }), ok465, ok587])] });
    const causes = expectOneStory(r);
    expect(causes[0]!.title).toBe('sam@example.com cannot send: port 465 is set with STARTTLS but needs SSL/TLS — use SSL/TLS on port 465');
    expect(causes[0]!.fixes[0]).toBe(`${sam.id}:smtp-465-implicit`);
    expect(causes[0]!.findings).toEqual(expect.arrayContaining(['accounts.smtp.465-starttls', 'smtp.wrong-security.465']));
  });

  it('Microsoft 365 with SMTP AUTH off: one sign-in cause, no port blamed, the switch to OAuth2 first', () => {
    const office: Account = { ...sam, id: 'thunderbird:p1:account3', email: 'kim@contoso.com', outgoing: { host: 'smtp.office365.com', port: 587, security: 'starttls', auth: true, username: 'kim@contoso.com' } };
    const capabilities = { name: 'outlook.office365.com', keywords: ['AUTH'], starttls: true, auth: ['LOGIN', 'XOAUTH2'], size: null, pipelining: true, eightBitMime: true, smtpUtf8: true };
    const denied = portResult({
      port: 587, security: 'starttls', outcome: 'auth-failed', phase: 'auth', capabilities,
      reply: { code: 535, enhanced: '5.7.139', text: 'Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.' },
    });
    const r = scan({ accounts: [office], sections: [section([portResult({ port: 25, outcome: 'refused' }), refused465, denied], 'smtp.office365.com')] });
    const causes = expectOneStory(r);
    expect(causes.filter((c) => c.severity !== 'info').map((c) => c.id)).toEqual(['sign-in:smtp.office365.com']);
    const c = causes[0]!;
    expect(c.title).toBe('Microsoft 365 wants modern sign-in (OAuth) here, not your password');
    expect(c.findings).toEqual(expect.arrayContaining(['smtp.auth-failed.587', 'smtp.signin.oauth-required', 'smtp.signin.fails', 'smtp.port-refused.465']));
    expect(r.findings.map((f) => f.id)).not.toContain('smtp.no-working-port');
    expect(c.fixes[0]).toBe(`${office.id}:smtp-auth-oauth2`);
  });

  it('a refused password with no more specific finding: the title names the sign-in, not the port', () => {
    const denied = portResult({ port: 587, security: 'starttls', outcome: 'auth-failed', phase: 'auth', reply: { code: 535, enhanced: '5.7.8', text: 'Authentication credentials invalid' } });
    const r = scan({ sections: [section([denied], 'mail.example.net')] });
    const causes = expectOneStory(r);
    expect(causes.map((c) => c.id)).toEqual(['sign-in:mail.example.net']);
    // The summary finding says it best when there is one; else the cause says so itself.
    expect(causes[0]!.title).toBe('mail.example.net answers, but the sign-in fails');
    const bare = groupCauses({ findings: r.findings.filter((f) => f.id === 'smtp.auth-failed.587'), smtpHosts: r.smtpHosts });
    expect(bare[0]!.title).toBe('Sign-in to mail.example.net fails (535 5.7.8): the server answers, but does not accept the login');
  });

  it('a provider that defers this IP on every port: its own "not on this PC" cause, not a port problem', () => {
    const deferred = (port: number) =>
      portResult({ port, security: 'starttls', outcome: 'deferred', phase: 'greeting', reply: { code: 421, enhanced: '4.7.0', text: '[TSS04] Messages from 192.0.2.99 temporarily deferred due to unexpected volume or user complaints' } });
    const r = scan({ sections: [section([deferred(587), deferred(25)], 'smtp.mail.yahoo.com')] });
    const causes = expectOneStory(r);
    expect(causes.map((c) => c.id)).toEqual(['provider-block:smtp.mail.yahoo.com']);
    expect(causes[0]!.title).toMatch(/^Yahoo\/AOL is holding back mail from your internet address/);
    expect(causes[0]!.findings).toEqual(['smtp.provider-block.587', 'smtp.provider-block.25']);
    expect(causes[0]!.fixes).toEqual([]);
  });

  it('a provider that refuses only the port an account uses, while another answers: the port cause of that account', () => {
    const deferred25 = portResult({ port: 25, outcome: 'deferred', phase: 'greeting', reply: { code: 421, enhanced: '4.7.0', text: '[TSS04] Messages from 192.0.2.99 temporarily deferred' } });
    const r = scan({ accounts: [sam], sections: [section([deferred25, ok587])] });
    const causes = expectOneStory(r);
    expect(causes[0]!.id).toBe('account-port:smtp.example.com:25');
    expect(causes[0]!.title).toBe('sam@example.com cannot send: port 25 is deferred by the server (421 4.7.0) — switch to 587 with STARTTLS');
    expect(causes[0]!.findings).toContain('smtp.provider-block.25');
  });

  it('a VPN that filters port 25: one VPN cause with the route, the active VPN and the blocked port', () => {
    const n = emptyNetwork();
    const net: NetworkSection = {
      ...n,
      vpn: { ...n.vpn, details: { ...n.vpn.details, active: true, interfaces: [{ name: 'wg0', kind: 'wireguard', up: true, description: null, addresses: ['10.8.0.2/24'] }] } },
      route: { ...n.route, details: { ...n.route.details, target: '192.0.2.10', interface: 'wg0', viaVpn: true } },
    };
    const r = scan({ sections: [section([dropped25, ok587])], network: net });
    const causes = expectOneStory(r);
    const vpn = cause(r, 'vpn:wg0');
    expect(causes[0]).toEqual(vpn);
    expect(vpn!.title).toMatch(/^Traffic to smtp\.example\.com leaves through the VPN interface wg0; the probe failed on 25/);
    expect(new Set(vpn!.findings)).toEqual(new Set(['network.vpn-route.wg0', 'network.route.via-vpn', 'network.vpn.active', 'smtp.port-blocked.25']));
    expect(vpn!.fixes).toEqual(['network.guide.vpn-split-tunnel.wireguard']);
  });

  it('an antivirus intercepting TLS: one cause with the certificate, the failure it causes and the product note', () => {
    const tls: TlsInfo = {
      protocol: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384', subject: 'CN=smtp.example.com', issuer: 'CN=Avast Web/Mail Shield Root', san: [],
      validFrom: null, validTo: null, trusted: false, trustError: 'SELF_SIGNED_CERT_IN_CHAIN', nameMatches: true, selfSigned: false, interceptedBy: 'Avast',
    };
    const net: NetworkSection = {
      ...emptyNetwork('win32'),
      antivirus: [{ name: 'Avast Free Antivirus', state: 'on', upToDate: true, microsoft: false, productState: 397568, source: 'wsc' }],
    };
    const r = scan({ sections: [section([portResult({ port: 587, security: 'starttls', outcome: 'tls-failed', phase: 'tls', tls })])], network: net });
    const causes = expectOneStory(r);
    expect(causes[0]!.id).toBe('antivirus');
    expect(causes[0]!.title).toBe("Avast Free Antivirus's mail shield intercepts your mail encryption");
    expect(new Set(causes[0]!.findings)).toEqual(
      new Set(['smtp.tls-failed.587', 'smtp.tls-intercepted.587', 'network.av-intercepts-tls.587', 'network.antivirus.active.avast-free-antivirus', 'smtp.no-working-port']),
    );
  });

  it('two servers with certificate problems: one certificate cause each', () => {
    const selfSigned: TlsInfo = {
      protocol: 'TLSv1.3', cipher: null, subject: 'CN=mail.local', issuer: 'CN=mail.local', san: [], validFrom: null, validTo: '2020-02-01T00:00:00Z',
      trusted: false, trustError: 'DEPTH_ZERO_SELF_SIGNED_CERT', nameMatches: false, selfSigned: true, interceptedBy: null,
    };
    const bad = portResult({ port: 587, security: 'starttls', outcome: 'tls-failed', phase: 'tls', tls: selfSigned });
    const r = scan({ sections: [section([bad], 'a.example.com'), section([bad], 'b.example.com')] });
    const causes = expectOneStory(r);
    expect(causes.map((c) => c.id)).toEqual(['certificate:a.example.com', 'certificate:b.example.com']);
    expect(causes[0]!.title).toBe('The certificate of a.example.com is self-signed, expired and made out for another name');
  });

  it('sending problems come before a damaged data file; notes are gathered at the end', () => {
    const n = emptyNetwork();
    const net: NetworkSection = {
      ...n,
      antivirusCheck: { checked: false, reason: 'systemctl is not installed', sources: [] },
      proxy: { ...n.proxy, details: { ...n.proxy.details, settings: [{ source: 'env', kind: 'https', value: 'http://proxy:3128' }] } },
    };
    const r = scan({ accounts: [sam], sections: [section([dropped25, ok587])], network: net, pst: [damagedPst, okPst] });
    const causes = expectOneStory(r);
    expect(causes.map((c) => c.id)).toEqual(['account-port:smtp.example.com:25', `pst:${damagedPst.path}`, 'not-checked', 'info']);
    expect(causes.at(-1)).toMatchObject({ title: 'Also worth knowing', findings: ['network.proxy.set', 'pst.summary'] });
    expect(causes.at(-2)).toMatchObject({ title: 'Could not check antivirus products', findings: ['network.not-checked.antivirus'] });
  });
});

describe('groupCauses invariants', () => {
  // Every finding the cases above produce, as a pool to draw reports from.
  const pool: Report = scan({
    accounts: [sam],
    sections: [section([dropped25, refused465, ok587]), section([portResult({ port: 587, outcome: 'auth-failed', phase: 'auth', security: 'starttls' })], 'smtp.office365.com')],
    network: { ...emptyNetwork(), firewall: { ...emptyNetwork().firewall, details: { ...emptyNetwork().firewall.details, blockRules: [{ source: 'ufw', name: 'no smtp', action: 'drop', ports: [25], addresses: [], location: null, text: 'deny out 25' }] } } },
    pst: [damagedPst, okPst, { ...damagedPst, path: '/data/mail/other.pst' }],
    extra: [finding({ id: 'smtp.provider-block.x', area: 'smtp', severity: 'warning', title: 'blocked', detail: '', evidence: { host: 'smtp.example.com' } })],
  });

  it('any subset of realistic findings: each in exactly one cause, severity its worst, fixes its own, most serious first', () => {
    fc.assert(
      fc.property(fc.subarray(pool.findings.map((_, i) => i)), (picked) => {
        const findings = picked.map((i) => pool.findings[i]!);
        const causes = groupCauses({ ...pool, findings });
        const seen = causes.flatMap((c) => c.findingIndexes).sort((a, b) => a - b);
        expect(seen).toEqual(findings.map((_, i) => i));
        for (const c of causes) {
          expect(c.findings).toEqual(c.findingIndexes.map((i) => findings[i]!.id));
          const own = new Set(c.findingIndexes.flatMap((i) => findings[i]!.fixes.map((x) => x.id)));
          expect(c.fixes.every((id) => own.has(id))).toBe(true);
        }
        const rank = { error: 0, warning: 1, info: 2 };
        expect(causes.map((c) => rank[c.severity])).toEqual(causes.map((c) => rank[c.severity]).sort((a, b) => a - b));
      }),
      { numRuns: 200 },
    );
  });
});
