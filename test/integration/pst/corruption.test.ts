import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { scanFile } from '../../../electron/pst/scan-file.ts';
import { corruptions, fixPageCrc, reencode, sealedScramble } from '../../support/pst/corrupt.ts';
import { expectedCounts, FIXTURES, sha256, tempDir } from '../../support/pst/fixtures.ts';
import { mapStore } from '../../support/pst/layout-map.ts';

// Every generated corruption of a Unicode and an ANSI store: detected, attributed, no crash, bounded (the test
// timeout), and the damaged copy itself is never written by the scan.

const BASES = ['aspose-Test_part1.pst', 'pstsdk-sample2.pst', 'aspose-passwordprotectedPST.pst', 'aspose-SampleOstFile.ost', 'gopst-32-bit.pst'];

for (const base of BASES) {
  describe(`corruptions of ${base}`, () => {
    let intact: Buffer;
    let dir: string;
    beforeAll(async () => {
      intact = await readFile(join(FIXTURES, base));
      dir = await tempDir();
    });

    for (const c of corruptions()) {
      it(c.name, async () => {
        const map = mapStore(intact);
        let damaged: Buffer;
        try {
          damaged = c.apply(intact, map);
        } catch (e) {
          // The store lacks this structure (e.g. ANSI fixture without an intermediate NBT page): say so, do not pass silently.
          expect((e as Error).message).toMatch(/fixture has no|need two/);
          return;
        }
        const path = join(dir, `${c.name.replace(/[^a-z0-9]+/gi, '_')}.pst`);
        await writeFile(path, damaged);
        const before = sha256(damaged);
        const { result } = await scanFile(path, {});
        expect(sha256(await readFile(path))).toBe(before);
        expect(result.status).toBe(c.expectStatus);
        const errors = result.problems.filter((p) => p.severity === 'error');
        expect(errors.length).toBeGreaterThan(0);
        expect(result.problems.map((p) => p.structure)).toEqual(expect.arrayContaining([expect.toSatisfy((s: string) => c.structures.includes(s))]));
        if (c.attributed) expect(errors.some((p) => p.affects.length > 0)).toBe(true);
        if (c.expectStatus === 'damaged' && result.counts.damagedItems > 0) {
          // Damaged items are named with their folder path.
          expect(errors.flatMap((p) => p.affects).some((a) => a.includes('/') || a.startsWith('folder') || a.includes('store'))).toBe(true);
        }
      });
    }
  });
}

describe('damage the CRCs cannot see (bytes changed and re-sealed)', () => {
  for (const base of BASES) {
    it(`${base}: 20 scrambled copies scan without a crash and report what the LTP layer finds`, async () => {
      const intact = await readFile(join(FIXTURES, base));
      const dir = await tempDir();
      let detected = 0;
      for (let seed = 1; seed <= 20; seed++) {
        const path = join(dir, `sealed-${seed}.pst`);
        await writeFile(path, sealedScramble(intact, seed));
        const { result } = await scanFile(path, {});
        expect(result.error).toBeUndefined();
        expect(['ok', 'damaged']).toContain(result.status);
        if (result.status === 'damaged') detected++;
      }
      // Flips in heap headers, page maps and table headers are caught; flips inside a string value cannot be.
      expect(detected).toBeGreaterThan(0);
    });
  }
});

describe('attribution names the damaged item', () => {
  it('a damaged attachment block is reported as that attachment of that message', async () => {
    const intact = await readFile(join(FIXTURES, 'aspose-Test_part1.pst'));
    const map = mapStore(intact);
    const blk = [...map.blocks].filter((b) => !b.internal).sort((x, y) => y.cb - x.cb)[0]!;
    const damaged = Buffer.from(intact);
    damaged[blk.ib + 100] ^= 0xff;
    const path = join(await tempDir(), 'att.pst');
    await writeFile(path, damaged);
    const { result } = await scanFile(path, {});
    const p = result.problems.find((x) => x.structure === 'block' && x.bid === `0x${blk.bid.toString(16)}`);
    expect(p?.detail).toMatch(/CRC mismatch/);
    expect(p?.affects.some((a) => /Top of Personal Folders\/.+: attachment '.+'/.test(a))).toBe(true);
    expect(result.counts.damagedItems).toBe(1);
    // Everything else is still counted.
    expect(result.counts.messages).toBe(61);
  });

  it('a message whose data is gone is still named (subject, date, sender) from its folder\'s contents table', async () => {
    const intact = await readFile(join(FIXTURES, 'aspose-Test_part1.pst'));
    const map = mapStore(intact);
    const l = map.header.layout;
    const damaged = Buffer.from(intact);
    // Point one message's NBT entry at a BID that does not exist (page CRC re-sealed, so only the reference is wrong).
    const leaf = map.pages.find((p) => p.tree === 'nbt' && p.level === 0 && [...Array(damaged[p.ib + l.cEntOff]!).keys()].some((i) => (damaged.readUInt32LE(p.ib + i * l.nbtEntrySize) & 0x1f) === 4))!;
    const i = [...Array(damaged[leaf.ib + l.cEntOff]!).keys()].find((k) => (damaged.readUInt32LE(leaf.ib + k * l.nbtEntrySize) & 0x1f) === 4)!;
    const nid = damaged.readUInt32LE(leaf.ib + i * l.nbtEntrySize);
    damaged.writeUInt32LE(0x7ffffff8, leaf.ib + i * l.nbtEntrySize + 8);
    damaged.writeUInt32LE(0, leaf.ib + i * l.nbtEntrySize + 12);
    fixPageCrc(damaged, l, leaf.ib);
    const path = join(await tempDir(), 'lost.pst');
    await writeFile(path, damaged);
    const { result } = await scanFile(path, {});
    const p = result.problems.find((x) => x.structure === 'reference' && x.nid === `0x${nid.toString(16)}`);
    expect(p?.detail).toMatch(/not in the block B-tree/);
    expect(p?.affects[0]).toMatch(/^Top of Personal Folders\/[^/]+\/'[^']+' \(\d{4}-\d{2}-\d{2}\) from .+$/);
    expect(result.counts.damagedItems).toBe(1);
    expect(result.counts.messages).toBe(61);
  });

  it('a truncated store still yields the items whose blocks survive (recovery scan)', async () => {
    const intact = await readFile(join(FIXTURES, 'aspose-Test_part1.pst'));
    const path = join(await tempDir(), 'trunc.pst');
    await writeFile(path, intact.subarray(0, Math.floor(intact.length * 0.6)));
    const { result } = await scanFile(path, {});
    expect(result.status).toBe('damaged');
    expect(result.stats?.recoveryScan).toBe(true);
    expect(result.problems.some((p) => p.structure === 'file-size' && /truncated/.test(p.detail))).toBe(true);
    expect(result.counts.messages).toBeGreaterThan(0);
    expect(result.counts.damagedItems).toBeGreaterThan(0);
  });
});

describe('encodings', () => {
  const cases = expectedCounts().filter((e) => ['aspose-Test_part1.pst', 'pstsdk-sample2.pst', 'gopst-32-bit.pst'].includes(e.file));
  for (const e of cases) {
    for (const method of ['none', 'cyclic'] as const) {
      it(`${e.file} re-encoded as ${method} scans ok with the same counts`, async () => {
        const buf = reencode(await readFile(join(FIXTURES, e.file)), method);
        const path = join(await tempDir(), e.file);
        await writeFile(path, buf);
        const { result } = await scanFile(path, {});
        expect(result.encryption).toBe(method);
        expect(result.problems.filter((p) => p.severity === 'error')).toEqual([]);
        expect(result.counts.folders).toBe(e.folders);
        expect(result.counts.messages).toBe(e.messages);
      });
    }
  }
});
