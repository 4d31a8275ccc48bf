import { z } from 'zod';
import { EhloCapabilities } from './ehlo.ts';
import { ProviderSettings } from './provider/schema.ts';

// The `smtp` report section. Stable contract: scripts and checks rely on these names.

export const SmtpSecurity = z.enum(['none', 'starttls', 'implicit']);
export type SmtpSecurity = z.infer<typeof SmtpSecurity>;

export const SmtpOutcome = z.enum([
  'ok',
  'refused',
  'timeout',
  'unreachable',
  'reset',
  'no-banner',
  'deferred',
  'rejected',
  'tls-failed',
  'auth-failed',
]);
export type SmtpOutcome = z.infer<typeof SmtpOutcome>;

export const SmtpPhase = z.enum(['dns', 'connect', 'greeting', 'ehlo', 'tls', 'auth', 'mail', 'rcpt', 'quit']);
export type SmtpPhase = z.infer<typeof SmtpPhase>;

/** SASL mechanisms the probe can sign in with (RFC 4954 AUTH; RFC 2195 CRAM-MD5; RFC 7628 OAUTHBEARER; XOAUTH2). */
export const AuthMechanism = z.enum(['PLAIN', 'LOGIN', 'CRAM-MD5', 'XOAUTH2', 'OAUTHBEARER']);
export type AuthMechanism = z.infer<typeof AuthMechanism>;

export const SmtpReply = z.object({
  code: z.number().int(),
  enhanced: z.string().nullable(),
  text: z.string(),
});
export type SmtpReply = z.infer<typeof SmtpReply>;

export const TlsInfo = z.object({
  protocol: z.string().nullable(),
  cipher: z.string().nullable(),
  subject: z.string().nullable(),
  issuer: z.string().nullable(),
  san: z.array(z.string()),
  validFrom: z.string().nullable(),
  validTo: z.string().nullable(),
  /** Chains to the system roots. */
  trusted: z.boolean(),
  trustError: z.string().nullable(),
  nameMatches: z.boolean(),
  selfSigned: z.boolean(),
  /** Name of the antivirus/proxy product whose CA issued the certificate, when recognised. */
  interceptedBy: z.string().nullable(),
});
export type TlsInfo = z.infer<typeof TlsInfo>;

export const TranscriptEntry = z.object({
  /** Milliseconds since the port's probe started. */
  t: z.number(),
  /** c = client sent, s = server sent, i = what the probe observed (connect, TLS, errors). */
  dir: z.enum(['c', 's', 'i']),
  text: z.string(),
});
export type TranscriptEntry = z.infer<typeof TranscriptEntry>;

export const PortResult = z.object({
  port: z.number().int(),
  security: SmtpSecurity,
  outcome: SmtpOutcome,
  phase: SmtpPhase,
  reply: SmtpReply.nullable(),
  tls: TlsInfo.nullable(),
  ms: z.number(),
  transcript: z.array(TranscriptEntry),
  /** Optional: the address this port was probed on. */
  address: z.string().nullable().optional(),
  /** Optional: errno or protocol problem behind a failed outcome (ECONNREFUSED, line-too-long, …). */
  error: z.string().nullable().optional(),
  /** Optional: the EHLO capabilities (the last EHLO, i.e. after TLS when TLS was used). */
  capabilities: EhloCapabilities.nullable().optional(),
  /** Optional: the SASL mechanism the probe signed in with, or tried to (null: no sign-in attempted). */
  authMechanism: AuthMechanism.nullable().optional(),
});
export type PortResult = z.infer<typeof PortResult>;

export const SmtpSection = z.object({
  host: z.string(),
  address: z.string().nullable(),
  ports: z.array(PortResult),
  recommended: z.object({ port: z.number().int(), security: SmtpSecurity }).nullable(),
  /** Optional: what the provider says the settings are (only when an address/domain was given). */
  provider: ProviderSettings.nullable().optional(),
});
export type SmtpSection = z.infer<typeof SmtpSection>;
