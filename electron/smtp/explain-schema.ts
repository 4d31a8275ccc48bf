import { z } from 'zod';

// The `explain` report section: what an SMTP error text means, in plain words, with its source.

export const Explanation = z.object({
  /** What was recognised in the text: a basic code, an enhanced code, or a provider's own phrase. */
  match: z.string(),
  code: z.number().int().nullable(),
  enhanced: z.string().nullable(),
  /** success | transient (try again later) | permanent (will not work as is) */
  kind: z.enum(['success', 'intermediate', 'transient', 'permanent', 'unknown']),
  meaning: z.string(),
  likelyCause: z.string(),
  nextSteps: z.array(z.string()),
  /** Where the knowledge comes from: an RFC section or a provider's documentation page. */
  source: z.string(),
});
export type Explanation = z.infer<typeof Explanation>;

export const ExplainSection = z.object({
  input: z.string(),
  explanations: z.array(Explanation),
});
export type ExplainSection = z.infer<typeof ExplainSection>;
