import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { scanAll, stopWorkers, workerKind, workerStats } from '../../../electron/pst/pool.ts';
import type { PstFileResult } from '../../../electron/pst/schema.ts';
import { BUILT_WORKER, builtWorkerCandidates, workerSource } from '../../../electron/pst/worker-source.ts';
import { FIXTURES, REPO_ROOT } from '../../support/pst/fixtures.ts';

// Worker threads on real fixtures: started once per process and reused, loaded without a TypeScript loader, and
// found beside the bundle in a packaged (built) app.

const files = ['aspose-Test_part1.pst', 'pstsdk-sample2.pst', 'aspose-SampleOstFile.ost', 'gopst-32-bit.pst'].map((f) => join(FIXTURES, f));
const strip = (r: PstFileResult[]) => r.map(({ stats, ...rest }) => ({ ...rest, stats: { ...stats, durationMs: 0 } }));

/** The reference: every file scanned in-process. */
const one = await scanAll(files, { jobs: 1, deep: false });

afterAll(() => stopWorkers());

describe('scan workers', () => {
  it('are started once and reused by the next batch, with the in-process results', async () => {
    const before = workerStats().started;
    const modes: string[] = [];
    const first = await scanAll(files, { jobs: 2, deep: false, minWorkerBytes: 0, onMode: (m) => modes.push(m) });
    const afterFirst = workerStats();
    const second = await scanAll(files, { jobs: 2, deep: false, minWorkerBytes: 0, onMode: (m) => modes.push(m) });
    expect(modes).toEqual(['workers', 'workers']);
    expect(afterFirst.started - before).toBeGreaterThan(0);
    expect(afterFirst.started - before).toBeLessThanOrEqual(2);
    expect(afterFirst.idle).toBeGreaterThanOrEqual(afterFirst.started - before);
    expect(workerStats().started).toBe(afterFirst.started); // no new thread for the second batch
    expect(strip(first)).toEqual(strip(one));
    expect(strip(second)).toEqual(strip(one));
  });

  it('a cancelled worker batch stops with AbortError, and the next batch still runs', async () => {
    const ac = new AbortController();
    const run = scanAll(files, {
      jobs: 2, deep: false, minWorkerBytes: 0, signal: ac.signal,
      onProgress: (p) => {
        if (p.phase === 'blocks') ac.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    const again = await scanAll(files, { jobs: 2, deep: false, minWorkerBytes: 0 });
    expect(strip(again)).toEqual(strip(one));
  });

  it('in a source checkout run one esbuild bundle of the worker, not tsx per worker', async () => {
    expect(await workerKind()).toBe('bundled');
  });

  it('small batches stay in-process unless workers already wait idle', async () => {
    await stopWorkers();
    const modes: string[] = [];
    await scanAll(files, { jobs: 2, deep: false, onMode: (m, why) => modes.push(why ? `${m}: ${why}` : m) });
    expect(modes).toEqual(['in-process: too little data to repay worker start-up']);
  });

  it('a built app finds its worker beside the bundle, also from a shared chunk', async () => {
    expect(builtWorkerCandidates('/app/out/main/main.js')).toEqual([`/app/out/main/${BUILT_WORKER}`]);
    expect(builtWorkerCandidates('/app/out/main/chunks/service-x.js')).toEqual([`/app/out/main/chunks/${BUILT_WORKER}`, `/app/out/main/${BUILT_WORKER}`]);
    // A real built worker (the scan-worker entry bundled as electron-vite does, as an ES module) in a temp "app".
    const app = await mkdtemp(join(tmpdir(), 'pst-built-'));
    try {
      await build({
        entryPoints: [join(REPO_ROOT, 'electron/pst/scan-worker.ts')],
        outfile: join(app, 'main', BUILT_WORKER),
        bundle: true,
        platform: 'node',
        format: 'esm',
        logLevel: 'silent',
        // Its CommonJS dependencies (iconv-lite) need `require` inside an ES module.
        banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
      });
      const src = await workerSource(join(app, 'main/chunks/service-x.js'));
      expect(src.kind).toBe('built');
      const w = src.start();
      try {
        const result = await new Promise<PstFileResult>((resolve, reject) => {
          w.on('error', reject);
          w.on('message', (m: { ready?: boolean; result?: PstFileResult }) => {
            if (m.ready) w.postMessage({ id: 1, path: files[1], deep: false });
            else if (m.result) resolve(m.result);
          });
        });
        expect(strip([result])).toEqual(strip([one[1]!]));
        expect(result.status).toBe('ok');
      } finally {
        await w.terminate();
      }
    } finally {
      await rm(app, { recursive: true, force: true });
    }
  });
});
