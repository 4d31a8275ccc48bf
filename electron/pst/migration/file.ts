import { folderLabel, type StoreWalk } from '../messaging.ts';
import type { PstFileResult } from '../schema.ts';
import type { PstSource } from '../source.ts';
import type { Progress } from '../../core/progress.ts';
import type { MigrationCollector } from './collect.ts';
import type { FileHolder } from './in-use.ts';
import { fileOwnerSource, pickOwner, storeOwnerSources } from './owner.ts';
import { fileReasons, inUseReason, MAX_LISTED_ITEMS, sortReasons, verdictOf, type FileFacts } from './rules.ts';
import type { MigrationItem } from './schema.ts';

// The readiness part of one file's scan: what the walk collected, the damaged items by folder and subject, the
// content hash (one sequential pass), and the verdict from the rules that need this file alone.

/** Damaged folders and messages as items (messages by folder and subject; a folder by its path). */
export function damagedItemList(walk: StoreWalk, damaged: Set<number>): MigrationItem[] {
  const out: MigrationItem[] = [];
  if (damaged.size === 0) return out;
  for (const m of walk.messages) {
    if (out.length >= MAX_LISTED_ITEMS) return out;
    if (damaged.has(m.nid)) out.push({ folder: m.folderPath, subject: m.subject || '(no subject)' });
  }
  for (const f of walk.folders) {
    if (out.length >= MAX_LISTED_ITEMS) return out;
    if (damaged.has(f.nid)) out.push({ folder: folderLabel(f), subject: null });
  }
  return out;
}

/** Fills `sha256`, `inventory` and `migration` of a readable store's result. */
export async function addReadiness(
  result: PstFileResult,
  src: PstSource,
  walk: StoreWalk,
  damaged: Set<number>,
  collector: MigrationCollector,
  opts: { signal?: AbortSignal; onProgress?: (p: Progress) => void },
): Promise<void> {
  const collected = collector.finish();
  const facts: FileFacts = { ...collected, damagedItems: damagedItemList(walk, damaged) };
  result.sha256 = await src.sha256({ signal: opts.signal, onBytes: (done) => opts.onProgress?.({ phase: 'hash', done, total: src.size, unit: 'bytes' }) });
  result.inventory = facts.inventory;
  const reasons = fileReasons(result, facts);
  result.migration = { verdict: verdictOf(reasons), reasons, owner: pickOwner(storeOwnerSources(facts.inventory)) };
}

/**
 * After the batch: a verdict for the files that could not be walked (unreadable, or a worker that failed), the
 * in-use reasons, and the disk owner as an owner source.
 */
export function completeReadiness(files: PstFileResult[], holders: Map<string, FileHolder[]>, owners: Map<string, string | null>): void {
  for (const f of files) {
    const m = (f.migration ??= { verdict: 'ready', reasons: fileReasons(f, null), owner: pickOwner([]) });
    const held = holders.get(f.path);
    if (held && held.length > 0) m.reasons.push(inUseReason(held));
    const onDisk = owners.get(f.path) ?? null;
    if (f.inventory) f.inventory.fileOwner = onDisk;
    const disk = fileOwnerSource(onDisk);
    if (disk) m.owner = pickOwner([...m.owner.sources, disk]);
    m.reasons = sortReasons(m.reasons);
    m.verdict = verdictOf(m.reasons);
  }
}
