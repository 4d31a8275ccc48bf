import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bthRecords, parseHeap } from '../../../electron/pst/ltp.ts';
import { buildBth, CLIENT_SIG, HeapBuilder, HN_MAX_ALLOC, reserveBthHeader } from '../../../electron/pst/writer/heap.ts';

// The writer's heap-on-node and BTH output, read back with the scanner's LTP parser (electron/pst/ltp.ts), which
// was written independently from [MS-PST] and is tested on the real fixtures.

const PAGE = 8176;

function key4(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
}

describe('HeapBuilder', () => {
  it('round-trips thousands of allocations across many heap pages (including HNBITMAPHDR pages 8 and 136)', () => {
    const heap = new HeapBuilder(CLIENT_SIG.PC, PAGE);
    const header = reserveBthHeader(heap);
    const values = Array.from({ length: 20_000 }, (_, i) => Buffer.from(`value ${i} `.repeat(1 + (i % 9))));
    const hids = values.map((v) => heap.alloc(v));
    heap.setRoot(buildBth(heap, 2, 6, [], header));
    const pages = heap.build();
    expect(pages.length).toBeGreaterThan(136);
    for (const p of pages) expect(p.length).toBeLessThanOrEqual(PAGE);
    const parsed = parseHeap(pages);
    expect(parsed.clientSig).toBe(0xbc);
    expect(parsed.userRoot).toBe(0x20);
    hids.forEach((hid, i) => expect(parsed.get(hid).equals(values[i]!)).toBe(true));
  }, 60_000);

  it('round-trips any mix of allocation sizes (property test)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: HN_MAX_ALLOC }), { minLength: 1, maxLength: 60 }), (sizes) => {
        const heap = new HeapBuilder(CLIENT_SIG.TC, PAGE);
        const values = sizes.map((n, i) => Buffer.alloc(n, i & 0xff));
        const hids = values.map((v) => heap.alloc(v));
        const parsed = parseHeap(heap.build());
        hids.forEach((hid, i) => expect(parsed.get(hid).equals(values[i]!)).toBe(true));
      }),
      { numRuns: 200 },
    );
  });

  it('refuses allocations a heap cannot hold', () => {
    const heap = new HeapBuilder(CLIENT_SIG.PC, PAGE);
    expect(() => heap.alloc(Buffer.alloc(HN_MAX_ALLOC + 1))).toThrow(/3581 bytes/);
  });

  it('holds an empty allocation (an empty string or binary value) that reads back empty', () => {
    const heap = new HeapBuilder(CLIENT_SIG.PC, PAGE);
    const header = reserveBthHeader(heap);
    const empty = heap.alloc(Buffer.alloc(0));
    const after = heap.alloc(Buffer.from('next'));
    heap.setRoot(buildBth(heap, 2, 6, [], header));
    const parsed = parseHeap(heap.build());
    expect(parsed.get(empty).length).toBe(0);
    expect(parsed.get(after).toString()).toBe('next');
  });
});

describe('buildBth', () => {
  it('writes a one-level BTH whose header is the first allocation (HID 0x20)', () => {
    const heap = new HeapBuilder(CLIENT_SIG.PC, PAGE);
    const records = [3, 1, 2].sort().map((n) => ({ key: Buffer.from([n, 0]), data: Buffer.alloc(6, n) }));
    const hid = buildBth(heap, 2, 6, records);
    heap.setRoot(hid);
    expect(hid).toBe(0x20);
    const bth = bthRecords(parseHeap(heap.build()), hid);
    expect([bth.cbKey, bth.cbEnt]).toEqual([2, 6]);
    expect(bth.records.map((r) => r.key[0])).toEqual([1, 2, 3]);
  });

  it('adds index levels when the records outgrow one allocation, keeping every record in key order', () => {
    const heap = new HeapBuilder(CLIENT_SIG.TC, PAGE);
    const n = 210_000; // 8-byte records: 447 per leaf → 470 leaves → 2 index allocations → a root: two index levels
    const records = Array.from({ length: n }, (_, i) => ({ key: key4(i * 3), data: key4(i) }));
    const hid = buildBth(heap, 4, 4, records);
    const pages = heap.build();
    const parsed = parseHeap(pages);
    expect(parsed.get(hid)[3]).toBe(2); // bIdxLevels
    const bth = bthRecords(parsed, hid);
    expect(bth.records).toHaveLength(n);
    bth.records.forEach((r, i) => {
      expect(r.key.readUInt32LE(0)).toBe(i * 3);
      expect(r.data.readUInt32LE(0)).toBe(i);
    });
  }, 60_000);

  it('writes an empty BTH with hidRoot 0', () => {
    const heap = new HeapBuilder(CLIENT_SIG.TC, PAGE);
    const hid = buildBth(heap, 4, 2, []);
    expect(bthRecords(parseHeap(heap.build()), hid).records).toEqual([]);
  });
});
