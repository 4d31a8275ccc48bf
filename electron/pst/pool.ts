import { stat } from 'node:fs/promises';
import type { Worker } from 'node:worker_threads';
import { scanFile } from './scan-file.ts';
import type { PstFileResult } from './schema.ts';
import { ScanCancelled } from './problems.ts';
import { workerSource, type WorkerSource } from './worker-source.ts';
import { keepTunedWith } from '../core/gc.ts';
import type { Progress } from '../core/progress.ts';

// Runs file scans on up to `jobs` worker threads (CPU-bound CRC and table parsing scale with cores). Workers are
// started once per process and reused by later batches; idle ones do not keep the process alive and stop after a
// while. Falls back to in-process scanning when jobs is 1, when there is one file or too little data, or when a
// worker cannot start.

export interface PoolOptions {
  jobs: number;
  deep: boolean;
  /** Readiness scan (see ScanFileOptions.migration). */
  migration?: boolean;
  /** Below this many bytes in total, scan in-process (default: DEFAULT_MIN_WORKER_BYTES, or the warm one when enough workers wait idle). */
  minWorkerBytes?: number;
  /** Told how the files were scanned (and why workers were not used), for the report and tests. */
  onMode?: (mode: 'workers' | 'in-process', why?: string) => void;
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
}

/**
 * Below these totals a batch is scanned in-process. Measured with bench/pst-scale.ts on 2 cores (8 × 25 MB and
 * 4 × 140 MB generated stores): a worker is ready in ~30 ms, but a fresh thread runs its first stores unoptimised,
 * so a batch on new workers only ties with one (warmed) thread at ~200 MB and wins from ~500 MB (1.3×); workers
 * kept from an earlier batch win at any size (1.5–2×).
 */
export const DEFAULT_MIN_WORKER_BYTES = 256 * 1024 * 1024;
export const DEFAULT_MIN_WARM_WORKER_BYTES = 16 * 1024 * 1024;
/** Idle workers are stopped after this long (they hold ~30 MB each). */
const IDLE_MS = 30_000;
const MAX_WORKERS = 16;

type WorkerMessage = { id: number; ready?: boolean; result?: PstFileResult; progress?: Progress; error?: string };

async function inProcess(files: string[], o: PoolOptions): Promise<PstFileResult[]> {
  const out: PstFileResult[] = [];
  for (const [i, f] of files.entries()) {
    if (o.signal?.aborted) throw new ScanCancelled();
    const r = await scanFile(f, { deep: o.deep, migration: o.migration, signal: o.signal, onProgress: (p) => o.onProgress?.({ ...p, detail: f }) });
    out.push(r.result);
    o.onProgress?.({ phase: 'files', done: i + 1, total: files.length, unit: 'items', detail: f });
  }
  return out;
}

function workerFailed(path: string, error: string): PstFileResult {
  return {
    path, bytes: 0, format: null, kind: null, encryption: null, passwordProtected: false, status: 'unreadable',
    counts: { folders: 0, messages: 0, attachments: 0, damagedItems: 0 },
    problems: [{ structure: 'file', offset: null, detail: error, severity: 'error', affects: ['whole store'] }],
    error,
  };
}

/** A started worker thread that scans one file at a time. */
class Slot {
  private nextId = 0;
  private timer: NodeJS.Timeout | null = null;
  private constructor(readonly w: Worker) {
    // An idle worker's error must not become an uncaught exception; a busy one's also reaches scan()'s listener.
    w.on('error', () => {});
  }

  /** Starts a worker and waits for its ready message; rejects when it cannot load its code. */
  static start(src: WorkerSource): Promise<Slot> {
    return new Promise((resolve, reject) => {
      let w: Worker;
      try {
        w = src.start();
        keepTunedWith(w);
      } catch (e) {
        reject(e as Error);
        return;
      }
      const onReady = (m: WorkerMessage) => {
        if (!m.ready) return;
        w.off('error', onError);
        w.off('exit', onExit);
        w.off('message', onReady);
        resolve(new Slot(w));
      };
      const onError = (e: Error) => reject(e);
      const onExit = (code: number) => reject(new Error(`worker exited (${code}) before it was ready`));
      w.on('message', onReady);
      w.once('error', onError);
      w.once('exit', onExit);
    });
  }

  /** Scans one file in the worker; rejects if the worker dies or the scan is cancelled (the worker is then stopped). */
  scan(path: string, deep: boolean, migration: boolean, onProgress: (p: Progress) => void, signal?: AbortSignal): Promise<PstFileResult> {
    const id = this.nextId++;
    this.w.ref();
    return new Promise<PstFileResult>((resolve, reject) => {
      const cleanup = () => {
        this.w.off('message', onMessage);
        this.w.off('error', onError);
        this.w.off('exit', onExit);
        signal?.removeEventListener('abort', onAbort);
      };
      const onMessage = (m: WorkerMessage) => {
        if (m.id !== id) return;
        if (m.progress) return onProgress(m.progress);
        cleanup();
        resolve(m.result ?? workerFailed(path, m.error ?? 'worker failed'));
      };
      const onError = (e: Error) => {
        cleanup();
        reject(e);
      };
      const onExit = (code: number) => onError(new Error(`worker exited (${code})`));
      const onAbort = () => {
        cleanup();
        void this.w.terminate();
        reject(new ScanCancelled());
      };
      this.w.on('message', onMessage);
      this.w.once('error', onError);
      this.w.once('exit', onExit);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.w.postMessage({ id, path, deep, migration });
    });
  }

  idle(onStop: () => void): void {
    this.w.unref();
    this.timer = setTimeout(() => {
      onStop();
      void this.w.terminate();
    }, IDLE_MS);
    this.timer.unref();
  }

  busy(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  stop(): Promise<number> {
    this.busy();
    return this.w.terminate();
  }
}

/** The process-wide set of idle workers, shared by every batch. */
const idle: Slot[] = [];
let source: Promise<WorkerSource> | null = null;
let started = 0;

async function acquire(): Promise<Slot> {
  const s = idle.pop();
  if (s) {
    s.busy();
    return s;
  }
  source ??= workerSource();
  const slot = await Slot.start(await source);
  started++;
  return slot;
}

/** Workers started by this process so far, and how many wait idle (tests check reuse with it). */
export function workerStats(): { started: number; idle: number } {
  return { started, idle: idle.length };
}

function release(s: Slot): void {
  idle.push(s);
  s.idle(() => idle.splice(idle.indexOf(s), 1));
}

/** Stops every idle worker now (tests, app shutdown). */
export async function stopWorkers(): Promise<void> {
  await Promise.all(idle.splice(0).map((s) => s.stop()));
}

/** How workers get their code in this runtime ('built' in the packaged app). */
export async function workerKind(): Promise<WorkerSource['kind']> {
  source ??= workerSource();
  return (await source).kind;
}

export async function scanAll(files: string[], o: PoolOptions): Promise<PstFileResult[]> {
  const n = Math.min(Math.max(1, Math.floor(o.jobs)), files.length, MAX_WORKERS);
  let finished = 0;
  const tick = (f: string) => o.onProgress?.({ phase: 'files', done: ++finished, total: files.length, unit: 'items', detail: f });
  if (n <= 1) {
    o.onMode?.('in-process', 'one job or one file');
    return inProcess(files, o);
  }
  let total = 0;
  for (const f of files) total += await stat(f).then((s) => s.size, () => 0);
  if (total < (o.minWorkerBytes ?? (idle.length >= n ? DEFAULT_MIN_WARM_WORKER_BYTES : DEFAULT_MIN_WORKER_BYTES))) {
    o.onMode?.('in-process', 'too little data to repay worker start-up');
    return inProcess(files, o);
  }
  const results = new Array<PstFileResult | undefined>(files.length);
  let next = 0;
  let told = false;
  let lastError: Error | null = null;
  // Each lane holds one worker and takes the next file until none is left; a lane whose worker cannot start or dies
  // scans its files in-process instead, so a batch always completes.
  const lane = async (): Promise<void> => {
    let slot: Slot | null = null;
    try {
      slot = await acquire();
    } catch (e) {
      lastError = e as Error;
    }
    if (slot && !told) {
      told = true;
      o.onMode?.('workers');
    }
    while (next < files.length) {
      if (o.signal?.aborted) throw new ScanCancelled();
      const id = next++;
      const f = files[id]!;
      if (slot) {
        try {
          results[id] = await slot.scan(f, o.deep, o.migration ?? false, (p) => o.onProgress?.({ ...p, detail: f }), o.signal);
          tick(f);
          continue;
        } catch (e) {
          if (e instanceof ScanCancelled) throw e; // scan() already stopped the worker
          lastError = e as Error;
          void slot.stop();
          slot = null;
        }
      }
      // Lanes without a worker share this thread: asynchronous reads let their scans overlap.
      results[id] = (await scanFile(f, { deep: o.deep, migration: o.migration, signal: o.signal, syncWalk: false, onProgress: (p) => o.onProgress?.({ ...p, detail: f }) })).result;
      tick(f);
    }
    if (slot) release(slot);
  };
  await Promise.all(Array.from({ length: n }, lane));
  // Assigned inside the lanes, which TypeScript's narrowing does not see.
  const why = (lastError as Error | null)?.message ?? 'unknown';
  if (!told) o.onMode?.('in-process', `worker threads unavailable: ${why}`);
  return results.map((r) => r!);
}
