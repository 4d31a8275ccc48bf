import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { f64, orderBy } from '../../../electron/pst/columns.ts';
import { BbtIndex, NbtIndex } from '../../../electron/pst/index.ts';
import { NumMap, SlOwnerMap } from '../../../electron/pst/nummap.ts';

// The typed-array structures that keep a multi-GB scan's memory bounded must behave exactly like the Maps and
// arrays they replaced.

describe('compact scan indexes', () => {
  it('NumMap behaves like Map<number, number> (get, has, overwrite in place, insertion order)', () => {
    const key = fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 2 ** 52 }).map((n) => n * 2));
    fc.assert(
      fc.property(fc.array(fc.tuple(key, fc.integer({ min: 0, max: 2 ** 40 })), { maxLength: 400 }), (ops) => {
        const ref = new Map<number, number>();
        const m = new NumMap();
        for (const [k, v] of ops) {
          ref.set(k, v);
          m.set(k, v);
        }
        expect(m.size).toBe(ref.size);
        expect([...m]).toEqual([...ref]);
        for (const [k] of ops) expect(m.get(k)).toBe(ref.get(k));
        if (ops.length > 0) expect(m.keyAt(0)).toBe(ops[0]![0]);
        expect(m.has(-1)).toBe(false);
        expect(m.get(301)).toBe(ref.get(301));
      }),
      { numRuns: 200 },
    );
  });

  it('NumMap holds 200 000 block links in typed arrays and finds every one', () => {
    const m = new NumMap();
    for (let i = 0; i < 200_000; i++) m.set(i * 4 + 0x10000, i);
    expect(m.size).toBe(200_000);
    for (let i = 0; i < 200_000; i += 997) expect(m.get(i * 4 + 0x10000)).toBe(i);
    expect(m.get(6)).toBeUndefined();
  });

  it('SlOwnerMap keeps both owner fields, and a later set replaces an earlier one', () => {
    const s = new SlOwnerMap();
    s.set(0x40, { subnid: 0x671, slBid: 0x12 });
    s.set(0x44, { subnid: 0x8025, slBid: 0x12 });
    s.set(0x40, { subnid: 0x692, slBid: 0x16 });
    expect(s.get(0x40)).toEqual({ subnid: 0x692, slBid: 0x16 });
    expect(s.get(0x48)).toBeUndefined();
    expect([...s].map(([b]) => b)).toEqual([0x40, 0x44]);
  });

  it('columns cross chunk boundaries, and orderBy is a stable sort of entry indexes', () => {
    const c = f64();
    for (let i = 0; i < 40_000; i++) c.push(2 ** 33 + i);
    expect([c.get(0), c.get(16_383), c.get(16_384), c.get(39_999)]).toEqual([2 ** 33, 2 ** 33 + 16_383, 2 ** 33 + 16_384, 2 ** 33 + 39_999]);
    expect([...orderBy(5, (i) => [3, 1, 3, 0, 1][i]!)]).toEqual([3, 1, 4, 0, 2]);
  });

  it('orderBy (packed fast path and comparator fallback) equals a stable reference sort for any keys', () => {
    const small = fc.integer({ min: 0, max: 2 ** 32 - 1 });
    const any = fc.oneof(small, fc.integer({ min: 0, max: 2 ** 52 }), fc.double({ min: -1e6, max: 1e6, noNaN: true }));
    fc.assert(
      fc.property(fc.oneof(fc.array(small, { maxLength: 3000 }), fc.array(any, { maxLength: 300 })), (keys) => {
        const want = keys.map((k, i) => [k, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(([, i]) => i);
        expect([...orderBy(keys.length, (i) => keys[i]!)]).toEqual(want);
      }),
      { numRuns: 200 },
    );
  });

  it('BBT index: costs ~20 bytes per entry, sorts damaged order, keeps the first duplicate, orders by offset', () => {
    const b = new BbtIndex();
    const n = 100_000;
    for (let i = 0; i < n; i++) b.add({ bid: (n - i) * 4, ib: 0x4400 + i * 512, cb: 500, cRef: 2 });
    b.add({ bid: 8, ib: 0x1234, cb: 7, cRef: 1 }); // duplicate of an earlier BID: the first one stays
    b.finish();
    expect(b.size).toBe(n);
    expect(b.find(8)).toEqual({ bid: 8, ib: 0x4400 + (n - 2) * 512, cb: 500, cRef: 2 });
    expect(b.find(9)).toEqual(b.find(8)); // the reserved low bit is ignored
    expect(b.indexOf(6)).toBe(-1);
    expect(b.bytes).toBeLessThanOrEqual(20 * (n + 16_384));
    const byOff = b.byOffset();
    for (let i = 1; i < byOff.length; i++) expect(b.ibAt(byOff[i]!)).toBeGreaterThan(b.ibAt(byOff[i - 1]!));
  });

  it('NBT index: sorted lookups with 32-bit NIDs', () => {
    const t = new NbtIndex();
    for (const nid of [0x2223, 0x21, 0xfffffff4, 0x122]) t.add({ nid, bidData: nid * 2 ** 20, bidSub: 0, nidParent: 0x122 });
    t.finish();
    expect([...t.entries()].map((e) => e.nid)).toEqual([0x21, 0x122, 0x2223, 0xfffffff4]);
    expect(t.find(0xfffffff4)?.bidData).toBe(0xfffffff4 * 2 ** 20);
    expect(t.find(0x42)).toBeNull();
  });
});
