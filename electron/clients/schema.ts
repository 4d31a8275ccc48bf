import { z } from 'zod';

// The account model shared by every client reader. Passwords are never read.

export const MailClient = z.enum([
  'thunderbird',
  'outlook',
  'evolution',
  'kmail',
  'claws-mail',
  'apple-mail',
  'windows-mail',
  'other',
]);
export type MailClient = z.infer<typeof MailClient>;

export const ConnSecurity = z.enum(['none', 'starttls', 'implicit']);
export type ConnSecurity = z.infer<typeof ConnSecurity>;

/** How the mail program signs in to its outgoing server, read from its own setting (never the password). */
export const OutgoingAuthMethod = z.object({
  /** password = PLAIN/LOGIN; encrypted-password = CRAM-MD5 and kin; automatic = whatever the server offers. */
  kind: z.enum(['none', 'password', 'encrypted-password', 'oauth2', 'ntlm', 'gssapi', 'tls-certificate', 'automatic', 'other']),
  /** The SASL mechanisms (RFC 4954 AUTH names) this setting lets the program use, in its order; null = any offered. */
  mechanisms: z.array(z.string()).nullable(),
  /** The program's own setting behind it, e.g. "mail.smtpserver.smtp1.authMethod = 3". */
  setting: z.string(),
});
export type OutgoingAuthMethod = z.infer<typeof OutgoingAuthMethod>;

export const Account = z.object({
  id: z.string(),
  client: MailClient,
  profile: z.string().nullable(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  incoming: z
    .object({
      protocol: z.enum(['imap', 'pop3', 'exchange', 'ews', 'other']),
      host: z.string().nullable(),
      port: z.number().int().nullable(),
      security: ConnSecurity.nullable(),
    })
    .nullable(),
  outgoing: z
    .object({
      host: z.string().nullable(),
      port: z.number().int().nullable(),
      security: ConnSecurity.nullable(),
      auth: z.boolean().nullable(),
      username: z.string().nullable(),
      /** Optional: how the program signs in (absent for programs whose setting is not read). */
      authMethod: OutgoingAuthMethod.nullable().optional(),
    })
    .nullable(),
  dataFiles: z.array(z.string()),
  source: z.object({ file: z.string().nullable(), registryKey: z.string().nullable() }),
});
export type Account = z.infer<typeof Account>;

export const AccountsSection = z.array(Account);
export type AccountsSection = z.infer<typeof AccountsSection>;
