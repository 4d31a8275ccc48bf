import fs from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { atomicReplace } from './atomic.ts';
import type { RegValue } from '../core/fix.ts';

// The journal: one JSON file per applied fix in <dataDir>/journal, backups in <dataDir>/backups/<id>/.
// It is written before the first change (state "pending"), so a crash leaves enough to undo.

const RegValueJson = z.object({
  type: z.enum(['REG_SZ', 'REG_EXPAND_SZ', 'REG_MULTI_SZ', 'REG_DWORD', 'REG_QWORD', 'REG_BINARY', 'REG_NONE']),
  /** number, string, or bytes as { hex }. */
  data: z.union([z.number(), z.string(), z.object({ hex: z.string().regex(/^[0-9a-f]*$/) })]),
});
type RegValueJson = z.infer<typeof RegValueJson>;

export const GuardJson = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('thunderbird-closed'), profileDir: z.string() }),
  z.object({ kind: z.literal('admin'), why: z.string() }),
  z.object({ kind: z.literal('process-closed'), client: z.string(), names: z.array(z.string()), howToClose: z.string() }),
]);

const CommandJson = z.object({ cmd: z.string(), args: z.array(z.string()) });

export const JournalChange = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('file'),
    path: z.string(),
    /** File name of the backup of the previous bytes, inside backups/<id>/; null when the fix created the file. */
    backup: z.string().nullable(),
    beforeSha256: z.string().nullable(),
    afterSha256: z.string(),
  }),
  z.object({
    kind: z.literal('command'),
    description: z.string(),
    apply: z.array(CommandJson),
    /** Filled in once apply has run; null while pending (nothing to undo yet, or not known). */
    undo: z.array(CommandJson).nullable(),
  }),
  z.object({
    kind: z.literal('registry'),
    key: z.string(),
    name: z.string(),
    before: RegValueJson.nullable(),
    after: RegValueJson.nullable(),
  }),
]);
export type JournalChange = z.infer<typeof JournalChange>;

export const JournalEntry = z.object({
  id: z.string().regex(/^\d{8}T\d{6}Z-[0-9a-f]{6}$/),
  fixId: z.string(),
  title: z.string(),
  createdAt: z.string(),
  state: z.enum(['pending', 'applied', 'failed', 'undone']),
  guards: z.array(GuardJson),
  changes: z.array(JournalChange),
});
export type JournalEntry = z.infer<typeof JournalEntry>;

export const journalDir = (dataDir: string) => path.join(dataDir, 'journal');
export const backupDir = (dataDir: string, id: string) => path.join(dataDir, 'backups', id);

/** Sortable, unique, and safe as a file name and a CLI argument. */
export function newJournalId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

export async function writeEntry(dataDir: string, e: JournalEntry): Promise<void> {
  const dir = journalDir(dataDir);
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  await atomicReplace(path.join(dir, `${e.id}.json`), Buffer.from(JSON.stringify(e, null, 2) + '\n'), 'journal');
}

export async function readEntry(dataDir: string, id: string): Promise<JournalEntry | null> {
  if (!JournalEntry.shape.id.safeParse(id).success) return null;
  try {
    return JournalEntry.parse(JSON.parse(await fs.readFile(path.join(journalDir(dataDir), `${id}.json`), 'utf8')));
  } catch {
    return null;
  }
}

/** Entries newest first; unreadable entries are skipped (bounded by the directory listing). */
export async function listEntries(dataDir: string): Promise<JournalEntry[]> {
  let names: string[];
  try {
    names = await fs.readdir(journalDir(dataDir));
  } catch {
    return [];
  }
  const ids = names.filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -5)).sort().reverse().slice(0, 10_000);
  const out: JournalEntry[] = [];
  for (const id of ids) {
    const e = await readEntry(dataDir, id);
    if (e) out.push(e);
  }
  return out;
}

export function regToJson(v: RegValue | null): RegValueJson | null {
  if (!v) return null;
  return { type: v.type, data: Buffer.isBuffer(v.data) ? { hex: v.data.toString('hex') } : v.data };
}

export function regFromJson(v: RegValueJson | null): RegValue | null {
  if (!v) return null;
  return { type: v.type, data: typeof v.data === 'object' ? Buffer.from(v.data.hex, 'hex') : v.data };
}
