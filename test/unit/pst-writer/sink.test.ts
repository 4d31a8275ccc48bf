import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseHeap } from '../../../electron/pst/ltp.ts';
import { buildBth, buildBthFlat, CLIENT_SIG, HeapBuilder, reserveBthHeader } from '../../../electron/pst/writer/heap.ts';
import { NdbWriter } from '../../../electron/pst/writer/ndb.ts';

// The writer's fast paths against the plain ones: value sinks that share one block buffer (and pass whole blocks
// straight through) write exactly the bytes given, also when two sinks are open at once; a BTH built from one record
// buffer is byte for byte the BTH built from record objects.

const dir = mkdtempSync(join(tmpdir(), 'pst-sink-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function bytes(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + seed * 7) & 0xff;
  return b;
}

/** A sink's data blocks in order (its own list: the two sinks' blocks are interleaved in the file). */
function dataBids(sink: unknown): number[] {
  return (sink as { bids: number[] }).bids;
}

/** The data blocks of a sink's tree, read back from the written file (encoding none: stored as given). */
function readBack(w: NdbWriter, file: string, bids: number[]): Buffer {
  const f = readFileSync(file);
  return Buffer.concat(bids.map((bid) => {
    const at = w.locate(bid)!;
    return f.subarray(at.ib, at.ib + at.cb);
  }));
}

describe('DataSink', () => {
  it('writes the bytes given, piece by piece and whole blocks alike, with two sinks open at once', () => {
    const file = join(dir, 'two.pst');
    const w = new NdbWriter(file, { format: 'unicode', encoding: 'none', ost: false }, 1);
    const max = w.g.blockDataMax;
    const a = w.sink();
    const b = w.sink();
    const va = bytes(3 * max + 100, 1);
    const vb = bytes(2 * max + 7, 2);
    // a: a piece, then a run larger than a block (pending filled, then whole blocks straight through), then the rest.
    a.write(va.subarray(0, 50));
    b.write(vb.subarray(0, max));
    a.write(va.subarray(50, 50 + 2 * max));
    b.write(vb.subarray(max));
    a.write(va.subarray(50 + 2 * max));
    a.end();
    b.end();
    w.finish();
    expect(readBack(w, file, dataBids(a)).equals(va)).toBe(true);
    expect(readBack(w, file, dataBids(b)).equals(vb)).toBe(true);
  });

  it('a sink after an abandoned one writes its own bytes', () => {
    const file = join(dir, 'abandoned.pst');
    const w = new NdbWriter(file, { format: 'unicode', encoding: 'none', ost: false }, 1);
    const sp = w.savepoint();
    const gone = w.sink();
    gone.write(bytes(100, 3));
    gone.done();
    w.rollback(sp);
    const s = w.sink();
    const v = bytes(w.g.blockDataMax + 1, 4);
    s.write(v);
    s.end();
    w.finish();
    expect(readBack(w, file, dataBids(s)).equals(v)).toBe(true);
  });
});

describe('a block copied with its known CRC', () => {
  it('carries the CRC given when the bytes go to disk as given, and computes its own otherwise', async () => {
    const { pstCrc } = await import('../../../electron/pst/crc.ts');
    const file = join(dir, 'crc.pst');
    const w = new NdbWriter(file, { format: 'unicode', encoding: 'permute', ost: false }, 1);
    const max = w.g.blockDataMax;
    const block = bytes(max, 5);
    const crc = pstCrc(block);
    // Pre-encoded (a copy between two permute stores): the bytes are stored as given, so their CRC is the one given.
    const encoded = w.sink(true);
    encoded.write(block, crc);
    encoded.end();
    // Not pre-encoded: the writer encodes the bytes, so a CRC given for the plain bytes must not be used.
    const plain = w.sink(false);
    plain.write(block, crc);
    plain.end();
    w.finish();
    const f = readFileSync(file);
    const stored = (bid: number) => {
      const at = w.locate(bid)!;
      const trailer = at.ib + at.span - 16;
      return { data: f.subarray(at.ib, at.ib + at.cb), crc: f.readUInt32LE(trailer + 4) };
    };
    const a = stored(dataBids(encoded)[0]!);
    expect(a.data.equals(block)).toBe(true);
    expect(a.crc).toBe(crc);
    const b = stored(dataBids(plain)[0]!);
    expect(b.data.equals(block)).toBe(false);
    expect(b.crc).toBe(pstCrc(b.data));
  });
});

describe('buildBthFlat', () => {
  it('builds the same heap as buildBth from the same sorted records (property test)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2000 }), fc.constantFrom([2, 6], [4, 4], [4, 2]), (n, [cbKey, cbEnt]) => {
        const records = Array.from({ length: n }, (_, i) => {
          const key = Buffer.alloc(cbKey);
          if (cbKey === 2) key.writeUInt16LE(i);
          else key.writeUInt32LE(i * 3);
          return { key, data: Buffer.alloc(cbEnt, i & 0xff) };
        });
        const flat = Buffer.concat(records.map((r) => Buffer.concat([r.key, r.data])));
        const a = new HeapBuilder(CLIENT_SIG.PC, 8176);
        a.setRoot(buildBth(a, cbKey, cbEnt, records, reserveBthHeader(a)));
        const b = new HeapBuilder(CLIENT_SIG.PC, 8176);
        b.setRoot(buildBthFlat(b, cbKey, cbEnt, flat, reserveBthHeader(b)));
        const pa = a.build();
        const pb = b.build();
        expect(pb.length).toBe(pa.length);
        pa.forEach((p, i) => expect(pb[i]!.equals(p)).toBe(true));
        expect(parseHeap(pb).userRoot).toBe(parseHeap(pa).userRoot);
      }),
      { numRuns: 60 },
    );
  });
});
