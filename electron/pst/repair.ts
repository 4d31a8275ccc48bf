import { realpath } from 'node:fs/promises';
import { resolve } from 'node:path';
import { CancelledError, UsageError } from '../core/errors.ts';
import type { Progress } from '../core/progress.ts';
import { readNameToIdMap } from './nameid.ts';
import type { NdbResult } from './ndb.ts';
import { NumMap, SlOwnerMap } from './nummap.ts';
import { NodeReader } from './nodes.ts';
import { OutputFiles } from './repair/output.ts';
import { runRepair, type RepairItem, type RepairOutput, type RepairStatus } from './repair/run.ts';
import { readSourceStore } from './repair/store-info.ts';
import { scanFile } from './scan-file.ts';
import type { PstFileResult } from './schema.ts';

export type { RepairItem, RepairOutput, RepairStatus };
export { repairFinding, repairItemsCsv } from './repair/report.ts';
export { RepairItemSchema, RepairResultSchema } from './repair/schema.ts';

// PST repair: rebuilds a damaged PST or OST into a NEW Unicode PST (see writer/README.md for the format choices).
// The source is only ever opened read-only (PstSource) and is never written, locked or renamed. The store is scanned
// first (the same full scan as `pst scan`), then every readable item is copied with all of its properties from the
// source into the new store, message by message (memory stays bounded: bodies and attachments stream block by block).
// Each item is reported: kept, partial (what is missing), recovered (found only through the node B-tree, now in
// "Lost and Found"), or lost (with what its folder's contents table still says).

export interface RepairOptions {
  /** The new store: TARGET.pst (or, with splitGb, TARGET-1.pst, TARGET-2.pst, …). */
  out: string;
  /** Split into parts of at most this many GiB each (no message is split); fractions allowed. */
  splitGb?: number;
  /** Replace an existing TARGET (or TARGET-N parts). */
  force?: boolean;
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
}

export interface RepairResult {
  source: string;
  /** The source as the scan saw it. */
  sourceFormat: 'ansi' | 'unicode' | 'unicode4k';
  sourceKind: 'pst' | 'ost';
  sourceStatus: 'ok' | 'damaged';
  outputs: RepairOutput[];
  counts: { kept: number; partial: number; recovered: number; lost: number };
  items: RepairItem[];
  /** Store-level remarks: folders rebuilt or moved, FAI, search folders, properties left out. */
  notes: string[];
  /** The source's full scan: what is damaged, and why items are partial or lost. */
  scan: PstFileResult;
}

/** Frees the scan's block → item attribution maps (the copy reads blocks through the BBT only). */
function dropAttribution(ndb: NdbResult): void {
  ndb.owners.clear();
  ndb.parentOf = new NumMap();
  ndb.slOwner = new SlOwnerMap();
}

const GIB = 1024 ** 3;
/** The smallest useful part: a new store's skeleton takes about 0.3 MB. */
const MIN_SPLIT_BYTES = 1024 * 1024;
const NO_SPACE = new Set(['ENOSPC', 'EFBIG', 'EDQUOT']);

export async function repairPst(source: string, opts: RepairOptions): Promise<RepairResult> {
  if (!opts.out) throw new UsageError('give the new store to write (out)');
  const input = await realpath(resolve(source)).catch((err: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot read ${source}: ${err.code === 'ENOENT' ? 'no such file' : err.code === 'ELOOP' ? 'a loop of symbolic links' : err.message}`);
  });
  const target = resolve(opts.out);
  let splitBytes: number | null = null;
  if (opts.splitGb !== undefined) {
    if (!Number.isFinite(opts.splitGb) || opts.splitGb * GIB < MIN_SPLIT_BYTES) throw new UsageError(`the split size must be at least ${MIN_SPLIT_BYTES / GIB} GB (got ${opts.splitGb})`);
    splitBytes = Math.floor(opts.splitGb * GIB);
  }
  const files = new OutputFiles(target, splitBytes !== null, opts.force ?? false, input);
  if ((await realpath(files.finalPath(1)).catch(() => files.finalPath(1))) === input) throw new UsageError('the new store must not replace the store being repaired');
  files.check();

  // The walk (scanFile's default) and the copy (syncReads below) read one node at a time and need each read before
  // going on: reads on this thread beat a thread-pool round trip per read (the block pass keeps its read-ahead).
  const scanned = await scanFile(input, { signal: opts.signal, onProgress: opts.onProgress }, true);
  const { result, ndb, walk, src } = scanned;
  if (!ndb || !walk || !src) {
    await src?.close();
    throw new UsageError(`cannot repair ${input}: ${result.error ?? 'it is not a PST or OST file'}`);
  }
  try {
    src.syncReads = true;
    await src.releaseWindows();
    // What the scan kept to name damaged items is not needed for the copy (tens of MB on a multi-GB store).
    dropAttribution(ndb);
    const reader = new NodeReader(src, ndb);
    const ansi = ndb.header.layout.id === 4;
    const store = await readSourceStore(reader, ansi);
    const names = await readNameToIdMap(reader);
    const run = await runRepair({
      source: input, scan: result, ndb, walk, damagedItems: scanned.damagedItems ?? new Set(), reader, store, names, files, splitBytes,
      sourceChanged: () => src.changedSinceOpen(),
      signal: opts.signal, onProgress: opts.onProgress,
    });
    const counts = { kept: 0, partial: 0, recovered: 0, lost: 0 };
    for (const it of run.items) counts[it.status]++;
    return {
      source: input,
      sourceFormat: ndb.header.layout.format,
      sourceKind: ndb.header.kind === 'ost' ? 'ost' : 'pst',
      sourceStatus: result.status === 'ok' ? 'ok' : 'damaged',
      outputs: run.outputs,
      counts,
      items: run.items,
      notes: run.notes,
      scan: result,
    };
  } catch (err) {
    files.discard();
    const code = (err as NodeJS.ErrnoException).code;
    if (code && NO_SPACE.has(code)) {
      throw new UsageError(`not enough room to write ${target}: ${code === 'EFBIG' ? 'a file-size limit was reached' : 'the disk is full'} (${(err as Error).message}). Nothing was written, and ${input} is unchanged.`);
    }
    if (err instanceof CancelledError || (err as Error).name === 'AbortError') throw err;
    throw err;
  } finally {
    await src.close();
  }
}
