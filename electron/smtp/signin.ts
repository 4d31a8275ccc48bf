import { finding, type Finding, type FixRef } from '../core/finding.ts';
import { USE_OAUTH_SUGGESTION } from '../core/fix-id.ts';
import type { PortResult, SmtpSection } from './schema.ts';

// Sign-in and provider-side refusals, read from what the probe saw. Pure: section in, findings out.
// A port that answered and only refused the sign-in is a working port: these findings say what the provider wants
// instead of a password; a provider that defers or blocks the sending address is not something a port change fixes.

/** Microsoft Learn: SMTP AUTH per mailbox and organisation (what 5.7.139 and 5.7.30 point to). */
const MS_SMTP_AUTH = 'https://learn.microsoft.com/exchange/clients-and-mobile-in-exchange-online/authenticated-client-smtp-submission';
/** Microsoft Learn: OAuth 2.0 for IMAP, POP and SMTP AUTH (the XOAUTH2 sign-in Microsoft 365 offers instead of a password). */
const MS_OAUTH = 'https://learn.microsoft.com/exchange/client-developer/legacy-protocols/how-to-authenticate-an-imap-pop-smtp-application-by-using-oauth';
/** Microsoft Learn: basic authentication in Exchange Online is being retired. */
export const MS_BASIC_RETIRED = 'https://learn.microsoft.com/exchange/clients-and-mobile-in-exchange-online/deprecation-of-basic-authentication-exchange-online';
/** Google Account Help: sign in with app passwords. */
const GOOGLE_APP_PASSWORDS = 'https://support.google.com/accounts/answer/185833';
/** Gmail Help: the replies behind 534 5.7.9 and 535 5.7.8. */
const GMAIL_SECOND_FACTOR = 'https://support.google.com/mail/?p=InvalidSecondFactor';
const GMAIL_BAD_CREDENTIALS = 'https://support.google.com/mail/?p=BadCredentials';
/** Google Workspace Admin Help: Gmail's SMTP error messages. */
const GMAIL_SMTP_ERRORS = 'https://support.google.com/a/answer/3726730';
/** Gmail Help: Google's guidelines for senders (reputation and rate limits). */
const GMAIL_SENDER_GUIDELINES = 'https://support.google.com/mail/answer/81126';
/** Yahoo Sender Hub: Yahoo's and AOL's SMTP error codes. */
const YAHOO_ERROR_CODES = 'https://senders.yahooinc.com/smtp-error-codes/';
/** Microsoft Learn: 451 4.7.500-699 (ASxxx), Exchange Online throttling by the sending address. */
const MS_THROTTLED = 'https://learn.microsoft.com/exchange/mail-flow-best-practices/non-delivery-reports-in-exchange-online/fix-error-code-451-4-7-500-699-asxxx-in-exchange-online';
/** Microsoft's delisting portal for addresses on its block list. */
const MS_DELIST = 'https://sender.office.com';
const RFC5782 = 'RFC 5782 (DNS blocklists, https://www.rfc-editor.org/rfc/rfc5782)';
const SPAMHAUS_LOOKUP = 'https://check.spamhaus.org/';
const RFC6647 = 'RFC 6647 (greylisting, https://www.rfc-editor.org/rfc/rfc6647)';

const OAUTH_MECHANISMS = ['XOAUTH2', 'OAUTHBEARER'];

/** A port that answered as an SMTP server: it worked, or only the sign-in failed. */
export function isWorkingPort(p: PortResult): boolean {
  return p.outcome === 'ok' || p.outcome === 'auth-failed';
}

/** OAuth mechanisms the server offers on this port (after TLS when TLS was used). */
export function oauthOffered(p: PortResult): string[] {
  return (p.capabilities?.auth ?? []).filter((m) => OAUTH_MECHANISMS.includes(m));
}

const MICROSOFT_HOST = /(^|\.)(office365\.com|outlook\.com|hotmail\.com|live\.com|office\.com|microsoft\.com)$/i;
const GOOGLE_HOST = /(^|\.)(gmail\.com|googlemail\.com|google\.com)$/i;

function serverText(p: PortResult): string {
  return [p.capabilities?.name ?? '', ...p.transcript.filter((e) => e.dir === 's').slice(0, 1).map((e) => e.text), p.reply?.text ?? ''].join('\n');
}

/** Microsoft 365 / Outlook.com: by the host name, or by how the server names itself ("Microsoft ESMTP MAIL Service"). */
export function isMicrosoft(host: string, p: PortResult): boolean {
  return MICROSOFT_HOST.test(host) || /Microsoft ESMTP MAIL Service|\.(?:prod\.)?outlook\.com\b|\.office365\.com\b/i.test(serverText(p));
}

/** Gmail / Google Workspace: by the host name, or by Gmail's own reply texts (" - gsmtp", support.google.com). */
export function isGmail(host: string, p: PortResult): boolean {
  return GOOGLE_HOST.test(host) || /\bgsmtp\b|support\.google\.com\/mail/i.test(serverText(p));
}

/** Microsoft's replies that mean "password sign-in (basic authentication) is not accepted here". */
const MS_BASIC_OFF_CODES: Record<string, string> = {
  '5.7.139': 'SMTP sign-in with a password (SMTP AUTH) is turned off for this mailbox or the whole organisation',
  '5.7.30': 'password sign-in (basic authentication) is not supported for sending here',
  '5.7.57': 'the program did not sign in, and Microsoft 365 sends only for programs that do',
  '5.7.3': 'Microsoft 365 refused the password sign-in',
};

function basicAuthOff(host: string, p: PortResult): string | null {
  if (p.outcome !== 'auth-failed' || !p.reply) return null;
  if (/SmtpClientAuthentication is disabled/i.test(p.reply.text)) return MS_BASIC_OFF_CODES['5.7.139']!;
  if (/Basic authentication is not supported/i.test(p.reply.text)) return MS_BASIC_OFF_CODES['5.7.30']!;
  const enh = p.reply.enhanced ?? '';
  return isMicrosoft(host, p) && MS_BASIC_OFF_CODES[enh] ? MS_BASIC_OFF_CODES[enh]! : null;
}

/** Gmail's 534 5.7.9 (app password required) and 535 5.7.8 (user name and password not accepted). */
function gmailPasswordRefused(host: string, p: PortResult): '5.7.9' | '5.7.8' | null {
  if (p.outcome !== 'auth-failed' || !p.reply) return null;
  const t = `${p.reply.enhanced ?? ''} ${p.reply.text}`;
  if (/5\.7\.9\b|Application-specific password required|InvalidSecondFactor/i.test(t) && (isGmail(host, p) || /InvalidSecondFactor/i.test(t))) return '5.7.9';
  if (/5\.7\.8\b|Username and Password not accepted|BadCredentials/i.test(t) && isGmail(host, p)) return '5.7.8';
  return null;
}

const replyShort = (p: PortResult): string => (p.reply ? `${p.reply.code}${p.reply.enhanced ? ` ${p.reply.enhanced}` : ''}` : p.outcome);

function signInEvidence(host: string, p: PortResult, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    host, port: p.port, security: p.security, outcome: p.outcome, phase: p.phase, reply: p.reply,
    mechanismTried: p.authMechanism ?? null, offered: p.capabilities?.auth ?? [], ...extra,
  };
}

const OAUTH_FIX: FixRef = { id: USE_OAUTH_SUGGESTION, title: 'Switch the account to OAuth2 (modern sign-in)' };

/** What to tell a person whose provider wants OAuth: the same steps whatever the program, said once. */
const OAUTH_STEPS = [
  'In the mail program, open the outgoing server (SMTP) settings of this account.',
  'Set the authentication method to OAuth2 (Thunderbird: "OAuth2"; Evolution: "OAuth2 (Outlook)" or "OAuth2 (Google)"; Claws Mail: "OAuth2").',
  'Keep your full e-mail address as the user name; send a message: the provider\'s own sign-in page opens once, and the program keeps a token instead of your password.',
  'Programs without OAuth2 for this provider (classic Outlook with a POP/IMAP account, for one) cannot send here with a password any more: add the mailbox as a Microsoft 365 or Google account instead.',
];

/**
 * The sign-in findings of one host: the provider wants OAuth, Microsoft has password sign-in off, or Gmail wants an app
 * password; and, when no port got further than the sign-in, one summary that names the sign-in as the cause.
 */
export function signInFindings(section: SmtpSection): Finding[] {
  const { host, ports } = section;
  const out: Finding[] = [];
  const failed = ports.filter((p) => p.outcome === 'auth-failed');
  const msOff = failed.map((p) => ({ p, why: basicAuthOff(host, p) })).filter((x): x is { p: PortResult; why: string } => x.why !== null);
  const first = msOff[0];
  if (first) {
    const oauth = [...new Set(msOff.flatMap((x) => oauthOffered(x.p)))];
    const where = msOff.map((x) => `port ${x.p.port} (${replyShort(x.p)})`).join(', ');
    if (oauth.length > 0) {
      out.push(finding({
        id: 'smtp.signin.oauth-required', area: 'smtp', severity: 'error',
        title: `Microsoft 365 wants modern sign-in (OAuth) here, not your password`,
        detail: `${host} refused the password on ${where}: ${first.why}. The server offers ${oauth.join(' and ')}, modern sign-in: ` +
          'the mail program opens Microsoft\'s own sign-in page once and then keeps a token instead of your password. ' +
          'Switch the account\'s outgoing authentication to OAuth2. A new password or another port will not help. ' +
          `Sources: ${MS_OAUTH} ; ${MS_BASIC_RETIRED}`,
        evidence: signInEvidence(host, first.p, { provider: 'Microsoft 365', oauthOffered: oauth, steps: OAUTH_STEPS, source: `${MS_OAUTH}; ${MS_BASIC_RETIRED}` }),
        fixes: [OAUTH_FIX],
      }));
    } else {
      out.push(finding({
        id: 'smtp.signin.basic-auth-off', area: 'smtp', severity: 'error',
        title: 'Microsoft 365 has password sign-in for sending turned off',
        detail: `${host} refused the sign-in on ${where}: ${first.why}, and offers no modern (OAuth) sign-in on this connection. ` +
          'Your administrator can allow "Authenticated SMTP" for your mailbox (Microsoft 365 admin center › Users › Active users › your name › Mail › Manage email apps); ' +
          `otherwise add the mailbox to Outlook as a Microsoft 365 account. A new password or another port will not help. Source: ${MS_SMTP_AUTH}`,
        evidence: signInEvidence(host, first.p, { provider: 'Microsoft 365', source: MS_SMTP_AUTH }),
      }));
    }
  }
  const gmail = failed.map((p) => ({ p, code: gmailPasswordRefused(host, p) })).filter((x): x is { p: PortResult; code: '5.7.9' | '5.7.8' } => x.code !== null);
  const g = gmail[0];
  if (g) {
    const oauth = [...new Set(gmail.flatMap((x) => oauthOffered(x.p)))];
    const steps = [
      'Turn on 2-Step Verification for your Google Account (myaccount.google.com › Security).',
      'Create an app password at https://myaccount.google.com/apppasswords (any name, e.g. "Mail").',
      'In the mail program, replace the password of the outgoing (and incoming) server with the 16-letter app password, without spaces; the user name stays your full Gmail address.',
      ...(oauth.length > 0 ? ['Or, better where the program offers it: set the authentication method to OAuth2 (Google sign-in) and no password is stored at all.'] : []),
    ];
    const why = g.code === '5.7.9'
      ? 'this account has 2-Step Verification, so Gmail accepts only an app password (or Google sign-in) from mail programs'
      : 'Gmail did not accept the user name and password: it no longer takes the normal Google password from mail programs, only an app password or Google sign-in (a mistyped app password gives the same reply)';
    const source = `${GOOGLE_APP_PASSWORDS}; ${g.code === '5.7.9' ? GMAIL_SECOND_FACTOR : GMAIL_BAD_CREDENTIALS}`;
    out.push(finding({
      id: 'smtp.signin.app-password', area: 'smtp', severity: 'error',
      title: g.code === '5.7.9' ? 'Gmail wants an app password, not your normal password' : 'Gmail did not accept the password: use an app password or Google sign-in',
      detail: `${host} port ${g.p.port} answered ${replyShort(g.p)}: ${why}. ${steps.map((s, i) => `${i + 1}. ${s}`).join(' ')} Another port will not help. Sources: ${source.replace('; ', ' ; ')}`,
      evidence: signInEvidence(host, g.p, { provider: 'Gmail', oauthOffered: oauth, steps, source }),
      fixes: oauth.length > 0 ? [OAUTH_FIX] : [],
    }));
  }
  const summary = signInSummary(section, failed);
  if (summary) out.push(summary);
  return out;
}

/** No port got past the sign-in, but some answered: the network and the ports are fine, the sign-in is the cause. */
function signInSummary(section: SmtpSection, failed: PortResult[]): Finding | null {
  const { host, ports } = section;
  if (section.recommended || failed.length === 0) return null;
  const tried = failed.some((p) => p.authMechanism);
  const list = failed.map((p) => `${p.port} (${replyShort(p)} at ${p.phase})`).join(', ');
  return finding({
    id: 'smtp.signin.fails', area: 'smtp', severity: 'error',
    title: `${host} answers, but the sign-in fails`,
    detail: `Port${failed.length > 1 ? 's' : ''} ${list} connect${failed.length > 1 ? '' : 's'}, greet${failed.length > 1 ? '' : 's'} and take${failed.length > 1 ? '' : 's'} the encryption: ` +
      'the network, the firewall and the port are fine. ' +
      (tried ? 'What fails is the sign-in; changing ports will not help.' : 'The server wants a sign-in before it takes mail; test the sign-in with a user name and password (or an OAuth token).'),
    evidence: {
      host, port: failed[0]!.port, signInPorts: failed.map((p) => p.port),
      outcomes: Object.fromEntries(ports.map((p) => [String(p.port), `${p.outcome}@${p.phase}`])),
    },
  });
}

/** Why a provider refuses the sending address (or volume), who can change it, and how long to wait. */
export interface ProviderBlock {
  provider: string;
  kind: 'volume' | 'reputation' | 'blocklist' | 'greylisting';
  what: string;
  whoMustAct: string;
  wait: string;
  source: string;
}

const BLOCKLIST = /spamhaus|blocked using|listed (?:at|on|in) [a-z0-9.-]+\b|\bRBL\b|\bDNSBL\b|blacklist|block ?list/i;

/** A deferral or refusal that is about the sending address or its volume, not about this PC's settings; null otherwise. */
export function classifyProviderBlock(p: PortResult): ProviderBlock | null {
  if (!p.reply || (p.outcome !== 'deferred' && p.outcome !== 'rejected')) return null;
  const text = `${p.reply.code} ${p.reply.enhanced ?? ''} ${p.reply.text}`;
  const tag = /\[(TSS?0\d)\]/i.exec(text)?.[1]?.toUpperCase();
  if (tag) {
    const permanent = tag === 'TS03';
    return {
      provider: 'Yahoo/AOL', kind: 'volume',
      what: `Yahoo/AOL ${permanent ? 'refuses' : 'temporarily defers'} mail from the sending internet address (${tag}): ${permanent ? 'it has been sending mail Yahoo treats as spam' : 'unexpected volume or complaints from its users'}`,
      whoMustAct: 'Yahoo decides this from what it sees of the sending address; only whoever runs that address (your internet provider, or the administrator of the sending server) can change it. Nothing on this PC can.',
      wait: permanent
        ? 'Waiting does not help: Yahoo says retrying will not succeed. The owner of the sending address must contact Yahoo through its Sender Hub.'
        : 'Yahoo lifts the deferral by itself once the volume or complaints drop: try again after a few hours (about 4), not over and over.',
      source: YAHOO_ERROR_CODES,
    };
  }
  if (/4\.7\.28\b|unusual rate of unsolicited mail|very low reputation of the sending IP/i.test(text)) {
    return {
      provider: 'Gmail', kind: 'reputation',
      what: 'Gmail rate-limits mail from the sending internet address or domain because of its reputation',
      whoMustAct: 'The owner of the sending address or domain (your internet provider, host or mail administrator) must follow Google\'s sender guidelines; nothing on this PC can change it.',
      wait: 'The limit is temporary and eases as the reputation recovers: retry later (hours), without resending repeatedly.',
      source: `${GMAIL_SMTP_ERRORS}; ${GMAIL_SENDER_GUIDELINES}`,
    };
  }
  if (/\b4\.7\.(?:5\d\d|6\d\d)\b|\bAS\(\d+\)|\bS3150\b|\bS3140\b|\b5\.7\.708\b/i.test(text) && !/Server busy/i.test(text)) {
    return {
      provider: 'Microsoft', kind: 'reputation',
      what: 'Microsoft throttles or blocks mail from the sending internet address because of its reputation',
      whoMustAct: `The owner of the sending address (your internet provider or mail administrator) can ask Microsoft to remove it at ${MS_DELIST}; nothing on this PC can change it.`,
      wait: 'Microsoft eases the throttling as the address\' reputation recovers; if it lasts, the owner requests delisting instead of waiting.',
      source: `${MS_THROTTLED}; ${MS_DELIST}`,
    };
  }
  if (BLOCKLIST.test(text)) {
    return {
      provider: /spamhaus/i.test(text) ? 'Spamhaus (a public blocklist)' : 'a public blocklist',
      kind: 'blocklist',
      what: 'the server refuses the sending internet address because it is on a public blocklist',
      whoMustAct: 'The owner of the address must have it removed (for a home or office connection: your internet provider). Sending through your own provider\'s server with sign-in avoids such lists.',
      wait: 'Until the listing is removed: the list\'s lookup page shows why and how; waiting alone rarely helps.',
      source: `${RFC5782}; ${SPAMHAUS_LOOKUP}`,
    };
  }
  if (/gr[ae]y ?list/i.test(text) || (p.reply.code === 451 && p.reply.enhanced === '4.7.1' && /try again/i.test(text))) {
    const secs = /(\d{1,5}) ?s(?:ec(?:ond)?s?)?\b/i.exec(p.reply.text)?.[1];
    return {
      provider: 'the receiving server', kind: 'greylisting',
      what: 'greylisting: the server asks a sender it has not seen before to come back later',
      whoMustAct: 'No one: this is an anti-spam delay, and the sending program (or server) retries by itself.',
      wait: secs ? `The server asks for ${secs} seconds; the retry after that goes through.` : 'Usually a few minutes; the retry after that goes through.',
      source: RFC6647,
    };
  }
  return null;
}

/** The whole dialogue of one port, secrets already hidden by the probe, as text to paste into a support request. */
export function supportTranscript(host: string, p: PortResult): string {
  const head = `MailMedic SMTP test of ${host}${p.address ? ` (${p.address})` : ''} port ${p.port}, ${p.security === 'none' ? 'no encryption' : p.security}: ${p.outcome} at ${p.phase}`;
  const mark = { c: 'C:', s: 'S:', i: '--' } as const;
  const lines = p.transcript.map((e) => `${String(Math.round(e.t)).padStart(6)} ms ${mark[e.dir]} ${e.text.split('\n').join(`\n${' '.repeat(13)}`)}`);
  return [head, ...lines].join('\n');
}

/** The finding for a port whose refusal is the provider's decision about the sending address or volume. */
export function providerBlockFinding(section: SmtpSection, p: PortResult, block: ProviderBlock, otherWorking: PortResult[], fix: FixRef[]): Finding {
  const host = section.host;
  const others = otherWorking.map((o) => o.port).join(', ');
  const ports = otherWorking.length > 0
    ? `Port${otherWorking.length > 1 ? 's' : ''} ${others} of ${host} answer${otherWorking.length > 1 ? '' : 's'} normally, so this refusal is on port ${p.port} only: send through port ${otherWorking[0]!.port}.`
    : 'Changing ports or settings on this PC will not help.';
  return finding({
    id: `smtp.provider-block.${p.port}`, area: 'smtp', severity: p.outcome === 'rejected' ? 'error' : 'warning',
    title: `${block.provider === 'the receiving server' ? 'The server' : block.provider} ${block.kind === 'greylisting' ? 'asks to retry later' : 'is holding back mail from your internet address'} (port ${p.port}: ${replyShort(p)})`,
    detail: `${host} answered "${p.reply?.text ?? ''}": ${block.what}. ${ports} Who must act: ${block.whoMustAct} How long: ${block.wait} ` +
      `The report carries this port's transcript (passwords and tokens removed) to copy into a message to the provider's support. Source: ${block.source.replace(/; /g, ' ; ')}`,
    evidence: {
      host, port: p.port, security: p.security, outcome: p.outcome, phase: p.phase, reply: p.reply,
      provider: block.provider, kind: block.kind, changingPortsHelps: otherWorking.length > 0,
      whoMustAct: block.whoMustAct, wait: block.wait, source: block.source,
      supportTranscript: supportTranscript(host, p),
    },
    // A port switch only where another port of the same server answered; otherwise it would be port-blame.
    fixes: otherWorking.length > 0 ? fix : [],
  });
}
