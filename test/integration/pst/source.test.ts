import { readFile } from 'node:fs/promises';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PstSource } from '../../../electron/pst/source.ts';
import { FIXTURES } from '../../support/pst/fixtures.ts';
import { writePst } from '../../support/pst-writer/synth.ts';

// The positional reader on a real file: cached, windowed and direct reads all return exactly the file's bytes.

describe('PstSource', () => {
  it('read and view agree with the file for any offset and length, including past the end', async () => {
    const path = join(FIXTURES, 'aspose-SampleOstFile.ost');
    const whole = await readFile(path);
    const src = await PstSource.open(path);
    try {
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: -10, max: whole.length + 10 }), fc.integer({ min: 0, max: 3_000_000 }), async (pos, len) => {
          const want = pos < 0 || len <= 0 ? Buffer.alloc(0) : whole.subarray(pos, pos + len);
          expect((await src.read(pos, len)).equals(want)).toBe(true);
          expect((await src.view(pos, len)).equals(want)).toBe(true);
        }),
        { numRuns: 300 },
      );
    } finally {
      await src.close();
    }
  });

  it('on a store larger than the read-ahead window, a forward walk with jumps sees the bytes on disk (double buffering)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pst-source-'));
    const path = join(dir, 'big.pst');
    writePst(path, { format: 'unicode', encoding: 'none', ost: false, folders: 2, messages: 100, attachmentKb: { min: 120, max: 160 }, attachmentsPerMessage: { min: 1, max: 1 }, seed: 3 });
    const whole = await readFile(path);
    expect(whole.length).toBeGreaterThan(3 * 4 * 1024 * 1024);
    const src = await PstSource.open(path);
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(fc.tuple(fc.integer({ min: 0, max: 3_000_000 }), fc.integer({ min: 1, max: 70_000 }), fc.boolean()), { minLength: 5, maxLength: 60 }), async (steps) => {
          let pos = 0;
          for (const [advance, len, jumpBack] of steps) {
            pos = jumpBack ? Math.max(0, pos - advance) : Math.min(whole.length + 10, pos + advance);
            const want = whole.subarray(pos, pos + len);
            expect((await src.view(pos, len)).equals(want)).toBe(true);
            expect((await src.read(pos, len)).equals(want)).toBe(true);
          }
        }),
        { numRuns: 40 },
      );
    } finally {
      await src.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a directory with a clear error', async () => {
    await expect(PstSource.open(FIXTURES)).rejects.toThrow(/not a regular file/);
  });
});
