import { z } from 'zod';
import { RepairResultSchema } from './repair/schema.ts';
import { PstFileMigration, PstInventory, PstMigrationSummary } from './migration/schema.ts';

// The `pst` report section. Stable contract: migration scripts rely on these names.

export const PstProblem = z.object({
  structure: z.string(),
  offset: z.number().nullable(),
  bid: z.string().nullable().optional(),
  nid: z.string().nullable().optional(),
  detail: z.string(),
  /** Added: 'error' = damage, 'warning' = risk (e.g. stale allocation map), 'info' = worth knowing. */
  severity: z.enum(['error', 'warning', 'info']).optional(),
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
  /** Added: how the scan went (pages/blocks checked, recovery scan), for the report and the benchmark. */
  stats: z
    .object({
      pages: z.number().int(),
      blocks: z.number().int(),
      bytesChecked: z.number().int(),
      recoveryScan: z.boolean(),
      recoveredBlocks: z.number().int(),
      recoveredNodes: z.number().int(),
      /** Folders listed only under a folder that does not flag subfolders (most clients hide them). */
      hiddenFolders: z.number().int(),
      /** Messages found only through the node B-tree (no folder lists them). */
      orphanMessages: z.number().int(),
      durationMs: z.number(),
    })
    .optional(),
  /** Added: why the file could not be read at all (status 'unreadable'). */
  error: z.string().optional(),
  /** Added (readiness scans): SHA-256 of the whole file, hex; duplicates are found by it, also across hosts. */
  sha256: z.string().optional(),
  /** Added (readiness scans): what the walk read about the store for the migration rules and the owner guess. */
  inventory: PstInventory.optional(),
  /** Added (`--migration m365`): the verdict, its reasons and the owner guess. */
  migration: PstFileMigration.optional(),
});
export type PstFileResult = z.infer<typeof PstFileResult>;

export const PstSection = z.object({
  files: z.array(PstFileResult),
  /** Added (`--migration m365`): totals per verdict, duplicates, name clashes, ownerless files, the import plan. */
  migration: PstMigrationSummary.optional(),
  /** Added (`pst repair`): the new store(s), counts and every item's fate; `files` holds the source's scan. */
  repair: RepairResultSchema.optional(),
});
export type PstSection = z.infer<typeof PstSection>;
