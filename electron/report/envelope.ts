import { z } from 'zod';
import { Finding } from '../core/finding.ts';

/** Bump only with a breaking change to the report shape; additions keep the version. */
export const SCHEMA_VERSION = 1 as const;

/** What every report carries, whatever the command; the contract adds each domain's section. */
export const ReportEnvelope = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  tool: z.object({ name: z.literal('mailmedic'), version: z.string() }),
  command: z.string(),
  host: z.object({ platform: z.string(), release: z.string(), hostname: z.string() }),
  startedAt: z.iso.datetime(),
  durationMs: z.number().nonnegative(),
  findings: z.array(Finding),
});
export type ReportEnvelope = z.infer<typeof ReportEnvelope>;
