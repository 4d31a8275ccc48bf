import { finding, type Finding, type FixRef } from '../core/finding.ts';
import type { Fix } from '../core/fix.ts';
import type { Account } from './schema.ts';
import { likelyTypoOf } from './providers.ts';
import { SMTP_AUTH_ON, SUBMISSION_ACTIONS } from '../core/fix-id.ts';

const LOCAL_HOSTS = /^(localhost|127\.|::1$|\[::1\]$)/i;

function fixRefs(fixes: Fix[], account: Account, actions: string[]): FixRef[] {
  const out: FixRef[] = [];
  for (const action of actions) {
    for (const f of fixes) if (f.action === action && f.accounts.includes(account.id)) out.push({ id: f.id, title: f.title });
  }
  return out;
}

function label(a: Account): string {
  return a.email ?? a.name ?? a.id;
}

/** Pure: accounts (+ the fixes the readers offer) → findings about outgoing settings. Every finding cites the values. */
export function checkOutgoing(accounts: Account[], fixes: Fix[]): Finding[] {
  const out: Finding[] = [];
  for (const a of accounts) {
    const o = a.outgoing;
    if (!o || !o.host) continue;
    const evidence = { account: a.id, client: a.client, host: o.host, port: o.port, security: o.security, auth: o.auth, source: a.source.file ?? a.source.registryKey };
    const portFixes = fixRefs(fixes, a, SUBMISSION_ACTIONS);
    if (o.port === 465 && o.security === 'starttls') {
      out.push(finding({
        id: 'accounts.smtp.465-starttls', area: 'accounts', severity: 'error',
        title: `${label(a)}: port 465 is set with STARTTLS`,
        detail: 'Port 465 expects TLS from the first byte (SSL/TLS); a client that waits for a plain greeting to send STARTTLS hangs until it times out.',
        evidence, fixes: portFixes,
      }));
    } else if (o.port === 587 && o.security === 'implicit') {
      out.push(finding({
        id: 'accounts.smtp.587-implicit', area: 'accounts', severity: 'error',
        title: `${label(a)}: port 587 is set with SSL/TLS`,
        detail: 'Port 587 starts in plain text and upgrades with STARTTLS; starting TLS at once fails with a handshake error or a timeout.',
        evidence, fixes: portFixes,
      }));
    } else if (o.port === 25 && o.auth) {
      out.push(finding({
        id: 'accounts.smtp.25-submission', area: 'accounts', severity: 'warning',
        title: `${label(a)}: sends on port 25 with a login`,
        detail: 'Port 25 is for server-to-server mail and is blocked or throttled by many networks (421, timeouts). Mail submission with a login belongs on 587 (STARTTLS) or 465 (SSL/TLS).',
        evidence, fixes: portFixes,
      }));
    }
    if (o.security === 'none' && o.auth && !LOCAL_HOSTS.test(o.host)) {
      out.push(finding({
        id: 'accounts.smtp.plaintext-password', area: 'accounts', severity: 'warning',
        title: `${label(a)}: the password is sent without encryption`,
        detail: 'The outgoing server is used without TLS while logging in; most providers refuse this, and anyone on the network can read the password.',
        evidence, fixes: portFixes,
      }));
    }
    const typo = likelyTypoOf(o.host);
    if (typo) {
      out.push(finding({
        id: 'accounts.smtp.host-typo', area: 'accounts', severity: 'error',
        title: `${label(a)}: "${o.host}" looks like a typo of ${typo.host}`,
        detail: `${typo.provider}'s outgoing server is ${typo.host}. A mistyped name does not resolve or reaches someone else's server. Correct it in the account settings (re-enter the password afterwards: it is saved per server name).`,
        evidence: { ...evidence, expected: typo.host, provider: typo.provider },
      }));
    }
    if (o.auth === false && !LOCAL_HOSTS.test(o.host)) {
      out.push(finding({
        id: 'accounts.smtp.no-auth', area: 'accounts', severity: 'warning',
        title: `${label(a)}: the outgoing server is used without logging in`,
        detail: 'Almost every provider requires a login to send (otherwise "relay access denied" or 530/550 errors), except your own ISP on its own network.',
        evidence, fixes: fixRefs(fixes, a, [SMTP_AUTH_ON]),
      }));
    }
  }
  return out;
}
