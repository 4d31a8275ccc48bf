import { z } from 'zod';
import { ReportEnvelope } from '../report/envelope.ts';
import { SmtpSection } from '../smtp/schema.ts';
import { AccountsSection } from '../clients/schema.ts';
import { NetworkSection } from '../network/schema.ts';
import { PstSection } from '../pst/schema.ts';
import { ExplainSection } from '../smtp/explain-schema.ts';
import { Severity } from '../core/finding.ts';

/**
 * One problem as the user would name it ("sam@example.com cannot send: port 25 is refused"), with the findings that
 * prove it and the fixes for it. Every finding of a report belongs to exactly one cause.
 */
export const Cause = z.object({
  /** Stable, machine-readable: what kind of problem and where ("account-port:smtp.example.com:25", "pst:/path/x.pst"). */
  id: z.string().min(1),
  /** What is wrong, in plain words. */
  title: z.string().min(1),
  /** Why, and what to do about it. */
  summary: z.string(),
  /** The most serious of its findings. */
  severity: Severity,
  /** The ids of its findings, in report order. */
  findings: z.array(z.string().min(1)).min(1),
  /** Where those findings are in the report's `findings` (ids repeat when two servers or files have the same problem). */
  findingIndexes: z.array(z.number().int().nonnegative()).min(1),
  /** The fix ids of its findings; the first is the one next step. */
  fixes: z.array(z.string().min(1)),
});
export type Cause = z.infer<typeof Cause>;

/** The report every command returns: the envelope plus the sections of the domains it ran. */
export const Report = ReportEnvelope.extend({
  /** `mailmedic smtp HOST`: the one host probed. */
  smtp: SmtpSection.optional(),
  /** `mailmedic scan`: every outgoing server found in the accounts (and any asked for), one section each. */
  smtpHosts: z.array(SmtpSection).optional(),
  accounts: AccountsSection.optional(),
  network: NetworkSection.optional(),
  pst: PstSection.optional(),
  explain: ExplainSection.optional(),
  /** The findings grouped into problems, most serious first. */
  causes: z.array(Cause).optional(),
});
export type Report = z.infer<typeof Report>;

/** Sections a command may fill; everything but the envelope. */
export type ReportSections = Partial<Pick<Report, 'smtp' | 'smtpHosts' | 'accounts' | 'network' | 'pst' | 'explain'>>;
