import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanAll } from '../../../electron/pst/pool.ts';
import { scanPstPaths } from '../../../electron/pst/service.ts';
import { testContext } from '../../support/pst/context.ts';
import { copyFixture, FIXTURES, tempDir } from '../../support/pst/fixtures.ts';

// Batch scanning on real files: folder recursion, worker threads, progress events and cancellation.

describe('batch scan', () => {
  it('finds .pst/.ost recursively, ignores other files and reports missing paths', async () => {
    const root = await tempDir();
    await mkdir(join(root, 'a/b'), { recursive: true });
    await copyFixture('pstsdk-sample1.pst', join(root, 'a'));
    await copyFixture('gopst-32-bit.pst', join(root, 'a/b'));
    await writeFile(join(root, 'a/notes.txt'), 'not a store');
    await writeFile(join(root, 'a/b/fake.OST'), 'not a store either, but named like one');
    const { section, findings } = await scanPstPaths([root, join(root, 'missing.pst')], {}, testContext());
    expect(section.files.map((f) => f.path.slice(root.length))).toEqual(['/a/b/fake.OST', '/a/b/gopst-32-bit.pst', '/a/pstsdk-sample1.pst']);
    expect(section.files.map((f) => f.status)).toEqual(['unreadable', 'ok', 'ok']);
    expect(section.files[0]!.kind).toBe('ost');
    expect(findings.find((f) => f.id === 'pst.path-missing')?.evidence.reason).toBe('ENOENT');
    expect(findings.find((f) => f.id === 'pst.unreadable')?.detail).toMatch(/shorter than a PST header/);
  });

  it('worker threads give the same results as the in-process scan', async () => {
    const files = ['aspose-Test_part1.pst', 'pstsdk-sample2.pst', 'aspose-SampleOstFile.ost', 'aspose-AddingBulkMessages-BADHEADERCRC.pst'].map((f) => join(FIXTURES, f));
    const strip = (r: Awaited<ReturnType<typeof scanAll>>) => r.map(({ stats, ...rest }) => ({ ...rest, stats: { ...stats, durationMs: 0 } }));
    const one = await scanAll(files, { jobs: 1, deep: false });
    const events: string[] = [];
    const modes: string[] = [];
    const many = await scanAll(files, { jobs: 2, deep: false, minWorkerBytes: 0, onProgress: (p) => events.push(p.phase), onMode: (m, why) => modes.push(why ? `${m}: ${why}` : m) });
    expect(modes).toEqual(['workers']);
    expect(strip(many)).toEqual(strip(one));
    expect(events).toContain('files');
    expect(events).toContain('blocks');
  });

  it('reports progress in bytes and items', async () => {
    const ctx = testContext();
    await scanPstPaths([join(FIXTURES, 'synthetic-uaslan-150msgs.pst')], {}, ctx);
    const bytes = ctx.progress.filter((p) => p.unit === 'bytes');
    const items = ctx.progress.filter((p) => p.unit === 'items' && p.phase === 'items');
    expect(bytes.at(-1)).toMatchObject({ done: 1033216, total: 1033216 });
    expect(items.at(-1)!.done).toBeGreaterThanOrEqual(150);
  });

  it('stops in the middle of a scan when cancelled', async () => {
    const ac = new AbortController();
    const ctx = testContext({ signal: ac.signal });
    ctx.onProgress = (p) => {
      if (p.phase === 'items' && p.done >= 50) ac.abort();
    };
    await expect(scanPstPaths([join(FIXTURES, 'synthetic-uaslan-150msgs.pst')], {}, ctx)).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('names folders that clients hide, without counting them', async () => {
    const { section } = await scanPstPaths([join(FIXTURES, 'aspose-Test_part1.pst')], {}, testContext());
    const f = section.files[0]!;
    expect(f.stats?.hiddenFolders).toBe(2);
    const p = f.problems.find((x) => x.structure === 'folder' && x.severity === 'info');
    // Two folders of the same name: listed once, counted twice.
    expect(p?.affects).toEqual(["folder 'Top of Personal Folders/Deleted Items/SubInbox'"]);
    expect(p?.detail).toMatch(/^2 folder\(s\)/);
  });

  it('stops when cancelled', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(scanPstPaths([FIXTURES], {}, testContext({ signal: ac.signal }))).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('deep mode (recovery scan on every file) keeps every intact fixture ok with the same counts', async () => {
    const plain = await scanPstPaths([FIXTURES], {}, testContext());
    const deep = await scanPstPaths([FIXTURES], { deep: true }, testContext());
    expect(deep.section.files.every((f) => f.stats?.recoveryScan)).toBe(true);
    expect(deep.section.files.map((f) => [f.path, f.status, f.counts])).toEqual(plain.section.files.map((f) => [f.path, f.status, f.counts]));
  });
});
