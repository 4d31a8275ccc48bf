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
    })
    .nullable(),
  dataFiles: z.array(z.string()),
  source: z.object({ file: z.string().nullable(), registryKey: z.string().nullable() }),
});
export type Account = z.infer<typeof Account>;

export const AccountsSection = z.array(Account);
export type AccountsSection = z.infer<typeof AccountsSection>;
