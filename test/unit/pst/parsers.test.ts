import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkBlock, parseInternalBlock } from '../../../electron/pst/block.ts';
import { parseHeader } from '../../../electron/pst/header.ts';
import { ANSI, UNICODE } from '../../../electron/pst/layout.ts';
import { bthRecords, Heap, LtpError, parseHeap, propertyContext, tableInfo, tableRows } from '../../../electron/pst/ltp.ts';
import { btPageHeader, checkPageTrailer, PTYPE } from '../../../electron/pst/page.ts';
import { cleanSubject, decodeValue, filetime } from '../../../electron/pst/props.ts';
import { FIXTURES } from '../../support/pst/fixtures.ts';

const head = (f: string) => readFileSync(join(FIXTURES, f)).subarray(0, 564);

describe('header', () => {
  it('parses a Unicode PST, an ANSI PST and the OST', () => {
    const u = parseHeader(head('aspose-Test_part1.pst'));
    const a = parseHeader(head('gopst-32-bit.pst'));
    const o = parseHeader(head('aspose-SampleOstFile.ost'));
    if (!u.ok || !a.ok || !o.ok) throw new Error('fixture header not parsed');
    expect(u.header.layout.format).toBe('unicode');
    expect(u.header.ibFileEof).toBe(2302976);
    expect(u.header.nbt).toEqual({ bid: 4996, ib: 28672 });
    expect(u.header.crcFull?.stored).toBe(u.header.crcFull?.computed);
    expect(a.header.layout.format).toBe('ansi');
    expect(a.header.crcFull).toBeNull();
    expect(a.header.fAMapValid).toBe(1);
    expect(a.header.ibFileEof).toBe(65536);
    expect(o.header.kind).toBe('ost');
    expect(o.header.crypt).toBe('permute');
  });

  it('rejects foreign and short input with a reason, never an exception', () => {
    expect(parseHeader(Buffer.from('PK\x03\x04'.padEnd(600, 'x')))).toMatchObject({ ok: false, reason: expect.stringMatching(/magic/) });
    expect(parseHeader(Buffer.alloc(10))).toMatchObject({ ok: false, reason: expect.stringMatching(/shorter/) });
    const b = Buffer.from(head('aspose-Test_part1.pst'));
    b.writeUInt16LE(99, 10);
    expect(parseHeader(b)).toMatchObject({ ok: false, reason: expect.stringMatching(/wVer=99/) });
    fc.assert(fc.property(fc.uint8Array({ minLength: 0, maxLength: 700 }), (x) => typeof parseHeader(Buffer.from(x)).ok === 'boolean'));
  });
});

describe('pages and blocks', () => {
  it('accepts a real NBT root page and names each defect of a damaged one', () => {
    const file = readFileSync(join(FIXTURES, 'aspose-Test_part1.pst'));
    const page = Buffer.from(file.subarray(28672, 28672 + 512));
    expect(checkPageTrailer(page, UNICODE, 28672, PTYPE.NBT, 4996)).toEqual([]);
    expect(btPageHeader(page, UNICODE).cbEnt).toBe(page[490]);
    page[10] ^= 1;
    expect(checkPageTrailer(page, UNICODE, 28672, PTYPE.NBT, 4996).join()).toMatch(/CRC mismatch/);
    expect(checkPageTrailer(page, UNICODE, 28672, PTYPE.NBT, 1).join()).toMatch(/parent points to BID 0x1/);
    expect(checkPageTrailer(page, UNICODE, 28672 + 512, PTYPE.NBT, 4996).join()).toMatch(/signature/);
    expect(checkPageTrailer(page.subarray(0, 100), UNICODE, 0, PTYPE.NBT, 1).join()).toMatch(/cut off/);
  });

  it('internal-block parser bounds every count by the bytes present', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (x) => {
        for (const l of [ANSI, UNICODE]) {
          const r = parseInternalBlock(Buffer.from(x), l);
          if (r.kind === 'x') expect(r.x.bids.length * l.id).toBeLessThanOrEqual(x.length);
          if (r.kind === 'sl') expect(r.entries.length * 3 * l.id).toBeLessThanOrEqual(x.length);
        }
      }),
    );
    const x = Buffer.alloc(16);
    x.writeUInt8(1, 0);
    x.writeUInt8(1, 1);
    x.writeUInt16LE(1000, 2);
    expect(parseInternalBlock(x, UNICODE)).toMatchObject({ kind: 'bad', reason: expect.stringMatching(/claims 1000 entries/) });
  });

  it('a short block is reported as cut off', () => {
    expect(checkBlock(Buffer.alloc(20), UNICODE, 0x4400, 4, 100).join()).toMatch(/cut off/);
  });
});

describe('LTP (heap, BTH, PC, TC)', () => {
  function heapBlock(items: Buffer[], clientSig = 0xbc, userRoot = 0x20): Buffer {
    // HNHDR (12 bytes), allocations, then the page map.
    const body = Buffer.concat([Buffer.alloc(12), ...items]);
    const map = Buffer.alloc(4 + (items.length + 1) * 2);
    map.writeUInt16LE(items.length, 0);
    let off = 12;
    map.writeUInt16LE(off, 4);
    items.forEach((it, i) => {
      off += it.length;
      map.writeUInt16LE(off, 6 + i * 2);
    });
    const b = Buffer.concat([body, map]);
    b.writeUInt16LE(body.length, 0);
    b[2] = 0xec;
    b[3] = clientSig;
    b.writeUInt32LE(userRoot, 4);
    return b;
  }

  it('reads a property context with inline, heap and subnode values', () => {
    const bthHeader = Buffer.from([0xb5, 2, 6, 0, 0x40, 0, 0, 0]); // hidRoot = index 2
    const rec = Buffer.alloc(16);
    rec.writeUInt16LE(0x0037, 0); // subject → heap 0x60
    rec.writeUInt16LE(0x001f, 2);
    rec.writeUInt32LE(0x60, 4);
    rec.writeUInt16LE(0x0e08, 8); // size, inline int32
    rec.writeUInt16LE(0x0003, 10);
    rec.writeUInt32LE(1234, 12);
    const subject = Buffer.from('\u0001\u0004RE: hello', 'utf16le');
    const heap = parseHeap([heapBlock([bthHeader, Buffer.concat([rec.subarray(0, 8), rec.subarray(8, 16)]), subject])]);
    const pc = propertyContext(heap);
    const s = pc.get(0x0037)!;
    expect(s.ref).toEqual({ kind: 'hid', hid: 0x60 });
    if (s.ref.kind !== 'hid') throw new Error('unreachable');
    expect(cleanSubject(decodeValue(0x001f, heap.get(s.ref.hid)) as string)).toBe('RE: hello');
    expect(pc.get(0x0e08)?.ref).toEqual({ kind: 'inline', bytes: expect.any(Buffer) });
  });

  it('a property context answers by id, also when a damaged BTH repeats or disorders keys (the last one wins)', () => {
    const bthHeader = Buffer.from([0xb5, 2, 6, 0, 0x40, 0, 0, 0]);
    const record = (id: number, value: number) => {
      const r = Buffer.alloc(8);
      r.writeUInt16LE(id, 0);
      r.writeUInt16LE(0x0003, 2); // PT_LONG, inline
      r.writeUInt32LE(value, 4);
      return r;
    };
    const pcOf = (records: Buffer[]) => propertyContext(parseHeap([heapBlock([bthHeader, Buffer.concat(records)])]));
    const value = (e: ReturnType<ReturnType<typeof pcOf>['get']>) => (e?.ref.kind === 'inline' ? e.ref.bytes.readUInt32LE(0) : null);
    const ordered = pcOf([0x0e08, 0x0e17, 0x3007, 0x3ff1].map((id, i) => record(id, 100 + i)));
    expect([0x0e08, 0x0e17, 0x3007, 0x3ff1].map((id) => value(ordered.get(id)))).toEqual([100, 101, 102, 103]);
    expect(ordered.get(0x0037)).toBeUndefined();
    expect(ordered.get(0xffff)).toBeUndefined();
    const damaged = pcOf([record(0x3007, 1), record(0x0e08, 2), record(0x3007, 3)]);
    expect([value(damaged.get(0x3007)), value(damaged.get(0x0e08)), damaged.get(0x0037)]).toEqual([3, 2, undefined]);
  });

  it('reports bad heap IDs, signatures and BTH loops as LtpError, never a crash', () => {
    const h = new Heap([heapBlock([Buffer.alloc(4)])], 0xbc, 0x20);
    expect(() => h.get(0x20 * 9)).toThrow(LtpError);
    expect(() => h.get(0x21)).toThrow(/not a heap ID/);
    expect(() => h.get(0x10020)).toThrow(/block 1/);
    expect(() => parseHeap([Buffer.alloc(20)])).toThrow(/signature/);
    expect(() => bthRecords(new Heap([heapBlock([Buffer.from([0xb5, 2, 6, 9, 0x20, 0, 0, 0])])], 0xbc, 0x20), 0x20)).toThrow(/levels/);
    // A one-level BTH whose index lists the same leaf twice.
    const index = Buffer.alloc(12);
    index.writeUInt32LE(0x60, 2);
    index.writeUInt32LE(0x60, 8);
    const loop = new Heap([heapBlock([Buffer.from([0xb5, 2, 6, 1, 0x40, 0, 0, 0]), index, Buffer.alloc(8)])], 0xbc, 0x20);
    expect(() => bthRecords(loop, 0x20)).toThrow(/referenced twice/);
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 12, maxLength: 400 }), (x) => {
        const b = Buffer.from(x);
        b[2] = 0xec;
        for (const sig of [0xbc, 0x7c]) {
          b[3] = sig;
          try {
            const heap = parseHeap([b]);
            if (sig === 0xbc) propertyContext(heap);
            else tableRows(tableInfo(heap, false), [b]);
          } catch (e) {
            if (!(e instanceof LtpError)) throw e;
          }
        }
      }),
    );
  });

  it('decodes FILETIMEs and strings', () => {
    const t = Buffer.alloc(8);
    const ft = (BigInt(Date.UTC(2024, 2, 12)) + 11_644_473_600_000n) * 10_000n;
    t.writeBigUInt64LE(ft);
    expect(filetime(t)?.toISOString()).toBe('2024-03-12T00:00:00.000Z');
    expect(filetime(Buffer.alloc(8))).toBeNull();
    expect(decodeValue(0x001e, Buffer.from([0x63, 0x61, 0x66, 0xe9, 0]))).toBe('café');
  });
});
