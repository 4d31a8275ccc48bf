import { z } from 'zod';

// The `network` report section (issue #5). Each part says whether it could be checked at all:
// "not checked" must never read as "all clear".

export const CheckState = z.object({
  checked: z.boolean(),
  /** Why it could not be checked (missing command, needs administrator, could not parse). */
  reason: z.string().nullable(),
});

export const NetworkSection = z.object({
  platform: z.string(),
  firewall: CheckState.extend({ details: z.record(z.string(), z.unknown()) }),
  vpn: CheckState.extend({ details: z.record(z.string(), z.unknown()) }),
  antivirus: z.array(z.record(z.string(), z.unknown())),
  proxy: CheckState.extend({ details: z.record(z.string(), z.unknown()) }),
  route: CheckState.extend({ details: z.record(z.string(), z.unknown()) }),
});
export type NetworkSection = z.infer<typeof NetworkSection>;
