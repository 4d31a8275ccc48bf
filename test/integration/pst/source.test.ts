import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PstSource } from '../../../electron/pst/source.ts';
import { FIXTURES } from '../../support/pst/fixtures.ts';

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

  it('refuses a directory with a clear error', async () => {
    await expect(PstSource.open(FIXTURES)).rejects.toThrow(/not a regular file/);
  });
});
