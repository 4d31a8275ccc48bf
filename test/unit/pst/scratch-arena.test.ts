import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PstSource, ScratchArena } from '../../../electron/pst/source.ts';

// Reads into the scratch region return the file's bytes like fresh reads do; what does not fit any more gets a fresh
// buffer; after reset() the region is handed out again from its start.

const dir = mkdtempSync(join(tmpdir(), 'pst-scratch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ScratchArena', () => {
  it('serves reads from one region until it is full, then fresh buffers, and again from the start after reset()', async () => {
    // Larger than the source's first window (4 MiB), so reads past it go through the chunk cache and direct reads.
    const file = join(dir, 'data.bin');
    const data = Buffer.alloc(6 << 20);
    for (let i = 0; i < data.length; i++) data[i] = (i * 131 + (i >>> 11)) & 0xff;
    writeFileSync(file, data);
    const src = await PstSource.open(file);
    try {
      const arena = new ScratchArena(16 * 1024);
      const a = await src.read(5_000_000, 8192, arena);
      const b = await src.read(5_200_000, 5000, arena);
      const c = await src.read(5_500_000, 8192, arena); // does not fit: a fresh buffer
      const big = await src.read(5 << 20, 100_000, arena); // a direct read, also fresh
      expect(a.equals(data.subarray(5_000_000, 5_008_192))).toBe(true);
      expect(b.equals(data.subarray(5_200_000, 5_205_000))).toBe(true);
      expect(c.equals(data.subarray(5_500_000, 5_508_192))).toBe(true);
      expect(big.equals(data.subarray(5 << 20, (5 << 20) + 100_000))).toBe(true);
      expect(a.buffer).toBe(b.buffer);
      expect(c.buffer).not.toBe(a.buffer);
      expect(big.buffer).not.toBe(a.buffer);
      arena.reset();
      const d = await src.read(4_300_000, 100, arena);
      expect(d.equals(data.subarray(4_300_000, 4_300_100))).toBe(true);
      expect(d.buffer).toBe(a.buffer);
      expect(d.byteOffset).toBe(a.byteOffset);
    } finally {
      await src.close();
    }
  });
});
