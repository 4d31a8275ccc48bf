import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { longestFreeRun } from '../../../electron/pst/writer/maps.ts';

// The AMap free-space summary (ROOT.cbAMapFree, the FMap entries) counted a byte at a time must equal the count bit by
// bit: every clear bit is a free 64-byte unit, and the longest run of clear bits may cross byte boundaries.

function bitByBit(bits: Uint8Array): { free: number; longest: number } {
  let free = 0;
  let run = 0;
  let longest = 0;
  for (let u = 0; u < bits.length * 8; u++) {
    if ((bits[u >>> 3]! & (0x80 >>> (u & 7))) === 0) {
      free++;
      longest = Math.max(longest, ++run);
    } else run = 0;
  }
  return { free, longest };
}

describe('longestFreeRun', () => {
  it('counts like the bit-by-bit rule on any bitmap, including runs across whole free bytes (property test)', () => {
    const byte = fc.oneof(fc.constant(0x00), fc.constant(0xff), fc.integer({ min: 0, max: 255 }));
    fc.assert(
      fc.property(fc.array(byte, { maxLength: 496 }), (arr) => {
        const bits = Uint8Array.from(arr);
        expect(longestFreeRun(bits)).toEqual(bitByBit(bits));
      }),
      { numRuns: 500 },
    );
  });

  it('a run that starts in a partial byte and goes on through free bytes is one run', () => {
    // 0xF0: the last 4 units free; then 16 free units; then 0x7F: 1 free unit, then full.
    expect(longestFreeRun(Uint8Array.from([0xf0, 0x00, 0x00, 0x7f, 0xff]))).toEqual({ free: 21, longest: 21 });
    expect(longestFreeRun(new Uint8Array(496))).toEqual({ free: 3968, longest: 3968 });
    expect(longestFreeRun(new Uint8Array(496).fill(0xff))).toEqual({ free: 0, longest: 0 });
  });
});
