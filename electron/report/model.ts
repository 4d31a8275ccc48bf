import { z } from 'zod';
import { Finding } from './finding.ts';
import { SmtpSection } from '../smtp/schema.ts';
import { AccountsSection } from '../clients/schema.ts';
import { NetworkSection } from '../network/schema.ts';
import { PstSection } from '../pst/schema.ts';
import { ExplainSection } from '../smtp/explain-schema.ts';

/** Bump only with a breaking change to the report shape; additions keep the version. */
export const SCHEMA_VERSION = 1 as const;

export const Report = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  tool: z.object({ name: z.literal('mailmedic'), version: z.string() }),
  command: z.string(),
  host: z.object({ platform: z.string(), release: z.string(), hostname: z.string() }),
  startedAt: z.iso.datetime(),
  durationMs: z.number().nonnegative(),
  findings: z.array(Finding),
  /** `mailmedic smtp HOST`: the one host probed. */
  smtp: SmtpSection.optional(),
  /** `mailmedic scan`: every outgoing server found in the accounts (and any asked for), one section each. */
  smtpHosts: z.array(SmtpSection).optional(),
  accounts: AccountsSection.optional(),
  network: NetworkSection.optional(),
  pst: PstSection.optional(),
  explain: ExplainSection.optional(),
});
export type Report = z.infer<typeof Report>;

/** Sections a command may fill; everything but the envelope. */
export type ReportSections = Partial<Pick<Report, 'smtp' | 'smtpHosts' | 'accounts' | 'network' | 'pst' | 'explain'>>;
