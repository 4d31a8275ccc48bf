import { z } from 'zod';

// What the provider itself says the outgoing server should be (autoconfig, ISPDB, RFC 6186 SRV, MX guess).

export const ProviderServer = z.object({
  hostname: z.string(),
  port: z.number().int(),
  /** Same values as the smtp section's `security` (not imported from it, to keep the schemas acyclic). */
  security: z.enum(['none', 'starttls', 'implicit']),
  /** Thunderbird's names: password-cleartext, OAuth2, none, … */
  authentication: z.array(z.string()),
  /** User name pattern with placeholders filled in when the address is known. */
  username: z.string().nullable(),
});
export type ProviderServer = z.infer<typeof ProviderServer>;

export const ProviderSource = z.enum(['autoconfig', 'well-known', 'ispdb', 'srv', 'mx-ispdb']);
export type ProviderSource = z.infer<typeof ProviderSource>;

export const ProviderSettings = z.object({
  domain: z.string(),
  /** Where the answer came from (the first source, in Thunderbird's order, that had one); null = nothing found. */
  source: ProviderSource.nullable(),
  providerName: z.string().nullable(),
  servers: z.array(ProviderServer),
  /** Every lookup made and what it gave, as evidence. */
  tried: z.array(z.object({ source: ProviderSource, target: z.string(), result: z.string() })),
});
export type ProviderSettings = z.infer<typeof ProviderSettings>;
