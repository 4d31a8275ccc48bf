import { finding, type Finding, type FixRef } from '../../core/finding.ts';
import type { Fix } from '../../core/fix.ts';
import type { Account, MailClient } from '../../clients/schema.ts';
import type { PortResult, SmtpSection } from '../../smtp/schema.ts';
import { SMTP_AUTH_OAUTH2, SMTP_AUTH_PASSWORD } from '../../core/fix-id.ts';
import { MS_BASIC_RETIRED, isMicrosoft } from '../../smtp/signin.ts';

// Joins how each account's program signs in (clients: Account.outgoing.authMethod) with what its server offers
// (smtp: the AUTH mechanisms of the EHLO reply) and with what the server said about a password. Pure: unit tests
// build both sides by hand. Where the program can be switched, the finding carries the fix; elsewhere, the steps.

const OAUTH = ['XOAUTH2', 'OAUTHBEARER'];
const PASSWORD = ['PLAIN', 'LOGIN'];

const CLIENT_NAME: Record<MailClient, string> = {
  thunderbird: 'Thunderbird', outlook: 'Outlook', evolution: 'Evolution', kmail: 'KMail', 'claws-mail': 'Claws Mail',
  'apple-mail': 'Apple Mail', 'windows-mail': 'Windows Mail', other: 'The mail program',
};

const KIND_WORDS: Record<string, string> = {
  password: 'the normal password', 'encrypted-password': 'an encrypted password', oauth2: 'OAuth2', ntlm: 'NTLM (Secure Password Authentication)',
  gssapi: 'Kerberos (GSSAPI)', 'tls-certificate': 'a TLS client certificate', automatic: 'whatever the server offers', other: 'its own method', none: 'no sign-in',
};

/** The provider's own server name, which Thunderbird's OAuth2 list knows (for a host it does not). */
const PROVIDER_SMTP_HOST: Record<string, string> = { 'Microsoft 365': 'smtp.office365.com', Gmail: 'smtp.gmail.com' };

/** Where each program's outgoing sign-in is set, and what to choose there. */
function steps(client: MailClient, host: string, want: 'oauth2' | 'password', provider?: string): string[] {
  const choice = want === 'oauth2' ? 'OAuth2' : 'Normal password';
  switch (client) {
    case 'thunderbird': {
      // Thunderbird shows OAuth2 only for hosts on its own provider list; a company alias for the provider's server is not.
      const rename = want === 'oauth2' && provider && PROVIDER_SMTP_HOST[provider] && PROVIDER_SMTP_HOST[provider] !== host
        ? [`Thunderbird offers OAuth2 only for server names it knows: set "Server Name" to ${PROVIDER_SMTP_HOST[provider]} first.`] : [];
      return [`Thunderbird: Account Settings › Outgoing Server (SMTP) › select ${host} › Edit.`, ...rename, `Set "Authentication method" to "${choice}" and click OK.`,
        ...(want === 'oauth2' ? ['Send a message: Thunderbird opens the provider\'s sign-in page once.'] : [])];
    }
    case 'outlook':
      return want === 'oauth2'
        ? ['Classic Outlook cannot sign in to an IMAP or POP account\'s outgoing server with OAuth2.', 'Add the mailbox again as a Microsoft 365 / Exchange (or Google) account: File › Add Account, type the address and let Outlook open the provider\'s sign-in page; then remove the old IMAP/POP account.']
        : ['Outlook: File › Account Settings › Account Settings › select the account › Change › More Settings › Outgoing Server.', 'Keep "My outgoing server (SMTP) requires authentication" on and untick "Require logon using Secure Password Authentication (SPA)".'];
    case 'evolution':
      return [`Evolution: Edit › Accounts › select the account › Edit › Sending Email.`, `Click "Check for Supported Types" and set "Authentication" to ${want === 'oauth2' ? '"OAuth2 (Outlook)" or "OAuth2 (Google)"' : '"PLAIN" or "Login"'}.`];
    case 'claws-mail':
      return ['Claws Mail: Configuration › Edit accounts › select the account › Edit › Send.', `Under "SMTP Authentication" set "Authentication method" to "${want === 'oauth2' ? 'OAUTH2' : 'PLAIN'}"${want === 'oauth2' ? ', then authorise the account on the OAuth2 page of the same dialog' : ''}.`];
    default:
      return [`In the mail program, open the outgoing server (SMTP) settings of this account and set the authentication to ${choice}.`];
  }
}

/** The port whose EHLO tells what the account will meet: the configured one if probed, else the best one that answered. */
function portFor(a: Account, s: SmtpSection): PortResult | null {
  const o = a.outgoing!;
  const withCaps = s.ports.filter((p) => p.capabilities && p.capabilities.auth.length > 0);
  return withCaps.find((p) => p.port === o.port && (o.security === null || p.security === o.security))
    ?? withCaps.find((p) => p.port === o.port)
    ?? withCaps.find((p) => p.outcome === 'ok')
    ?? withCaps[0]
    ?? null;
}

function fixRefs(fixes: Fix[], action: string, account: string): FixRef[] {
  return fixes.filter((f) => f.action === action && f.accounts.includes(account)).map((f) => ({ id: f.id, title: f.title }));
}

const who = (a: Account): string => a.email ?? a.name ?? a.id;

/**
 * Per account that sends through a probed host: its program's sign-in set to mechanisms the server does not offer
 * (Thunderbird's "encrypted password" against PLAIN/LOGIN only, OAuth2 where the server has none, a password where it
 * offers only OAuth); and, where the server said the provider wants OAuth or an app password, this account's way there.
 */
export function compareSignIn(accounts: Account[], fixes: Fix[], sections: SmtpSection[], hostFindings: Finding[]): Finding[] {
  const out: Finding[] = [];
  for (const a of accounts) {
    const o = a.outgoing;
    const m = o?.authMethod;
    if (!o?.host || !m || m.kind === 'none') continue;
    const s = sections.find((x) => x.host.toLowerCase() === o.host!.toLowerCase());
    if (!s) continue;
    const p = portFor(a, s);
    const program = CLIENT_NAME[a.client];
    const oauthFix = fixRefs(fixes, SMTP_AUTH_OAUTH2, a.id);
    const passwordFix = fixRefs(fixes, SMTP_AUTH_PASSWORD, a.id);
    const base = { account: a.id, client: a.client, host: s.host, clientSetting: m.setting, clientMechanisms: m.mechanisms };
    const offered = p?.capabilities?.auth ?? [];
    if (p && m.mechanisms && m.mechanisms.length > 0 && !m.mechanisms.some((x) => offered.includes(x))) {
      const oauthOffered = offered.filter((x) => OAUTH.includes(x));
      const passwordOffered = offered.some((x) => PASSWORD.includes(x));
      // OAuth first where the server offers it and the program is not on it already; the normal password otherwise.
      const want: 'oauth2' | 'password' | null = oauthOffered.length > 0 && m.kind !== 'oauth2' ? 'oauth2' : passwordOffered ? 'password' : null;
      const fix = want === 'oauth2' ? [...oauthFix, ...(passwordOffered ? passwordFix : [])] : want === 'password' ? passwordFix : [];
      const how = want ? steps(a.client, s.host, want) : [];
      out.push(finding({
        id: 'smtp.signin.mechanism-mismatch', area: 'smtp', severity: 'error',
        title: `${who(a)}: ${program} signs in with ${KIND_WORDS[m.kind]}, which ${s.host} does not offer`,
        detail: `${program} is set to ${m.setting}, so it tries ${m.mechanisms.join(' or ')}; ${s.host} port ${p.port} offers ${offered.join(' ')}. ` +
          'The sign-in fails before any mail is sent. ' +
          (want ? `Switch the account to ${want === 'oauth2' ? 'OAuth2' : 'the normal password'}${fix.length > 0 ? '.' : `: ${how.join(' ')}`}` : 'Ask the provider which sign-in its server expects.'),
        evidence: { ...base, port: p.port, offered, steps: how },
        fixes: fix,
      }));
      continue;
    }
    // The server answered the password with "use OAuth" or "use an app password": this account's way out.
    const hostSays = hostFindings.find((f) => (f.id === 'smtp.signin.oauth-required' || f.id === 'smtp.signin.app-password') && f.evidence.host === s.host);
    if (!hostSays && p && m.kind === 'password' && oauthFix.length > 0 && offered.some((x) => OAUTH.includes(x))) {
      // Not refused (yet): the password works, but the program could sign in the modern way here, and the fix exists.
      const ms = isMicrosoft(s.host, p);
      out.push(finding({
        id: 'smtp.signin.oauth-available', area: 'smtp', severity: 'info',
        title: `${who(a)}: ${s.host} offers modern sign-in (OAuth2); ${program} still sends your password`,
        detail: `${s.host} port ${p.port} offers ${offered.filter((x) => OAUTH.includes(x)).join(' and ')}; ${program} is set to ${m.setting}. ` +
          'With OAuth2 the program keeps a token from the provider\'s own sign-in page instead of your password.' +
          (ms ? ` Microsoft is retiring password sign-in for sending (SMTP AUTH): ${MS_BASIC_RETIRED}` : ''),
        evidence: { ...base, port: p.port, offered },
        fixes: oauthFix,
      }));
      continue;
    }
    if (!hostSays || m.kind === 'oauth2') continue;
    const oauthOffered = ((hostSays.evidence.oauthOffered as string[] | undefined) ?? []).length > 0;
    if (!oauthOffered) continue;
    if (oauthFix.length > 0) continue; // the host's finding already carries this account's fix
    const how = steps(a.client, s.host, 'oauth2', hostSays.evidence.provider as string | undefined);
    out.push(finding({
      id: 'smtp.signin.oauth-steps', area: 'smtp', severity: 'error',
      title: `${who(a)}: switch ${program} to OAuth2 for ${s.host}`,
      detail: `${s.host} wants modern sign-in instead of the password ${program} uses (${m.setting}). ${how.join(' ')}`,
      evidence: { ...base, port: (hostSays.evidence.port as number | undefined) ?? p?.port ?? null, steps: how, because: hostSays.id },
    }));
  }
  return out;
}
