import { copyFileSync, mkdtempSync, openSync, readSync, closeSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNICODE } from '../../../electron/pst/layout.ts';
import { mapPagesOf } from '../../../electron/pst/map-pages.ts';
import { PTYPE } from '../../../electron/pst/page.ts';
import { scanPstPaths } from '../../../electron/pst/service.ts';
import type { PstFileResult } from '../../../electron/pst/schema.ts';
import { testContext } from '../../support/pst/context.ts';
import { writePst } from '../../support/pst-writer/synth.ts';

// Stores past 32 MB carry an FMap page (no public sample is that large, so the team's writer makes them): the scanner
// must check it where [MS-PST] puts it, and must notice when data sits where Outlook keeps it.

const FMAP = mapPagesOf(UNICODE, 128).find((p) => p.name === 'FMap')!.ib;
const options = { format: 'unicode', encoding: 'permute', ost: false, folders: 4, messages: 260, attachmentKb: { min: 150, max: 200 }, attachmentsPerMessage: { min: 1, max: 1 }, seed: 5 } as const;

describe('FMap pages in a store over 32 MB', () => {
  let dir: string;
  let clean: string;
  let noFmaps: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pst-fmap-'));
    clean = join(dir, 'clean.pst');
    noFmaps = join(dir, 'without-fmaps.pst');
    writePst(clean, options);
    writePst(noFmaps, { ...options, withoutFMaps: true });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const scan = async (f: string): Promise<PstFileResult> => (await scanPstPaths([f], {}, testContext())).section.files[0]!;
  const pageType = (f: string) => {
    const fd = openSync(f, 'r');
    const b = Buffer.alloc(512);
    readSync(fd, b, 0, 512, FMAP);
    closeSync(fd);
    return b[UNICODE.ptypeOff];
  };

  it('a clean store holds an FMap at region 128 + 1024 and scans ok without map problems', async () => {
    expect(pageType(clean)).toBe(PTYPE.FMAP);
    const r = await scan(clean);
    expect(r.bytes).toBeGreaterThan(FMAP + 512);
    expect(r.status).toBe('ok');
    expect(r.problems.filter((p) => ['fmap', 'fpmap', 'pmap', 'amap', 'overlap'].includes(p.structure))).toEqual([]);
  });

  it('a damaged FMap page is reported at its offset as a warning, not as lost mail', async () => {
    const f = join(dir, 'bad-fmap.pst');
    copyFileSync(clean, f);
    const fd = openSync(f, 'r+');
    writeSync(fd, Buffer.from([0x5a]), 0, 1, FMAP + 3);
    closeSync(fd);
    const r = await scan(f);
    const p = r.problems.find((x) => x.structure === 'fmap');
    expect(p).toMatchObject({ offset: FMAP, severity: 'warning' });
    expect(p!.detail).toMatch(/FMap page: .*CRC/);
    expect(r.status).toBe('ok');
    expect(r.counts.damagedItems).toBe(0);
  });

  it('data where Outlook keeps its FMap is reported as an overlap naming the item at risk', async () => {
    expect(pageType(noFmaps)).not.toBe(PTYPE.FMAP);
    const r = await scan(noFmaps);
    expect(r.status).toBe('damaged');
    const overlap = r.problems.find((x) => x.structure === 'overlap' && /FMap page at 0x1f04800/.test(x.detail));
    expect(overlap).toBeDefined();
    expect(overlap!.offset).toBe(FMAP);
    expect(overlap!.affects.length).toBeGreaterThan(0);
    expect(r.problems.some((x) => x.structure === 'fmap' && x.offset === FMAP)).toBe(true);
    // Only the map slot is wrong: every message is still read.
    expect(r.counts.messages).toBe(options.messages);
  });

});
