import type { Explanation } from './explain-schema.ts';

// Reply-code knowledge: RFC 5321 basic codes, RFC 3463/5248 enhanced codes and providers' own texts, in plain words.
// Data only; matching lives in explain.ts.

export type Entry = Omit<Explanation, 'match' | 'code' | 'enhanced' | 'kind'>;

const RFC5321 = 'RFC 5321 §4.2.2–4.2.3 (https://www.rfc-editor.org/rfc/rfc5321#section-4.2.2)';
const RFC4954 = 'RFC 4954 §6 (SMTP AUTH, https://www.rfc-editor.org/rfc/rfc4954#section-6)';
const RFC3207 = 'RFC 3207 §4 (STARTTLS, https://www.rfc-editor.org/rfc/rfc3207#section-4)';
const RFC5321_SHUTDOWN = 'RFC 5321 §3.8 (a server that must shut down answers 421, https://www.rfc-editor.org/rfc/rfc5321#section-3.8)';
const RFC3463 = 'RFC 3463 / RFC 5248 registry (https://www.iana.org/assignments/smtp-enhanced-status-codes)';

const RETRY = 'Nothing is wrong with your settings for this reply alone: the message stays in the Outbox and the program retries.';

export const BASIC: Readonly<Record<number, Entry>> = {
  220: { meaning: 'The server is ready.', likelyCause: 'Normal greeting (or the answer to STARTTLS).', nextSteps: [], source: RFC5321 },
  221: { meaning: 'The server is closing the connection normally.', likelyCause: 'Normal answer to QUIT.', nextSteps: [], source: RFC5321 },
  235: { meaning: 'Sign-in succeeded.', likelyCause: 'User name and password were accepted.', nextSteps: [], source: RFC4954 },
  250: {
    meaning: 'Success: the requested action was completed. This is not an error.',
    likelyCause: 'Normal answer to EHLO, MAIL, RCPT and the end of a message ("queued").',
    nextSteps: ['If a program shows this as an error, the real problem is elsewhere in its log: look for a 4xx or 5xx line.'],
    source: RFC5321,
  },
  251: { meaning: 'Success: the recipient is not local, the server will forward.', likelyCause: 'Normal.', nextSteps: [], source: RFC5321 },
  252: { meaning: 'The server cannot verify the recipient but will try to deliver.', likelyCause: 'Normal.', nextSteps: [], source: RFC5321 },
  334: { meaning: 'The server waits for the next sign-in step.', likelyCause: 'Normal during AUTH.', nextSteps: [], source: RFC4954 },
  354: { meaning: 'The server is ready for the message text.', likelyCause: 'Normal answer to DATA.', nextSteps: [], source: RFC5321 },
  421: {
    meaning: 'The server is not available right now and closes the connection. This is temporary.',
    likelyCause: 'Too many connections from your address, a sending-rate limit, your IP address has a poor reputation, or the server is busy or in maintenance.',
    nextSteps: [
      'Wait a few minutes and send again; do not resend over and over.',
      'Close other mail programs or devices sending through the same account at the same time.',
      'If it persists, use the provider\'s submission port (465 or 587) with sign-in instead of port 25.',
    ],
    source: `${RFC5321}; ${RFC5321_SHUTDOWN}`,
  },
  432: { meaning: 'A password transition is needed (temporary).', likelyCause: 'Microsoft uses 432 4.3.2 for too many simultaneous submissions.', nextSteps: ['Send from fewer devices at once and retry later.'], source: RFC4954 },
  450: {
    meaning: 'The mailbox is temporarily unavailable.',
    likelyCause: 'Greylisting, a busy mailbox, or a temporary policy block.',
    nextSteps: [RETRY, 'If it lasts for hours, contact the recipient\'s mail administrator.'],
    source: RFC5321,
  },
  451: {
    meaning: 'The server had a local problem processing the request (temporary).',
    likelyCause: 'Greylisting, a virus/spam scanner failure or a DNS lookup failure on the server side.',
    nextSteps: [RETRY],
    source: RFC5321,
  },
  452: {
    meaning: 'The server is short of storage, or you used too many recipients in one message.',
    likelyCause: 'A full mailbox or disk, or a per-message recipient limit.',
    nextSteps: ['Send to fewer recipients per message.', RETRY],
    source: RFC5321,
  },
  454: {
    meaning: 'A temporary problem with encryption (TLS) or sign-in on the server side.',
    likelyCause: 'The TLS or authentication back end of the server is failing, or too many sign-in attempts.',
    nextSteps: ['Wait and retry; if it persists, contact your provider.'],
    source: `${RFC3207}; ${RFC4954}`,
  },
  455: { meaning: 'The server cannot accept the parameters right now.', likelyCause: 'Temporary server limit.', nextSteps: [RETRY], source: RFC5321 },
  500: {
    meaning: 'The server did not understand the command (or the line was too long).',
    likelyCause: 'Often a firewall or antivirus in the middle altering the conversation.',
    nextSteps: ['Turn off antivirus mail scanning for a test, or try another port.'],
    source: RFC5321,
  },
  501: { meaning: 'Syntax error in the command\'s parameters.', likelyCause: 'A malformed address, computer name (EHLO) or sign-in data.', nextSteps: ['Check the e-mail addresses and the account settings for typos.'], source: RFC5321 },
  502: { meaning: 'The command is not implemented by this server.', likelyCause: 'E.g. sign-in on a port that does not offer it.', nextSteps: ['Use the provider\'s submission port (465 or 587).'], source: RFC5321 },
  503: { meaning: 'Commands were sent in the wrong order.', likelyCause: 'A client bug or something in the middle (proxy, antivirus) interfering.', nextSteps: ['Turn off antivirus mail scanning for a test.'], source: RFC5321 },
  504: { meaning: 'The command parameter is not implemented.', likelyCause: 'An authentication method the server does not support.', nextSteps: ['Choose "normal password" authentication in the account settings.'], source: RFC5321 },
  530: {
    meaning: 'Sign-in is required (or encryption must be started first).',
    likelyCause: '"My outgoing server requires authentication" is off, or encryption (STARTTLS) is not enabled.',
    nextSteps: ['Turn on authentication for the outgoing server (same user name and password as for incoming mail).', 'Use port 587 with STARTTLS or port 465 with SSL/TLS.'],
    source: `${RFC4954}; ${RFC3207}`,
  },
  534: {
    meaning: 'The sign-in method is too weak for this account.',
    likelyCause: 'The provider requires an app password or modern sign-in (OAuth) instead of the normal password.',
    nextSteps: ['Create an app password in your account\'s security settings and use it in the mail program, or use a program that supports OAuth sign-in.'],
    source: RFC4954,
  },
  535: {
    meaning: 'Sign-in failed: user name or password not accepted.',
    likelyCause: 'Wrong password, wrong user name (often the full e-mail address is needed), or the provider requires an app password.',
    nextSteps: ['Re-enter the password in the outgoing server settings.', 'Use the full e-mail address as user name.', 'If the account uses two-step verification, create an app password.'],
    source: RFC4954,
  },
  538: { meaning: 'Encryption is required for this sign-in method.', likelyCause: 'Signing in without TLS.', nextSteps: ['Use port 465 with SSL/TLS or 587 with STARTTLS.'], source: RFC4954 },
  550: {
    meaning: 'The request was refused permanently (mailbox unavailable or policy).',
    likelyCause: 'Unknown recipient, sender or IP address blocked, or relaying not allowed without sign-in.',
    nextSteps: ['Check the recipient address.', 'Make sure the outgoing server requires authentication in your settings.'],
    source: RFC5321,
  },
  551: { meaning: 'The recipient is not local to this server.', likelyCause: 'Wrong outgoing server for this address.', nextSteps: ['Check the recipient address.'], source: RFC5321 },
  552: { meaning: 'The message is too big (storage exceeded).', likelyCause: 'Attachments over the size limit.', nextSteps: ['Send smaller attachments or use a file-sharing link.'], source: RFC5321 },
  553: {
    meaning: 'The address is not allowed.',
    likelyCause: 'The From address does not belong to the account you signed in with, or a malformed address.',
    nextSteps: ['Send from the address of the account, or add it as an allowed alias with your provider.'],
    source: RFC5321,
  },
  554: {
    meaning: 'The transaction failed permanently.',
    likelyCause: 'Relay denied, content judged as spam, or (as a greeting) the server refuses your IP address.',
    nextSteps: ['Use your provider\'s outgoing server with sign-in.', 'If the message was refused as spam, change the content or contact the provider.'],
    source: RFC5321,
  },
  555: { meaning: 'MAIL/RCPT parameters not recognised.', likelyCause: 'A client option the server does not support.', nextSteps: ['Update the mail program.'], source: RFC5321 },
  556: { meaning: 'The recipient\'s domain does not accept mail.', likelyCause: 'The domain publishes a "null MX".', nextSteps: ['Check the recipient address.'], source: 'RFC 7504 (https://www.rfc-editor.org/rfc/rfc7504)' },
};

/** Exact enhanced codes a client meets; others fall back to class.subject (below). */
export const ENHANCED: Readonly<Record<string, Entry>> = {
  '2.0.0': { meaning: 'Success.', likelyCause: 'Normal.', nextSteps: [], source: RFC3463 },
  '2.1.0': { meaning: 'Sender address accepted.', likelyCause: 'Normal.', nextSteps: [], source: RFC3463 },
  '2.1.5': { meaning: 'Recipient address accepted.', likelyCause: 'Normal.', nextSteps: [], source: RFC3463 },
  '2.7.0': { meaning: 'Sign-in succeeded.', likelyCause: 'Normal.', nextSteps: [], source: RFC3463 },
  '4.2.1': { meaning: 'The mailbox is temporarily disabled or busy.', likelyCause: 'Greylisting or a busy mailbox.', nextSteps: [RETRY], source: RFC3463 },
  '4.2.2': { meaning: 'The recipient\'s mailbox is full (temporary).', likelyCause: 'Recipient over quota.', nextSteps: [RETRY, 'Tell the recipient another way.'], source: RFC3463 },
  '4.3.0': { meaning: 'Temporary problem in the mail system.', likelyCause: 'Server-side problem.', nextSteps: [RETRY], source: RFC3463 },
  '4.3.2': {
    meaning: 'The system is not accepting messages right now.',
    likelyCause: 'Server busy or draining; at Microsoft 365: too many simultaneous connections for the mailbox.',
    nextSteps: ['Send from fewer devices at once.', RETRY],
    source: RFC3463,
  },
  '4.4.1': { meaning: 'No answer from the next server (temporary).', likelyCause: 'Network problem on the server side.', nextSteps: [RETRY], source: RFC3463 },
  '4.4.2': { meaning: 'The connection broke (temporary).', likelyCause: 'Network problem.', nextSteps: [RETRY], source: RFC3463 },
  '4.7.0': {
    meaning: 'Temporary refusal for security or policy reasons.',
    likelyCause: 'Rate limit, too many connections, greylisting or IP reputation.',
    nextSteps: ['Wait before retrying; close other programs sending through this account.'],
    source: RFC3463,
  },
  '4.7.1': { meaning: 'Delivery temporarily not authorised.', likelyCause: 'Greylisting or policy.', nextSteps: [RETRY], source: RFC3463 },
  '5.1.1': { meaning: 'The recipient\'s address does not exist.', likelyCause: 'A typo in the address, or the mailbox was closed.', nextSteps: ['Check the spelling of the recipient address.'], source: RFC3463 },
  '5.1.7': { meaning: 'The sender address is malformed.', likelyCause: 'The From address in the account settings.', nextSteps: ['Fix the e-mail address in the account settings.'], source: RFC3463 },
  '5.1.8': { meaning: 'The sender\'s domain is not valid.', likelyCause: 'The From address\'s domain does not exist in DNS.', nextSteps: ['Fix the e-mail address in the account settings.'], source: RFC3463 },
  '5.2.2': { meaning: 'The recipient\'s mailbox is full.', likelyCause: 'Recipient over quota.', nextSteps: ['Tell the recipient another way.'], source: RFC3463 },
  '5.3.4': { meaning: 'The message is too big for the system.', likelyCause: 'Attachments over the limit.', nextSteps: ['Send smaller attachments.'], source: RFC3463 },
  '5.5.1': { meaning: 'Invalid command.', likelyCause: 'A client bug or something in the middle altering the conversation.', nextSteps: ['Turn off antivirus mail scanning for a test.'], source: RFC3463 },
  '5.5.2': { meaning: 'Syntax error.', likelyCause: 'A client bug or a middlebox.', nextSteps: ['Update the mail program.'], source: RFC3463 },
  '5.7.0': {
    meaning: 'Refused for security reasons.',
    likelyCause: 'Encryption or sign-in is required (e.g. "Must issue a STARTTLS command first").',
    nextSteps: ['Use port 587 with STARTTLS or 465 with SSL/TLS, and turn on authentication.'],
    source: RFC3463,
  },
  '5.7.1': {
    meaning: 'Delivery not authorised (relaying denied or policy).',
    likelyCause: 'Sending without signing in, through a server that is not your provider\'s, or the sender is blocked.',
    nextSteps: ['Turn on "outgoing server requires authentication".', 'Use your own provider\'s outgoing server.'],
    source: RFC3463,
  },
  '5.7.8': {
    meaning: 'The sign-in credentials are invalid.',
    likelyCause: 'Wrong password or user name, or an app password is required.',
    nextSteps: ['Re-enter the password; use the full e-mail address as user name; create an app password if two-step verification is on.'],
    source: `${RFC3463}; ${RFC4954}`,
  },
  '5.7.9': {
    meaning: 'The sign-in method is too weak for this account.',
    likelyCause: 'An app password or OAuth sign-in is required.',
    nextSteps: ['Create an app password, or use a mail program with OAuth ("modern") sign-in.'],
    source: `${RFC3463}; ${RFC4954}`,
  },
  '5.7.11': { meaning: 'Encryption is required for this sign-in method.', likelyCause: 'Signing in without TLS.', nextSteps: ['Use 465 SSL/TLS or 587 STARTTLS.'], source: RFC3463 },
  '5.7.23': { meaning: 'SPF check failed.', likelyCause: 'The sending domain\'s SPF record does not list the server (server-side, not your settings).', nextSteps: ['Tell the domain\'s administrator.'], source: 'RFC 7372 (https://www.rfc-editor.org/rfc/rfc7372)' },
  '5.7.26': { meaning: 'DMARC/authentication check failed.', likelyCause: 'SPF/DKIM of the sending domain (server-side).', nextSteps: ['Tell the domain\'s administrator.'], source: 'RFC 7372 (https://www.rfc-editor.org/rfc/rfc7372)' },
};

const SUBJECT: Readonly<Record<string, string>> = {
  '0': 'other or undefined status',
  '1': 'an address problem',
  '2': 'a mailbox problem',
  '3': 'a mail-system problem',
  '4': 'a network or routing problem',
  '5': 'a mail protocol problem',
  '6': 'a message content problem',
  '7': 'a security or policy matter',
};

/** Fallback for an enhanced code not in the table: class and subject still say a lot (RFC 3463 §3). */
export function enhancedFallback(enhanced: string): Entry | null {
  const [cls, subject] = enhanced.split('.');
  const what = subject !== undefined ? SUBJECT[subject] : undefined;
  if (!what) return null;
  const when = cls === '2' ? 'Success' : cls === '4' ? 'Temporary failure' : 'Permanent failure';
  return {
    meaning: `${when}: ${what}.`,
    likelyCause: cls === '4' ? 'A temporary condition; retrying later may work.' : cls === '5' ? 'It will not work as is.' : 'Normal.',
    nextSteps: cls === '4' ? [RETRY] : [],
    source: RFC3463,
  };
}

export interface ProviderEntry extends Entry {
  id: string;
  provider: string;
  pattern: RegExp;
}

/** Google's list of Gmail's SMTP replies (Google Workspace Admin Help). */
const GMAIL_SMTP_ERRORS = 'https://support.google.com/a/answer/3726730';
/** Microsoft's settings for sending through smtp.office365.com: port 587, STARTTLS, sign-in (Microsoft Learn). */
const MS365_SMTP_SETTINGS = 'https://learn.microsoft.com/exchange/mail-flow-best-practices/how-to-set-up-a-multifunction-device-or-application-to-send-email-using-microsoft-365-or-office-365';

/** Providers' own texts; the most specific knowledge, checked first. Patterns avoid catastrophic backtracking. */
export const PROVIDERS: readonly ProviderEntry[] = [
  {
    id: 'gmail.app-password',
    provider: 'Gmail',
    pattern: /5\.7\.9 Application-specific password required|InvalidSecondFactor/i,
    meaning: 'Gmail wants an app password: this account has two-step verification.',
    likelyCause: 'The normal Google password is used in a mail program that cannot do Google sign-in.',
    nextSteps: ['Create an app password at myaccount.google.com → Security → App passwords and use it instead.', 'Or use a mail program with Google (OAuth) sign-in.'],
    source: 'https://support.google.com/mail/?p=InvalidSecondFactor',
  },
  {
    id: 'gmail.bad-credentials',
    provider: 'Gmail',
    pattern: /Username and Password not accepted|p=BadCredentials/i,
    meaning: 'Gmail did not accept the user name or password.',
    likelyCause: 'Wrong password, or Google no longer accepts the plain password ("less secure apps" ended): an app password or OAuth is needed.',
    nextSteps: ['Use the full Gmail address as user name.', 'Create an app password (needs two-step verification) or use OAuth sign-in.'],
    source: 'https://support.google.com/mail/?p=BadCredentials',
  },
  {
    id: 'gmail.web-login',
    provider: 'Gmail',
    pattern: /Please log in (?:with|via) your web browser|p=WebLoginRequired/i,
    meaning: 'Google blocked the sign-in until you confirm it in a web browser.',
    likelyCause: 'Google saw a sign-in it considers unusual.',
    nextSteps: ['Sign in at mail.google.com in a browser, confirm the security alert, then try again.'],
    source: 'https://support.google.com/mail/?p=WebLoginRequired',
  },
  {
    id: 'gmail.too-many-logins',
    provider: 'Gmail',
    pattern: /4\.7\.0 Too many login attempts/i,
    meaning: 'Google is temporarily refusing sign-ins: too many attempts.',
    likelyCause: 'A device or program is retrying with a wrong password.',
    nextSteps: ['Fix the password on every device, then wait 10–60 minutes.'],
    source: GMAIL_SMTP_ERRORS,
  },
  {
    id: 'gmail.daily-quota',
    provider: 'Gmail',
    pattern: /5\.4\.5 Daily (?:user )?sending (?:quota|limit) exceeded/i,
    meaning: 'You reached Gmail\'s daily sending limit.',
    likelyCause: 'Too many messages or recipients in 24 hours.',
    nextSteps: ['Wait up to 24 hours; send to fewer recipients.'],
    source: 'https://support.google.com/a/answer/166852',
  },
  {
    id: 'gmail.rate-reputation',
    provider: 'Gmail',
    pattern: /4\.7\.28|unusual rate of unsolicited mail|very low reputation of the sending IP/i,
    meaning: 'Gmail is rate-limiting mail from your IP address or domain because of its reputation.',
    likelyCause: 'The sending server (or your network\'s IP) sent mail Google considers unsolicited.',
    nextSteps: ['Nothing to change in your mail program: send through your own provider\'s server with sign-in, and wait.', 'If you run the server: check SPF/DKIM/DMARC and blocklists.'],
    source: GMAIL_SMTP_ERRORS,
  },
  {
    id: 'microsoft.smtp-auth-disabled',
    provider: 'Microsoft 365',
    pattern: /5\.7\.139|SmtpClientAuthentication is disabled/i,
    meaning: 'Microsoft 365 has SMTP sign-in (SMTP AUTH) turned off for this account or organisation.',
    likelyCause: 'The administrator disabled SMTP AUTH, or security defaults are on.',
    nextSteps: ['Ask the administrator to allow "Authenticated SMTP" for your mailbox, or use Outlook with an Exchange/Microsoft 365 account instead of SMTP.'],
    source: 'https://aka.ms/smtp_auth_disabled',
  },
  {
    id: 'microsoft.not-authenticated',
    provider: 'Microsoft 365',
    pattern: /5\.7\.57|Client not authenticated to send mail/i,
    meaning: 'Microsoft 365 refuses to send because the program did not sign in.',
    likelyCause: 'Authentication is off in the outgoing server settings, or the sign-in failed silently.',
    nextSteps: ['Turn on "My outgoing server requires authentication" and use smtp.office365.com port 587 with STARTTLS.'],
    source: MS365_SMTP_SETTINGS,
  },
  {
    id: 'microsoft.send-as-denied',
    provider: 'Microsoft 365',
    pattern: /SendAsDenied|5\.7\.60|not have permissions to send as this sender/i,
    meaning: 'The From address is not one this account may send as.',
    likelyCause: 'Sending from an alias or shared mailbox without "Send As" permission.',
    nextSteps: ['Send from the account\'s own address, or ask the administrator for Send As permission.'],
    source: 'https://learn.microsoft.com/exchange/mail-flow-best-practices/non-delivery-reports-in-exchange-online/non-delivery-reports-in-exchange-online',
  },
  {
    id: 'microsoft.concurrent',
    provider: 'Microsoft 365',
    pattern: /Concurrent connections limit exceeded|sender thread limit exceeded|aka\.ms\/concurrent_sending/i,
    meaning: 'Microsoft 365 allows only 3 simultaneous SMTP submissions per mailbox; you exceeded it.',
    likelyCause: 'Several devices or programs send through the same mailbox at once.',
    nextSteps: ['Close other programs/devices sending through this mailbox, then retry.'],
    source: 'https://aka.ms/concurrent_sending',
  },
  {
    id: 'microsoft.server-busy',
    provider: 'Microsoft 365',
    pattern: /4\.7\.500 Server busy/i,
    meaning: 'Microsoft\'s servers are throttling: try later.',
    likelyCause: 'Sending rate or reputation throttling at Microsoft.',
    nextSteps: [RETRY],
    source: 'https://learn.microsoft.com/exchange/mail-flow-best-practices/non-delivery-reports-in-exchange-online/fix-error-code-451-4-7-500-699-asxxx-in-exchange-online',
  },
  {
    id: 'microsoft.starttls-required',
    provider: 'Microsoft 365',
    pattern: /5\.7\.3 STARTTLS is required/i,
    meaning: 'Microsoft requires encryption (STARTTLS) before sending.',
    likelyCause: 'Encryption is off in the outgoing server settings.',
    nextSteps: ['Use port 587 with STARTTLS.'],
    source: `${RFC3207}; ${MS365_SMTP_SETTINGS}`,
  },
  {
    id: 'yahoo.deferred',
    provider: 'Yahoo/AOL',
    pattern: /\[(?:TSS0\d|TS0\d)\]/i,
    meaning: 'Yahoo/AOL temporarily defers mail from this IP address (volume or complaints).',
    likelyCause: 'Sending volume or user complaints about mail from the sending IP.',
    nextSteps: ['Wait about 4 hours before retrying; reduce volume.'],
    source: 'https://smtpfieldmanual.com/provider/yahoo/421/4.7.0',
  },
  {
    id: 'icloud.auth',
    provider: 'iCloud',
    pattern: /\bicloud\b|\bme\.com\b|\bmac\.com\b/i,
    meaning: 'iCloud Mail refused the request.',
    likelyCause: 'iCloud needs an app-specific password for mail programs other than Apple Mail, and the user name is the full iCloud address.',
    nextSteps: ['Create an app-specific password at account.apple.com → Sign-In and Security → App-Specific Passwords.', 'Use smtp.mail.me.com port 587 STARTTLS.'],
    source: 'https://support.apple.com/102525',
  },
  {
    id: 'hosting.hourly-limit',
    provider: 'cPanel hosting',
    pattern: /max(?:imum)? (?:defer and failure|emails) per hour|exceeded the max(?:imum)? emails? per hour/i,
    meaning: 'Your hosting account reached its hourly sending limit.',
    likelyCause: 'The host limits how many messages a domain may send per hour.',
    nextSteps: ['Wait for the next hour; ask the host to raise the limit.'],
    source: 'https://docs.cpanel.net/whm/server-configuration/tweak-settings/',
  },
  {
    id: 'generic.relay-denied',
    provider: 'any server',
    pattern: /relay(?:ing)? (?:access )?(?:denied|not permitted)|Unable to relay/i,
    meaning: 'The server will not pass your mail on to other domains.',
    likelyCause: 'You did not sign in, or this is not your provider\'s outgoing server.',
    nextSteps: ['Turn on "outgoing server requires authentication" with your mailbox user name and password.'],
    source: RFC5321,
  },
  {
    id: 'generic.starttls-first',
    provider: 'any server',
    pattern: /Must issue a STARTTLS command first/i,
    meaning: 'The server requires encryption before anything else.',
    likelyCause: 'Encryption is set to "None" in the outgoing server settings.',
    nextSteps: ['Set encryption to STARTTLS (port 587) or SSL/TLS (port 465).'],
    source: RFC3207,
  },
  {
    id: 'generic.greylisted',
    provider: 'any server',
    pattern: /greylist/i,
    meaning: 'Greylisting: the receiving server asks first-time senders to retry later.',
    likelyCause: 'An anti-spam measure; the retry normally goes through within minutes.',
    nextSteps: [RETRY],
    source: 'RFC 6647 (greylisting, https://www.rfc-editor.org/rfc/rfc6647)',
  },
  {
    id: 'generic.too-many-connections',
    provider: 'any server',
    pattern: /too many (?:concurrent )?(?:connections|connected clients)/i,
    meaning: 'The server limits simultaneous connections from your address and you reached the limit.',
    likelyCause: 'Other programs or devices on your network are connected to the same server, or a program opens many connections.',
    nextSteps: ['Close other mail programs or devices for a moment and retry.', 'Lower the number of simultaneous connections in the program if it has such a setting.'],
    source: `Postfix smtpd_client_connection_count_limit (https://www.postfix.org/postconf.5.html#smtpd_client_connection_count_limit); ${RFC5321_SHUTDOWN}`,
  },
  {
    id: 'generic.blocklist',
    provider: 'any server',
    pattern: /spamhaus|blocked using|listed (?:at|on|in) [a-z0-9.-]+\b|\bRBL\b|blacklist/i,
    meaning: 'Your IP address is on a public blocklist.',
    likelyCause: 'The network you send from (often a home or hotel connection) is listed as a spam source.',
    nextSteps: ['Send through your provider\'s submission port (587/465) with sign-in instead of port 25.', 'Look the IP up at the named list and follow its removal steps.'],
    source: 'RFC 5782 (DNS blocklists, https://www.rfc-editor.org/rfc/rfc5782); RFC 6409 §4.3 (submission requires sign-in, https://www.rfc-editor.org/rfc/rfc6409#section-4.3)',
  },
];
