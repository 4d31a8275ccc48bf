import { closeSync, constants, copyFileSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DLIST_OFFSET } from '../../../electron/pst/layout.ts';
import { writeMaps } from '../../../electron/pst/writer/maps.ts';
import { NdbWriter } from '../../../electron/pst/writer/ndb.ts';
import { StoreFile } from '../../../electron/pst/writer/store-file.ts';

// A durable store's blocks go to the disk with direct I/O where the file system takes it (aligned windows, the bytes
// before a window's first block read back from the file). The file must be byte for byte what ordinary writes give:
// across window flushes, a rollback to a point before the current window, and the maps and header written at the end.

const dir = mkdtempSync(join(tmpdir(), 'pst-store-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Whether this folder's file system opens files with O_DIRECT (Linux ext4/xfs/btrfs/tmpfs ≥ 6.6 do; others not). */
function takesDirectIo(folder: string): boolean {
  if (!constants.O_DIRECT) return false;
  const probe = join(folder, 'probe');
  closeSync(openSync(probe, 'w'));
  try {
    closeSync(openSync(probe, constants.O_WRONLY | constants.O_DIRECT));
    return true;
  } catch {
    return false;
  } finally {
    rmSync(probe);
  }
}

function bytes(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (i * 131 + seed * 17 + (i >> 9)) & 0xff;
  return b;
}

/**
 * ~13 MiB of blocks of varying sizes (several 4 MiB windows), a rollback of ~5 MiB (back into an earlier window),
 * then more blocks of other sizes at the rolled-back places: the same calls for both writers. Blocks are stored as
 * given (no encoding), so each can be checked against its data; windows are reused without being cleared, so every
 * byte of padding must still come out zero (the rolled-back blocks must not show through).
 */
function writeStore(file: string, durable: boolean, format: 'ansi' | 'unicode' | 'unicode4k' = 'unicode'): { direct: boolean; bytes: number; blocks: Map<number, Buffer>; w: NdbWriter } {
  const w = new NdbWriter(file, { format, encoding: 'none', ost: false }, 7, { durable, exclusive: true });
  const direct = (w as unknown as { file: StoreFile }).file.direct;
  const max = w.g.blockDataMax;
  const blocks = new Map<number, Buffer>();
  let seed = 1;
  const write = (total: number, keep: boolean) => {
    for (let done = 0; done < total; ) {
      const data = bytes(1 + ((seed * 7919) % max), seed++);
      const bid = w.putDataBlock(data);
      if (keep) blocks.set(bid, data);
      done += data.length;
    }
  };
  write(6 << 20, true);
  const sp = w.savepoint();
  seed += 1000;
  write(5 << 20, false);
  w.rollback(sp);
  write(7 << 20, true);
  const stats = w.finish();
  return { direct, bytes: stats.fileBytes, blocks, w };
}

/**
 * Sends `data` to be written at `pos` through the window being filled, and records it in `want`. The caller of submit()
 * writes every byte it sends: its data, then zeros up to the next aligned boundary.
 */
function writer(f: StoreFile, first: Buffer, want: Buffer): (pos: number, data: Buffer) => void {
  let buf = first;
  return (pos, data) => {
    buf.fill(0);
    data.copy(buf);
    buf = f.submit(buf, data.length, pos);
    data.copy(want, pos);
  };
}

describe('StoreFile', () => {
  it('a durable writer (direct I/O where the file system takes it) writes the same bytes as an ordinary one', () => {
    const plain = writeStore(join(dir, 'plain.pst'), false);
    const durable = writeStore(join(dir, 'durable.pst'), true);
    expect(plain.direct).toBe(false);
    // On a file system that takes O_DIRECT the durable writer must have used it (else this test proves nothing new).
    expect(durable.direct).toBe(takesDirectIo(dir));
    expect(statSync(join(dir, 'durable.pst')).size).toBe(durable.bytes);
    const file = readFileSync(join(dir, 'durable.pst'));
    expect(file.equals(readFileSync(join(dir, 'plain.pst')))).toBe(true);
    // Each block holds its data, then zeros up to its trailer, which names its size and id.
    const trailer = 16;
    let checked = 0;
    for (const [bid, data] of durable.blocks) {
      const at = durable.w.locate(bid)!;
      expect(file.subarray(at.ib, at.ib + at.cb).equals(data)).toBe(true);
      expect(file.subarray(at.ib + at.cb, at.ib + at.span - trailer).every((b) => b === 0)).toBe(true);
      expect(file.readUInt16LE(at.ib + at.span - trailer)).toBe(data.length);
      expect(Number(file.readBigUInt64LE(at.ib + at.span - 8))).toBe(bid);
      checked++;
    }
    expect(checked).toBeGreaterThan(2000);
  });

  // Map pages go out with their region's blocks; a region allocated in again later (a rollback reaching back into
  // it, or a 4K region larger than a window) has them written again at the end. The oracle: every map page written
  // afresh at the end from the final bitmaps, as a writer without that shortcut does, changes no byte of the file.
  it.each(['unicode', 'unicode4k', 'ansi'] as const)('the %s map pages in the file are those the final allocation bitmaps give', (format) => {
    const file = join(dir, `maps-${format}.pst`);
    const { w } = writeStore(file, true, format);
    const l = w.g.layout;
    const amaps = (w as unknown as { amaps: Uint8Array[] }).amaps;
    expect(amaps.length).toBeGreaterThan(format === 'unicode4k' ? 0 : 40);
    const again = join(dir, `maps-${format}-again.pst`);
    copyFileSync(file, again);
    const fd = openSync(again, 'r+');
    const dlistBid = format === 'unicode' ? Number(readFileSync(file).readBigUInt64LE(DLIST_OFFSET + l.pageBidOff)) : 0;
    writeMaps(fd, l, amaps, dlistBid, false, () => false);
    closeSync(fd);
    const got = readFileSync(file);
    const want = readFileSync(again);
    expect(got.length).toBe(want.length);
    // The first byte that differs, if any (-1: none).
    expect(got.findIndex((b, i) => b !== want[i])).toBe(-1);
  });

  it('windows go out at aligned offsets with any length, and reads see what the file holds (zeros past its end)', () => {
    const file = join(dir, 'bulk.bin');
    const f = StoreFile.open(file, { exclusive: true, direct: true });
    const want = Buffer.alloc(3 * 8192 + 100);
    const put = writer(f, f.bulkBuffer(64 * 1024), want);
    expect(f.direct).toBe(takesDirectIo(dir));
    put(0, bytes(5000, 1));
    put(8192, bytes(8192, 2));
    // A window that goes on mid-block: with direct I/O it starts on the boundary, holding the file's bytes before.
    const at = 16384 + 300 - ((16384 + 300) % f.align);
    const head = Buffer.alloc(16384 + 300 - at);
    f.readAt(head, head.length, at);
    expect(head.equals(want.subarray(at, 16384 + 300))).toBe(true);
    put(at, Buffer.concat([head, bytes(8192 - 300 + 100, 3)]));
    const back = Buffer.alloc(want.length + 50);
    f.readAt(back, back.length, 0);
    f.close();
    expect(back.subarray(0, want.length).equals(want)).toBe(true);
    expect(back.subarray(want.length).every((b) => b === 0)).toBe(true);
    expect(readFileSync(file).subarray(0, want.length).equals(want)).toBe(true);
  });

  it('a direct write the kernel refuses (an unaligned offset) is written again the ordinary way, as is all after it', () => {
    const file = join(dir, 'refused.bin');
    const f = StoreFile.open(file, { exclusive: true, direct: true });
    const want = Buffer.alloc(40_000);
    const put = writer(f, f.bulkBuffer(64 * 1024), want);
    const wasDirect = f.direct;
    put(0, bytes(10_000, 4));
    put(12_345, bytes(3000, 5));
    put(16_384, bytes(5000, 6));
    put(24_576, bytes(7000, 7));
    f.drain();
    // Direct I/O is given up after the refusal (it was on where the file system takes it).
    expect(wasDirect).toBe(takesDirectIo(dir));
    expect(f.direct).toBe(false);
    const back = Buffer.alloc(want.length);
    f.readAt(back, back.length, 0);
    f.close();
    // The first byte that differs, if any (-1: none).
    expect(back.findIndex((b, i) => b !== want[i])).toBe(-1);
  });

  it('without direct I/O asked for, writes are ordinary and unaligned', () => {
    const sub = join(dir, 'ordinary');
    mkdirSync(sub);
    const f = StoreFile.open(join(sub, 'x.bin'), { direct: false });
    expect(f.direct).toBe(false);
    expect(f.align).toBe(1);
    const buf = f.bulkBuffer(100);
    buf.fill(9);
    f.submit(buf, 33, 7);
    f.close();
    const got = readFileSync(join(sub, 'x.bin'));
    expect(got.length).toBe(40);
    expect(got.subarray(7).every((b) => b === 9)).toBe(true);
  });
});
