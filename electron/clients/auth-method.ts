import type { OutgoingAuthMethod } from './schema.ts';

// How each mail program signs in to its outgoing server, from its own setting: the kind of sign-in and the SASL
// mechanisms (RFC 4954 AUTH names) it will try, so the engine can hold them against what the server offers.

const PASSWORD = ['PLAIN', 'LOGIN'];

/**
 * Thunderbird's nsMsgAuthMethod (mailnews/base/public/MailNewsTypes2.idl) and the mechanisms its SMTP client maps
 * each value to (mailnews/compose/src/SmtpClient.sys.mjs, _preferredAuthMethods). Unset means 3: mailnews.js sets
 * mail.smtpserver.default.authMethod to 3.
 */
export function thunderbirdAuthMethod(code: number | null, prefName: string): OutgoingAuthMethod {
  const value = code ?? 3;
  const setting = `${prefName} = ${code === null ? '(not set: 3)' : value}`;
  switch (value) {
    case 1:
      return { kind: 'none', mechanisms: [], setting };
    case 3:
      return { kind: 'password', mechanisms: PASSWORD, setting };
    case 4:
      return { kind: 'encrypted-password', mechanisms: ['CRAM-MD5'], setting };
    case 5:
      return { kind: 'gssapi', mechanisms: ['GSSAPI'], setting };
    case 6:
      return { kind: 'ntlm', mechanisms: ['NTLM'], setting };
    case 7:
      return { kind: 'tls-certificate', mechanisms: ['EXTERNAL'], setting };
    case 8: // "secure": an encrypted password or OAuth2, never a clear-text one
      return { kind: 'encrypted-password', mechanisms: ['CRAM-MD5', 'XOAUTH2'], setting };
    case 10:
      return { kind: 'oauth2', mechanisms: ['XOAUTH2'], setting };
    case 2: // "old": the behaviour before Thunderbird 3, whatever the server offers
    case 9: // "any"
      return { kind: 'automatic', mechanisms: null, setting };
    default:
      return { kind: 'other', mechanisms: null, setting };
  }
}

/**
 * Classic Outlook (POP/IMAP accounts): `SMTP Use Auth` (PROP_SMTP_USE_AUTH) turns the sign-in on; `SMTP Use SPA`
 * (PROP_SMTP_USE_SPA, some profiles write `SMTP Use Sicily`) makes it Secure Password Authentication, i.e. NTLM.
 * Otherwise Outlook signs in with the password through LOGIN or PLAIN; it has no OAuth for these accounts.
 */
export function outlookAuthMethod(useAuth: number | null, spa: { name: string; value: number } | null, authMethod: number | null): OutgoingAuthMethod {
  const parts = [`SMTP Use Auth = ${useAuth ?? '(not set)'}`, ...(spa ? [`${spa.name} = ${spa.value}`] : []), ...(authMethod !== null ? [`SMTP Auth Method = ${authMethod}`] : [])];
  const setting = parts.join('; ');
  if (useAuth !== 1) return { kind: 'none', mechanisms: [], setting };
  if (spa && spa.value !== 0) return { kind: 'ntlm', mechanisms: ['NTLM'], setting };
  return { kind: 'password', mechanisms: ['LOGIN', 'PLAIN'], setting };
}

/**
 * Evolution: the transport source's `[Authentication] Method`, a SASL mechanism name or the name of one of its
 * built-in OAuth 2.0 services (Google, Outlook, Yahoo), which sign in through XOAUTH2.
 */
export function evolutionAuthMethod(method: string | undefined): OutgoingAuthMethod {
  const setting = `[Authentication] Method=${method ?? ''}`;
  const m = (method ?? '').trim();
  const up = m.toUpperCase();
  if (m === '' || up === 'NONE') return { kind: 'none', mechanisms: [], setting };
  if (up === 'PLAIN' || up === 'LOGIN') return { kind: 'password', mechanisms: [up], setting };
  if (['CRAM-MD5', 'DIGEST-MD5', 'SCRAM-SHA-1', 'SCRAM-SHA-256'].includes(up)) return { kind: 'encrypted-password', mechanisms: [up], setting };
  if (['XOAUTH2', 'OAUTHBEARER', 'GOOGLE', 'OUTLOOK', 'YAHOO'].includes(up)) return { kind: 'oauth2', mechanisms: up === 'OAUTHBEARER' ? ['OAUTHBEARER'] : ['XOAUTH2'], setting };
  if (up === 'NTLM') return { kind: 'ntlm', mechanisms: ['NTLM'], setting };
  if (up === 'GSSAPI') return { kind: 'gssapi', mechanisms: ['GSSAPI'], setting };
  return { kind: 'other', mechanisms: [up], setting };
}

/**
 * Claws Mail: `use_smtp_auth` and `smtp_auth_method`, the SMTPAuthType bits of src/common/smtp.h (1 LOGIN,
 * 2 CRAM-MD5, 4 DIGEST-MD5, 16 PLAIN, 32 OAUTH2 sent as XOAUTH2); 0 is automatic, which tries CRAM-MD5, LOGIN,
 * PLAIN, then XOAUTH2 (smtp_auth in src/common/smtp.c).
 */
export function clawsAuthMethod(useSmtpAuth: string | undefined, method: string | undefined): OutgoingAuthMethod {
  const setting = `use_smtp_auth=${useSmtpAuth ?? ''}; smtp_auth_method=${method ?? ''}`;
  if (useSmtpAuth !== '1') return { kind: 'none', mechanisms: [], setting };
  switch (method ?? '0') {
    case '0':
      return { kind: 'automatic', mechanisms: ['CRAM-MD5', 'LOGIN', 'PLAIN', 'XOAUTH2'], setting };
    case '1':
      return { kind: 'password', mechanisms: ['LOGIN'], setting };
    case '16':
      return { kind: 'password', mechanisms: ['PLAIN'], setting };
    case '2':
      return { kind: 'encrypted-password', mechanisms: ['CRAM-MD5'], setting };
    case '4':
      return { kind: 'encrypted-password', mechanisms: ['DIGEST-MD5'], setting };
    case '32':
      return { kind: 'oauth2', mechanisms: ['XOAUTH2'], setting };
    default:
      return { kind: 'other', mechanisms: null, setting };
  }
}
