import { z } from 'zod';

// The `pst.repair` report section (issue #13) for the contract: the shape of RepairResult, so the CLI's --json, the
// HTTP API and the app validate the same thing. repair.test checks that a real result parses.

export const RepairItemSchema = z.object({
  status: z.enum(['kept', 'partial', 'recovered', 'lost']),
  /** The message's node id in the source (hex); the new store keeps it unless newId says otherwise. */
  id: z.string(),
  /** Its id in the new store, where it had to change (the source's lay below the root folder's, 0x122). */
  newId: z.string().optional(),
  folder: z.string(),
  subject: z.string(),
  sender: z.string(),
  date: z.string().nullable(),
  detail: z.string(),
});

export const RepairResultSchema = z.object({
  source: z.string(),
  sourceFormat: z.enum(['ansi', 'unicode', 'unicode4k']),
  sourceKind: z.enum(['pst', 'ost']),
  sourceStatus: z.enum(['ok', 'damaged']),
  outputs: z.array(z.object({ path: z.string(), bytes: z.number().int(), folders: z.number().int(), messages: z.number().int() })),
  counts: z.object({ kept: z.number().int(), partial: z.number().int(), recovered: z.number().int(), lost: z.number().int() }),
  items: z.array(RepairItemSchema),
  notes: z.array(z.string()),
});
export type RepairResultSchema = z.infer<typeof RepairResultSchema>;
