import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeSig, pstCrc, pstCrcReference } from '../../../electron/pst/crc.ts';
import { mpbbI, mpbbR, mpbbS } from '../../../electron/pst/crypt-tables.ts';
import { cyclic, decodeBlock, encodeBlock } from '../../../electron/pst/crypt.ts';
import { FIXTURES } from '../../support/pst/fixtures.ts';

describe('[MS-PST] CRC', () => {
  it('zlib fast path equals the table loop (seed 0, no final XOR)', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 3000 }), (b) => pstCrc(b) === pstCrcReference(b)));
  });

  it('is not zlib.crc32 with its defaults', () => {
    const b = Buffer.from('123456789');
    expect(pstCrc(b)).not.toBe(0xcbf43926);
    expect(pstCrc(Buffer.alloc(0))).toBe(0);
  });

  it('reproduces the stored header CRCs of real files', () => {
    for (const f of ['aspose-Test_part1.pst', 'pstsdk-test_ansi.pst']) {
      const h = readFileSync(join(FIXTURES, f)).subarray(0, 564);
      expect(pstCrc(h.subarray(8, 8 + 471))).toBe(h.readUInt32LE(4));
    }
  });

  it('ComputeSig folds offset XOR bid to 16 bits', () => {
    expect(computeSig(0, 0)).toBe(0);
    expect(computeSig(0x12345678, 0)).toBe(0x1234 ^ 0x5678);
    expect(computeSig(0x100000000 + 0x10, 0x10)).toBe(0);
  });
});

describe('[MS-PST] 5.1/5.2 encodings', () => {
  it('mpbbI inverts mpbbR and mpbbS is its own inverse', () => {
    for (let i = 0; i < 256; i++) {
      expect(mpbbI[mpbbR[i]!]).toBe(i);
      expect(mpbbS[mpbbS[i]!]).toBe(i);
    }
  });

  it('permute and cyclic round-trip any block', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.integer({ min: 0, max: 0xffffffff }), (b, bid) => {
        for (const m of ['none', 'permute', 'cyclic'] as const) {
          expect(Buffer.compare(decodeBlock(encodeBlock(b, m, bid), m, bid), Buffer.from(b))).toBe(0);
        }
      }),
    );
  });

  it('cyclic is keyed by the BID (a block moved to another BID decodes to garbage)', () => {
    const data = Buffer.from('The quick brown fox jumps over the lazy dog');
    const enc = Buffer.from(data);
    cyclic(enc, 0x1234);
    const wrong = Buffer.from(enc);
    cyclic(wrong, 0x1238);
    expect(wrong.equals(data)).toBe(false);
    cyclic(enc, 0x1234);
    expect(enc.equals(data)).toBe(true);
  });

  it('permute decodes real data: the first block of a permute store holds a heap signature 0xEC', () => {
    // Every PC/TC block begins with an HNHDR whose byte 2 is 0xEC once decoded.
    expect(decodeBlock(Buffer.from([0x00, 0x00, mpbbR[0xec]!]), 'permute', 0)[2]).toBe(0xec);
  });
});
