import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scanAll, stopWorkers, workerKind, workerStats } from '../../../electron/pst/pool.ts';
import type { PstFileResult } from '../../../electron/pst/schema.ts';
import { BUILT_WORKER, unpacked, workerSource } from '../../../electron/pst/worker-source.ts';
import { FIXTURES } from '../../support/pst/fixtures.ts';
import { outDir, requireBuild } from '../../support/paths.ts';

// Worker threads on real fixtures: started once per process and reused. They run the built worker
// (out/pst/pst-scan-worker.mjs), from source too: a thread cannot load TypeScript, and nothing bundles at run time.

requireBuild();

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

  it('from source, run the checkout\'s built worker', async () => {
    const src = await workerSource();
    expect(src.kind).toBe('checkout');
    expect(src.file).toBe(join(outDir, BUILT_WORKER));
    expect(await workerKind()).toBe('checkout');
  });

  it('small batches stay in-process unless workers already wait idle', async () => {
    await stopWorkers();
    const modes: string[] = [];
    await scanAll(files, { jobs: 2, deep: false, onMode: (m, why) => modes.push(why ? `${m}: ${why}` : m) });
    expect(modes).toEqual(['in-process: too little data to repay worker start-up']);
  });

  it('a packaged app starts the copy kept outside app.asar', () => {
    const asar = join('/opt/MailMedic/resources/app.asar/out', BUILT_WORKER);
    const outside = join('/opt/MailMedic/resources/app.asar.unpacked/out', BUILT_WORKER);
    expect(unpacked(asar, (f) => f === outside)).toBe(outside);
    expect(unpacked(asar, () => false)).toBe(asar);
    expect(unpacked(join(outDir, BUILT_WORKER), () => true)).toBe(join(outDir, BUILT_WORKER));
    expect(existsSync(join(outDir, BUILT_WORKER))).toBe(true);
  });
});
