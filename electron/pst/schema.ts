import { z } from 'zod';

// The `pst` report section (issue #6). Stable contract: migration scripts rely on these names.

export const PstProblem = z.object({
  structure: z.string(),
  offset: z.number().nullable(),
  bid: z.string().nullable().optional(),
  nid: z.string().nullable().optional(),
  detail: z.string(),
  /** Human-readable items affected, e.g. "Inbox/Q3 budget (2024-03-12): attachment plan.xlsx". */
  affects: z.array(z.string()),
});
export type PstProblem = z.infer<typeof PstProblem>;

export const PstFileResult = z.object({
  path: z.string(),
  bytes: z.number(),
  format: z.enum(['ansi', 'unicode', 'unicode4k']).nullable(),
  kind: z.enum(['pst', 'ost']).nullable(),
  encryption: z.enum(['none', 'permute', 'cyclic', 'unknown']).nullable(),
  passwordProtected: z.boolean(),
  status: z.enum(['ok', 'damaged', 'unreadable']),
  counts: z.object({
    folders: z.number().int(),
    messages: z.number().int(),
    attachments: z.number().int(),
    damagedItems: z.number().int(),
  }),
  problems: z.array(PstProblem),
});
export type PstFileResult = z.infer<typeof PstFileResult>;

export const PstSection = z.object({
  files: z.array(PstFileResult),
});
export type PstSection = z.infer<typeof PstSection>;
