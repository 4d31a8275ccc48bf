import type { Finding, FixRef } from '../core/finding.ts';
import type { Account } from '../clients/schema.ts';
import type { Fix } from '../core/fix.ts';
import type { SmtpSection } from '../smtp/schema.ts';
import { compareSignIn } from './correlate/accounts-auth.ts';
import { SMTP_AUTH_OAUTH2, SMTP_AUTH_PASSWORD, USE_OAUTH_SUGGESTION, USE_PASSWORD_SUGGESTION, parseUsePortSuggestion, smtpPortAction } from '../core/fix-id.ts';

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
  const byAction = (action: string): FixRef[] => fixes.filter((fix) => fix.action === action && fix.accounts.some((a) => users.has(a))).map((fix) => ({ id: fix.id, title: fix.title }));
  return findings.map((f) => {
    if (f.area !== 'smtp') return f;
    const linked: FixRef[] = [];
    for (const ref of f.fixes) {
      const choice = parseUsePortSuggestion(ref.id);
      if (choice) linked.push(...byAction(smtpPortAction(choice)));
      else if (ref.id === USE_OAUTH_SUGGESTION) linked.push(...byAction(SMTP_AUTH_OAUTH2));
      else if (ref.id === USE_PASSWORD_SUGGESTION) linked.push(...byAction(SMTP_AUTH_PASSWORD));
      else if (known.has(ref.id)) linked.push(ref);
    }
    const unique = [...new Map(linked.map((r) => [r.id, r])).values()];
    // Which accounts a sign-in or provider finding is about, so it can be grouped with them.
    const aboutAccounts = users.size > 0 && /^smtp\.(signin|provider-block|auth-failed)\./.test(f.id);
    const who = users.size === 1 ? { account: [...users][0] } : {};
    return { ...f, fixes: unique, ...(aboutAccounts ? { evidence: { ...f.evidence, ...who, accounts: [...users] } } : {}) };
  });
}

/**
 * One host's SMTP diagnosis joined with the accounts that send through it: the suggestions turned into their fixes,
 * then how each account signs in held against what the server offers and said (correlate/accounts-auth.ts).
 */
export function joinSmtpWithAccounts(findings: Finding[], section: SmtpSection, accounts: Account[], fixes: Fix[]): Finding[] {
  const linked = linkSmtpFixes(findings, section, accounts, fixes);
  return [...linked, ...compareSignIn(accounts, fixes, [section], linked)];
}

/** What the first account sending through `host` is configured with, for the probe's comparison rules. */
export function configuredFor(host: string, accounts: Account[]): { port: number; security: 'none' | 'starttls' | 'implicit' } | undefined {
  const a = accounts.find((x) => x.outgoing?.host?.toLowerCase() === host.toLowerCase() && x.outgoing.port !== null && x.outgoing.security !== null);
  return a?.outgoing?.port && a.outgoing.security ? { port: a.outgoing.port, security: a.outgoing.security } : undefined;
}
