import type { Finding, FixRef } from '../core/finding.ts';
import type { Account } from '../clients/schema.ts';
import type { Fix } from '../core/fix.ts';
import type { SmtpSection } from '../smtp/schema.ts';
import { parseUsePortSuggestion, smtpPortAction } from '../core/fix-id.ts';


/**
 * The SMTP diagnosis says which port/security works ("smtp.use-port:587:starttls"); the mail clients know how to
 * switch an account to it. This turns the first into the second: one concrete, appliable fix per account that sends
 * through the probed host. A suggestion no account can take (no client found, or nothing to change) is dropped
 * from `fixes` — a button that cannot work is worse than none; the finding's text still says what to do.
 */
export function linkSmtpFixes(findings: Finding[], section: SmtpSection, accounts: Account[], fixes: Fix[]): Finding[] {
  const host = section.host.toLowerCase();
  const users = new Set(accounts.filter((a) => a.outgoing?.host?.toLowerCase() === host).map((a) => a.id));
  const known = new Set(fixes.map((f) => f.id));
  return findings.map((f) => {
    if (f.area !== 'smtp' || f.fixes.length === 0) return f;
    const linked: FixRef[] = [];
    for (const ref of f.fixes) {
      const choice = parseUsePortSuggestion(ref.id);
      if (choice) {
        const action = smtpPortAction(choice);
        for (const fix of fixes) if (fix.action === action && fix.accounts.some((a) => users.has(a))) linked.push({ id: fix.id, title: fix.title });
      } else if (known.has(ref.id)) linked.push(ref);
    }
    const unique = [...new Map(linked.map((r) => [r.id, r])).values()];
    return { ...f, fixes: unique };
  });
}

/** What the first account sending through `host` is configured with, for the probe's comparison rules. */
export function configuredFor(host: string, accounts: Account[]): { port: number; security: 'none' | 'starttls' | 'implicit' } | undefined {
  const a = accounts.find((x) => x.outgoing?.host?.toLowerCase() === host.toLowerCase() && x.outgoing.port !== null && x.outgoing.security !== null);
  return a?.outgoing?.port && a.outgoing.security ? { port: a.outgoing.port, security: a.outgoing.security } : undefined;
}
