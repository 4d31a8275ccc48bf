import { z } from 'zod';
import { ReportEnvelope } from '../report/envelope.ts';
import { SmtpSection } from '../smtp/schema.ts';
import { AccountsSection } from '../clients/schema.ts';
import { NetworkSection } from '../network/schema.ts';
import { PstSection } from '../pst/schema.ts';
import { ExplainSection } from '../smtp/explain-schema.ts';

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
});
export type Report = z.infer<typeof Report>;

/** Sections a command may fill; everything but the envelope. */
export type ReportSections = Partial<Pick<Report, 'smtp' | 'smtpHosts' | 'accounts' | 'network' | 'pst' | 'explain'>>;
