import { readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { scanFile } from './scan-file.ts';
import type { PstFileResult } from './schema.ts';
import { ScanCancelled } from './problems.ts';
import type { Progress } from '../contract/api.ts';

// Runs file scans on up to `jobs` worker threads (CPU-bound CRC and table parsing scale with cores). Falls back to
// in-process scanning when jobs is 1, when there is one file, or when a worker cannot start (e.g. no TS loader).

export interface PoolOptions {
  jobs: number;
  deep: boolean;
  /** Below this many bytes in total, scan in-process: starting a worker (TS loader) costs ~0.5 s. */
  minWorkerBytes?: number;
  /** Told how the files were scanned (and why workers were not used), for the report and tests. */
  onMode?: (mode: 'workers' | 'in-process', why?: string) => void;
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
}

const DEFAULT_MIN_WORKER_BYTES = 64 * 1024 * 1024;

type WorkerMessage = { id: number; ready?: boolean; result?: PstFileResult; progress?: Progress; error?: string };

async function inProcess(files: string[], o: PoolOptions): Promise<PstFileResult[]> {
  const out: PstFileResult[] = [];
  for (const [i, f] of files.entries()) {
    if (o.signal?.aborted) throw new ScanCancelled();
    const r = await scanFile(f, { deep: o.deep, signal: o.signal, onProgress: (p) => o.onProgress?.({ ...p, detail: f }) });
    out.push(r.result);
    o.onProgress?.({ phase: 'files', done: i + 1, total: files.length, unit: 'items', detail: f });
  }
  return out;
}

function startWorker(): Worker {
  // Workers do not inherit the TypeScript loader (and reject `--import` in execArgv), so the worker registers tsx —
  // a runtime dependency — itself before loading the TypeScript entry.
  // The ESM entry of tsx's API, taken from its package exports (require.resolve would pick the CJS build).
  const pkgFile = createRequire(import.meta.url).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { exports?: Record<string, { import?: { default?: string } }> };
  const tsx = pathToFileURL(join(dirname(pkgFile), pkg.exports?.['./esm/api']?.import?.default ?? './dist/esm/api/index.mjs')).href;
  const entry = new URL('./scan-worker.ts', import.meta.url).href;
  const code = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(code, { eval: true });
}

export async function scanAll(files: string[], o: PoolOptions): Promise<PstFileResult[]> {
  const n = Math.min(Math.max(1, Math.floor(o.jobs)), files.length, 16);
  if (n <= 1) {
    o.onMode?.('in-process', 'one job or one file');
    return inProcess(files, o);
  }
  let total = 0;
  for (const f of files) total += await stat(f).then((s) => s.size, () => 0);
  if (total < (o.minWorkerBytes ?? DEFAULT_MIN_WORKER_BYTES)) {
    o.onMode?.('in-process', 'too little data to repay worker start-up');
    return inProcess(files, o);
  }
  const results = new Array<PstFileResult | undefined>(files.length);
  const workers: Worker[] = [];
  let next = 0;
  let done = 0;
  try {
    await new Promise<void>((resolveAll, rejectAll) => {
      const onAbort = () => rejectAll(new ScanCancelled());
      o.signal?.addEventListener('abort', onAbort, { once: true });
      const feed = (w: Worker) => {
        if (next >= files.length) return;
        const id = next++;
        w.postMessage({ id, path: files[id], deep: o.deep });
      };
      for (let i = 0; i < n; i++) {
        let w: Worker;
        try {
          w = startWorker();
        } catch (e) {
          rejectAll(e);
          return;
        }
        workers.push(w);
        w.on('message', (m: WorkerMessage) => {
          if (m.ready) {
            if (workers.indexOf(w) === 0) o.onMode?.('workers');
            feed(w);
            return;
          }
          if (m.progress) {
            o.onProgress?.({ ...m.progress, detail: files[m.id] });
            return;
          }
          results[m.id] = m.result ?? {
            path: files[m.id]!, bytes: 0, format: null, kind: null, encryption: null, passwordProtected: false, status: 'unreadable',
            counts: { folders: 0, messages: 0, attachments: 0, damagedItems: 0 },
            problems: [{ structure: 'file', offset: null, detail: m.error ?? 'worker failed', severity: 'error', affects: ['whole store'] }],
            error: m.error ?? 'worker failed',
          };
          done++;
          o.onProgress?.({ phase: 'files', done, total: files.length, unit: 'items', detail: files[m.id] });
          if (done === files.length) resolveAll();
          else feed(w);
        });
        w.on('error', (e) => rejectAll(e));
      }
    });
  } catch (e) {
    if (e instanceof ScanCancelled) throw e;
    // Workers unavailable in this runtime: scan what is left in-process.
    o.onMode?.('in-process', `worker threads unavailable: ${(e as Error).message}`);
    const rest = files.filter((_, i) => !results[i]);
    const more = await inProcess(rest, o);
    for (const [i, f] of files.entries()) if (!results[i]) results[i] = more[rest.indexOf(f)];
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results.map((r) => r!);
}
