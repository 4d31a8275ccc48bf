import type { Report } from '../../../electron/contract/report.ts';
import type { Finding } from '../../../electron/core/finding.ts';
import type { Account } from '../../../electron/clients/schema.ts';
import type { PortResult, SmtpSection, TlsInfo } from '../../../electron/smtp/schema.ts';
import type { NetworkSection } from '../../../electron/network/schema.ts';
import type { PstFileResult } from '../../../electron/pst/schema.ts';

// Schema-valid reports for the component tests (fakeClient checks them against the contract).

export function report(command: string, findings: Finding[] = [], sections: Partial<Report> = {}): Report {
  return {
    schemaVersion: 1,
    tool: { name: 'mailmedic', version: '0.1.0' },
    command,
    host: { platform: 'linux', release: '6.1', hostname: 'desk' },
    startedAt: '2026-11-27T10:00:00.000Z',
    durationMs: 1234,
    findings,
    ...sections,
  };
}

export const FIX_587 = 'thunderbird:p1:smtp1:smtp-587-starttls';

export const port25Finding: Finding = {
  id: 'accounts.smtp.25-submission',
  area: 'accounts',
  severity: 'warning',
  title: 'sam@example.com: sends on port 25 with a login',
  detail: 'Port 25 is for server-to-server mail.',
  evidence: { account: 'thunderbird:p1:account1', host: 'smtp.example.com', port: 25, security: 'none', transcript: ['0ms i connecting', '30000ms i timeout'] },
  fixes: [{ id: FIX_587, title: 'Thunderbird: send on port 587 with STARTTLS' }],
};

export const blockedFinding: Finding = {
  id: 'smtp.port-blocked.25',
  area: 'smtp',
  severity: 'error',
  title: 'Port 25 is blocked on this network',
  detail: 'Nothing answered on port 25 within 10 s.',
  evidence: { host: 'smtp.example.com', port: 25 },
  fixes: [{ id: 'smtp.use-port:587:starttls', title: 'Use port 587 with STARTTLS' }],
};

export const infoFinding: Finding = { id: 'network.not-checked.antivirus', area: 'network', severity: 'info', title: 'Could not check antivirus products', detail: 'systemctl missing', evidence: {}, fixes: [] };

export const account: Account = {
  id: 'thunderbird:p1:account1',
  client: 'thunderbird',
  profile: 'default-release',
  name: 'Sam',
  email: 'sam@example.com',
  incoming: { protocol: 'imap', host: 'imap.example.com', port: 993, security: 'implicit' },
  outgoing: { host: 'smtp.example.com', port: 25, security: 'none', auth: true, username: 'sam@example.com' },
  dataFiles: ['/home/sam/Outlook/archive.pst'],
  source: { file: '/home/sam/.thunderbird/p1/prefs.js', registryKey: null },
};

export const tls: TlsInfo = {
  protocol: 'TLSv1.3',
  cipher: 'TLS_AES_256_GCM_SHA384',
  subject: 'CN=smtp.example.com',
  issuer: 'CN=Example CA',
  san: ['DNS:smtp.example.com'],
  validFrom: '2026-01-01',
  validTo: '2027-01-01',
  trusted: true,
  trustError: null,
  nameMatches: true,
  selfSigned: false,
  interceptedBy: null,
};

function port(p: number, outcome: PortResult['outcome'], extra: Partial<PortResult> = {}): PortResult {
  return {
    port: p,
    security: p === 465 ? 'implicit' : p === 587 ? 'starttls' : 'none',
    outcome,
    phase: outcome === 'ok' ? 'quit' : 'connect',
    reply: null,
    tls: null,
    ms: outcome === 'timeout' ? 10_000 : 42,
    transcript: [{ t: 0, dir: 'i', text: `connecting to smtp.example.com port ${p}` }],
    ...extra,
  };
}

export const smtpSection: SmtpSection = {
  host: 'smtp.example.com',
  address: '192.0.2.10',
  ports: [
    port(25, 'timeout'),
    port(465, 'refused'),
    port(587, 'ok', {
      tls,
      reply: { code: 221, enhanced: '2.0.0', text: 'Bye' },
      transcript: [
        { t: 0, dir: 'i', text: 'connecting to smtp.example.com port 587' },
        { t: 20, dir: 's', text: '220 smtp.example.com ESMTP' },
        { t: 21, dir: 'c', text: 'EHLO mailmedic.invalid' },
      ],
    }),
    port(2525, 'ok'),
  ],
  recommended: { port: 587, security: 'starttls' },
};

const checked = { checked: true, reason: null };
export const network: NetworkSection = {
  platform: 'linux',
  firewall: {
    ...checked,
    details: {
      components: [{ source: 'nftables', name: 'nftables', enabled: true, defaultOutbound: 'allow' }],
      blockRules: [{ source: 'nftables', name: 'inet/filter/output #7', action: 'drop', ports: [25], addresses: [], location: null, text: 'tcp dport 25 drop' }],
      sources: [{ command: 'nft -j list ruleset', status: 'ok', reason: null }],
    },
  },
  vpn: { checked: false, reason: 'ip is not installed', details: { active: null, interfaces: [], connections: [], sources: [] } },
  antivirus: [],
  antivirusCheck: { checked: false, reason: 'needs Windows', sources: [] },
  proxy: { ...checked, details: { settings: [], bypass: [], sources: [] } },
  route: { ...checked, details: { target: '192.0.2.10', host: 'smtp.example.com', interface: 'eth0', gateway: '10.0.0.1', sourceAddress: '10.0.0.5', table: 'main', viaVpn: false, sources: [] } },
};

export const damagedPst: PstFileResult = {
  path: '/data/mail/old.pst',
  bytes: 271360,
  format: 'unicode',
  kind: 'pst',
  encryption: 'permute',
  passwordProtected: false,
  status: 'damaged',
  counts: { folders: 4, messages: 12, attachments: 2, damagedItems: 2 },
  problems: [
    { structure: 'block', offset: 81920, bid: '0x1234', detail: 'block CRC mismatch', affects: ['Inbox/Q3 budget (2024-03-12)', 'Inbox/Re: lunch (2024-03-13)'] },
  ],
};

export const okPst: PstFileResult = { ...damagedPst, path: '/data/mail/new.pst', status: 'ok', counts: { folders: 3, messages: 5, attachments: 0, damagedItems: 0 }, problems: [] };
