import { finding, type Finding } from '../../core/finding.ts';
import type { SmtpSection } from '../../smtp/schema.ts';
import type { Fix } from '../../core/fix.ts';
import type { Account } from '../../clients/schema.ts';
import { smtpPortAction } from '../../core/fix-id.ts';

const SEC_WORD = { none: 'plain', starttls: 'STARTTLS', implicit: 'SSL/TLS' } as const;

/**
 * Pure: when the SMTP probe has run against an account's server, compare what the account is configured with
 * against what worked — "configured 25 (timeout); 587 STARTTLS works" — and offer the fix that switches to it.
 */
export function compareWithProbe(accounts: Account[], fixes: Fix[], sections: SmtpSection[]): Finding[] {
  const out: Finding[] = [];
  for (const a of accounts) {
    const o = a.outgoing;
    if (!o?.host || o.port === null) continue;
    const s = sections.find((x) => x.host.toLowerCase() === o.host!.toLowerCase());
    if (!s?.recommended) continue;
    const rec = s.recommended;
    if (rec.port === o.port && rec.security === o.security) continue;
    const configured = s.ports.find((p) => p.port === o.port && (o.security === null || p.security === o.security)) ?? null;
    if (configured?.outcome === 'ok') continue; // what is configured works: nothing to say
    const action = smtpPortAction(rec);
    const fix = fixes.filter((f) => f.action === action && f.accounts.includes(a.id)).map((f) => ({ id: f.id, title: f.title }));
    const was = configured ? `${configured.outcome}${configured.error ? `, ${configured.error}` : ''}` : 'not probed';
    out.push(
      finding({
        id: 'accounts.smtp.probe-mismatch',
        area: 'accounts',
        severity: configured ? 'error' : 'warning',
        title: `${a.email ?? a.name ?? a.id}: configured ${o.port} ${o.security ? SEC_WORD[o.security] : ''} (${was}); ${rec.port} ${SEC_WORD[rec.security]} works`,
        detail: 'The probe reached the same server on another port. Switching the account to it is the usual cure for 421s and timeouts on port 25.',
        evidence: {
          account: a.id,
          host: o.host,
          configured: { port: o.port, security: o.security, outcome: configured?.outcome ?? null, error: configured?.error ?? null },
          works: rec,
        },
        fixes: fix,
      }),
    );
  }
  return out;
}
