import { deflateRawSync, deflateSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blockPayload, declaredSize } from '../../../electron/pst/inflate.ts';
import { blockSpan, UNICODE, UNICODE4K, type Layout } from '../../../electron/pst/layout.ts';

/** A block allocation holding `stored`, with `size` in the inflated-size field of a 4K trailer (+18). */
function alloc(stored: Buffer, size: number, l: Layout = UNICODE4K): Buffer {
  const b = Buffer.alloc(blockSpan(l, stored.length));
  stored.copy(b);
  if (l.blockTrailer === 24) b.writeUInt16LE(size, b.length - 24 + 18);
  else b.fill(0xff, b.length - l.blockTrailer); // a 16-byte trailer has no such field, whatever it holds
  return b;
}

const text = Buffer.from('Subject: quarterly report\r\n'.repeat(40));

describe('compressed 4K blocks', () => {
  it('takes the stored bytes as they are when the trailer declares cb, 0, or the layout is not 4K', () => {
    for (const [a, l] of [[alloc(text, text.length), UNICODE4K], [alloc(text, 0), UNICODE4K], [alloc(text, 0, UNICODE), UNICODE]] as const) {
      expect(declaredSize(a, l, text.length)).toBeNull();
      const p = blockPayload(a, l, text.length);
      expect(p.defect).toBeNull();
      expect(p.data?.equals(text)).toBe(true);
      expect(p.data?.buffer).toBe(a.buffer); // no copy
    }
  });

  it('inflates zlib and raw deflate streams to exactly the declared size', () => {
    for (const z of [deflateSync(text), deflateRawSync(text)]) {
      const p = blockPayload(alloc(z, text.length), UNICODE4K, z.length);
      expect(p.defect).toBeNull();
      expect(p.data?.equals(text)).toBe(true);
    }
  });

  it('reports a declared size that is too small, too large, and a stream that is cut or garbled', () => {
    const z = deflateSync(text);
    const cut = z.subarray(0, z.length - 10);
    const garbled = Buffer.from(z);
    for (let i = 8; i < 24; i++) garbled[i]! ^= 0x5a;
    const cases: [Buffer, number, RegExp][] = [
      [z, text.length - 1, /more than the 1079 the trailer declares/],
      [z, text.length + 5, /give 1080, the trailer declares 1085/],
      [cut, text.length, /unexpected end of file/],
      [garbled, text.length, /compressed block does not inflate/],
    ];
    for (const [stored, size, why] of cases) {
      const p = blockPayload(alloc(stored, size), UNICODE4K, stored.length);
      expect(p.data).toBeNull();
      expect(p.defect).toMatch(/^compressed block does not inflate: /);
      expect(p.defect).toMatch(why);
    }
  });

  it('never throws and never returns more than the declared size, whatever the stored bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 600 }), fc.integer({ min: 1, max: 0xffff }), (bytes, size) => {
        const stored = Buffer.from(bytes);
        const p = blockPayload(alloc(stored, size), UNICODE4K, stored.length);
        if (p.data) expect(p.data.length).toBe(size === stored.length ? stored.length : size);
        else expect(p.defect).toMatch(/^compressed block does not inflate: /);
      }),
    );
  });
});
