import { z } from 'zod';

// The migration-readiness parts of the `pst` report section (`pst scan --migration m365`). Stable contract: import
// scripts key on the `rule` and `verdict` values, so values are only ever added.

/** An e-mail address as a Mailbox of the import CSV takes it (name@domain.tld, no display name or brackets). */
export const isAddress = (s: string): boolean => /^[^\s@<>()",;:\\]+@[^\s@<>()",;:\\]+\.[^\s@<>()",;:\\.]+$/.test(s.trim());

export const MIGRATION_TARGETS = ['m365'] as const;
export const MigrationTarget = z.enum(MIGRATION_TARGETS);

export const MigrationVerdict = z.enum(['ready', 'needs-attention', 'blocked']);
export type MigrationVerdict = z.infer<typeof MigrationVerdict>;

/**
 * Why a file is not simply ready. The first eleven follow the Microsoft 365 PST Import rules; `damaged-structure`
 * covers stores whose file structures are damaged while every item still reads (the import may still fail on them).
 */
export const MIGRATION_RULES = [
  'unreadable',
  'ost',
  'in-use',
  'folder-depth',
  'password',
  'damaged-items',
  'damaged-structure',
  'item-over-150mb',
  'file-over-20gb',
  'ansi',
  'duplicate',
  'name-clash',
] as const;
export const MigrationRule = z.enum(MIGRATION_RULES);
export type MigrationRule = z.infer<typeof MigrationRule>;

/** An item a rule is about: the folder path and subject (null for a folder itself), with its size when that matters. */
export const MigrationItem = z.object({
  folder: z.string(),
  subject: z.string().nullable(),
  bytes: z.number().optional(),
});
export type MigrationItem = z.infer<typeof MigrationItem>;

export const MigrationReason = z.object({
  rule: MigrationRule,
  /** One sentence: what was found and what to do about it. */
  detail: z.string(),
  /** The items concerned (damaged-items, item-over-150mb); at most MAX_LISTED_ITEMS, `detail` gives the full count. */
  items: z.array(MigrationItem).optional(),
  /** Machine-readable facts the detail rests on (the code page, the other file's path, the holding process…). */
  evidence: z.record(z.string(), z.unknown()).optional(),
});
export type MigrationReason = z.infer<typeof MigrationReason>;

export const OwnerSourceKind = z.enum(['outlook-profile', 'sent-items', 'display-name', 'file-owner']);
export const OwnerConfidence = z.enum(['high', 'medium', 'low']);
export type OwnerConfidence = z.infer<typeof OwnerConfidence>;

/** One piece of evidence about whose mail a file holds. */
export const OwnerSource = z.object({
  source: OwnerSourceKind,
  /** An e-mail address, an account or a display name. */
  value: z.string(),
  /** Whether `value` is an e-mail address (only addresses can become a Mailbox in the import CSV). */
  address: z.boolean(),
  confidence: OwnerConfidence,
  evidence: z.string(),
});
export type OwnerSource = z.infer<typeof OwnerSource>;

export const MigrationOwner = z.object({
  /** The best guess (an address when any source gives one), or null: the file is ownerless. */
  guess: z.string().nullable(),
  confidence: OwnerConfidence.nullable(),
  sources: z.array(OwnerSource),
});
export type MigrationOwner = z.infer<typeof MigrationOwner>;

export const PstFileMigration = z.object({
  verdict: MigrationVerdict,
  /** Blocking reasons first, then in the order of MIGRATION_RULES. Empty when ready. */
  reasons: z.array(MigrationReason),
  owner: MigrationOwner,
  /** The target mailbox and where it came from; null when nothing names one. */
  mailbox: z.object({ address: z.string(), source: z.enum(['mailbox', 'mailbox-map', 'owner']) }).nullable().optional(),
  /** The `Name` this file has in the import CSV (differs from the file name when a name clash renamed it). */
  importName: z.string().nullable().optional(),
});
export type PstFileMigration = z.infer<typeof PstFileMigration>;

/** What a readiness scan reads from a store besides the integrity check (all from the same walk). */
export const PstInventory = z.object({
  /** The store's display name (PidTagDisplayName of the message store). */
  displayName: z.string().nullable(),
  /** Code page of the store's 8-bit strings: the store's own, else the one most of its messages name; null when none. */
  codepage: z.number().int().nullable(),
  /** Folder levels below the top of the store (Inbox = 1), and the deepest folder's path. */
  maxFolderDepth: z.number().int(),
  deepestFolder: z.string().nullable(),
  largestItemBytes: z.number(),
  sentItems: z.object({
    folder: z.string().nullable(),
    messages: z.number().int(),
    /** Most frequent sender addresses there, most frequent first (at most 5). */
    senders: z.array(z.object({ address: z.string(), messages: z.number().int() })),
  }),
  /** The file's owner on disk (account name), when it could be read. */
  fileOwner: z.string().nullable().optional(),
});
export type PstInventory = z.infer<typeof PstInventory>;

/** Across every file of the scan: counts per verdict, what needs a decision, and the import plan. */
export const PstMigrationSummary = z.object({
  target: MigrationTarget,
  verdicts: z.record(MigrationVerdict, z.object({ files: z.number().int(), bytes: z.number() })),
  /** Files no source names an owner for (listed apart, as inventory tools do). */
  ownerless: z.array(z.string()),
  /** Files with the same content (SHA-256), each group once. */
  duplicates: z.array(z.object({ sha256: z.string(), bytes: z.number(), paths: z.array(z.string()) })),
  /** Different files that share a file name (compared case-insensitively), each group once. */
  nameClashes: z.array(z.object({ name: z.string(), paths: z.array(z.string()) })),
  importPlan: z.object({
    /** One per file that is not blocked. */
    rows: z.number().int(),
    /** The mapping CSV files written (at most 500 rows each); empty when no --import-csv was given. */
    csvFiles: z.array(z.string()),
    /** Files whose import Name differs from their file name: upload them under `as`. */
    renames: z.array(z.object({ path: z.string(), name: z.string(), as: z.string() })),
    /** Rows with no Mailbox: give --mailbox or --mailbox-map, or fill them in. */
    withoutMailbox: z.array(z.string()),
  }),
});
export type PstMigrationSummary = z.infer<typeof PstMigrationSummary>;
