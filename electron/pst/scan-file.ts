import { attribute } from './attribute.ts';
import { walkStore, type StoreWalk } from './messaging.ts';
import { scanNdb, type NdbResult } from './ndb.ts';
import { ProblemLog, ScanCancelled } from './problems.ts';
import type { PstFileResult } from './schema.ts';
import { PstSource } from './source.ts';
import type { Progress } from '../core/progress.ts';
import { MigrationCollector } from './migration/collect.ts';
import { addReadiness } from './migration/file.ts';

// Scans one store end to end: NDB checks, messaging walk, attribution → the report's per-file result.

export interface ScanFileOptions {
  deep?: boolean;
  /** Readiness scan: also collect the migration facts, hash the file and give the per-file verdict. */
  migration?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
  /**
   * Walk the messaging layer with reads on this thread (PstSource.syncReads; default true): the walk needs each read
   * before it goes on, and a thread-pool round trip per read cost a 1 GB store's scan 2.3–3.0 s against 1.3–1.6 s.
   * False where several scans share this thread at once, so that one's reads do not hold up the others.
   */
  syncWalk?: boolean;
}

export interface ScanFileOutput {
  result: PstFileResult;
  ndb: NdbResult | null;
  walk: StoreWalk | null;
  /** NIDs of the folders and messages an error was attributed to (the items the report names as damaged). */
  damagedItems?: Set<number>;
}

function kindFromName(path: string): 'pst' | 'ost' | null {
  const m = /\.(pst|ost)$/i.exec(path);
  return m ? (m[1]!.toLowerCase() as 'pst' | 'ost') : null;
}

function unreadable(path: string, bytes: number, error: string): PstFileResult {
  return {
    path, bytes, format: null, kind: kindFromName(path), encryption: null, passwordProtected: false, status: 'unreadable',
    counts: { folders: 0, messages: 0, attachments: 0, damagedItems: 0 },
    problems: [{ structure: 'file', offset: null, detail: error, severity: 'error', affects: ['whole store'] }],
    error,
  };
}

/** Scans `path` read-only. Never throws for bad input: an unopenable or foreign file is `unreadable`. */
export async function scanFile(path: string, opts: ScanFileOptions = {}, keepSource = false): Promise<ScanFileOutput & { src?: PstSource }> {
  const t0 = performance.now();
  let src: PstSource;
  try {
    src = await PstSource.open(path);
  } catch (e) {
    return { result: unreadable(path, 0, `cannot open: ${(e as Error).message}`), ndb: null, walk: null };
  }
  let closeSrc = true;
  try {
    const log = new ProblemLog();
    const ndb = await scanNdb(src, log, opts);
    if ('unreadable' in ndb) return { result: unreadable(path, src.size, ndb.unreadable), ndb: null, walk: null };
    src.syncReads = opts.syncWalk ?? true;
    const collector = opts.migration ? new MigrationCollector(ndb.header.layout.id === 4) : undefined;
    const walk = await walkStore(src, ndb, log, { ...opts, observe: collector });
    if (log.dropped > 0) log.list.push({ structure: 'report', offset: null, detail: `${log.dropped} further problems not listed`, severity: 'info' });
    const changed = await src.changedSinceOpen();
    if (changed) {
      const detail = `the file changed while it was scanned (${changed}): a program that has it open, such as Outlook, is writing it, so problems reported here may not be real; close that program and scan again`;
      log.list.push({ structure: 'file', offset: null, detail, severity: 'warning' });
    }
    const { problems, damagedItems } = attribute(ndb, walk, log.list);
    const errors = problems.filter((p) => p.severity === 'error').length;
    const h = ndb.header;
    const result: PstFileResult = {
      path,
      bytes: src.size,
      format: h.layout.format,
      kind: h.kind === 'ost' ? 'ost' : 'pst',
      encryption: h.crypt,
      passwordProtected: walk.passwordProtected,
      status: errors > 0 ? 'damaged' : 'ok',
      counts: {
        folders: walk.folders.filter((f) => !f.hidden).length,
        messages: walk.messages.length,
        attachments: walk.attachments,
        damagedItems: damagedItems.size,
      },
      problems,
      stats: {
        pages: ndb.stats.nbtPages + ndb.stats.bbtPages,
        blocks: ndb.stats.blocks,
        bytesChecked: ndb.stats.bytesChecked,
        recoveryScan: ndb.stats.recoveryRan,
        recoveredBlocks: ndb.stats.recoveredBlocks,
        recoveredNodes: ndb.stats.recoveredNodes,
        hiddenFolders: walk.folders.filter((f) => f.hidden).length,
        orphanMessages: walk.messages.filter((m) => m.orphan).length,
        durationMs: Math.round(performance.now() - t0),
      },
    };
    if (collector) await addReadiness(result, src, walk, damagedItems, collector, opts);
    if (keepSource) closeSrc = false;
    return { result, ndb, walk, damagedItems, ...(keepSource ? { src } : {}) };
  } catch (e) {
    closeSrc = true;
    if (e instanceof ScanCancelled) throw e;
    // A defect the checks did not foresee must still not crash a batch: report the file as unreadable with the cause.
    return { result: unreadable(path, src.size, `scanner failed: ${(e as Error).message}`), ndb: null, walk: null };
  } finally {
    if (closeSrc) await src.close();
  }
}
