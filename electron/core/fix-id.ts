// Fix ids and actions for the SMTP settings every mail client can change. One module builds and parses them, so
// the diagnosis (which suggests a port), the clients (which offer the switch) and the engine (which links the two)
// always agree on the spelling.

export type SmtpSecurity = 'none' | 'starttls' | 'implicit';
export interface PortChoice {
  port: number;
  security: SmtpSecurity;
}

/** The action of a fix that switches an account to `port` with `security`: "smtp-587-starttls". */
export function smtpPortAction(c: PortChoice): string {
  return `smtp-${c.port}-${c.security}`;
}

/** The action of a fix that turns on SMTP authentication for an account. */
export const SMTP_AUTH_ON = 'smtp-auth-on';

/** The action of a fix that makes an account sign in to its outgoing server with OAuth2 (modern sign-in). */
export const SMTP_AUTH_OAUTH2 = 'smtp-auth-oauth2';

/** The action of a fix that makes an account sign in to its outgoing server with its normal password (PLAIN/LOGIN). */
export const SMTP_AUTH_PASSWORD = 'smtp-auth-password';

/** The diagnosis' suggestion to sign in with OAuth2, before it is linked to a client's fix (or dropped when none fits). */
export const USE_OAUTH_SUGGESTION = 'smtp.use-oauth';

/** The diagnosis' suggestion to sign in with the normal password, before it is linked to a client's fix. */
export const USE_PASSWORD_SUGGESTION = 'smtp.use-password-auth';

/** The two switches worth offering when the configured port fails: submission with STARTTLS, and implicit TLS. */
export const SUBMISSION_ACTIONS = [smtpPortAction({ port: 587, security: 'starttls' }), smtpPortAction({ port: 465, security: 'implicit' })];

const USE_PORT = /^smtp\.use-port:(\d{1,5}):(none|starttls|implicit)$/;

/** The diagnosis' suggestion to use a port ("smtp.use-port:587:starttls"), before it is linked to a client's fix. */
export function usePortSuggestion(c: PortChoice): string {
  return `smtp.use-port:${c.port}:${c.security}`;
}

/** Reads a use-port suggestion back; null for any other fix id. */
export function parseUsePortSuggestion(id: string): PortChoice | null {
  const m = USE_PORT.exec(id);
  return m ? { port: Number(m[1]), security: m[2] as SmtpSecurity } : null;
}
