import { closeSync, constants, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
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
 * then more blocks: the same calls for both writers.
 */
function writeStore(file: string, durable: boolean): { direct: boolean; bytes: number } {
  const w = new NdbWriter(file, { format: 'unicode', encoding: 'permute', ost: false }, 7, { durable, exclusive: true });
  const direct = (w as unknown as { file: StoreFile }).file.direct;
  const max = w.g.blockDataMax;
  let seed = 1;
  const blocks = (total: number) => {
    for (let done = 0; done < total; ) {
      const n = 1 + ((seed * 7919) % max);
      w.putDataBlock(bytes(n, seed++));
      done += n;
    }
  };
  blocks(6 << 20);
  const sp = w.savepoint();
  blocks(5 << 20);
  w.rollback(sp);
  blocks(7 << 20);
  const stats = w.finish();
  return { direct, bytes: stats.fileBytes };
}

describe('StoreFile', () => {
  it('a durable writer (direct I/O where the file system takes it) writes the same bytes as an ordinary one', () => {
    const plain = writeStore(join(dir, 'plain.pst'), false);
    const durable = writeStore(join(dir, 'durable.pst'), true);
    expect(plain.direct).toBe(false);
    // On a file system that takes O_DIRECT the durable writer must have used it (else this test proves nothing new).
    expect(durable.direct).toBe(takesDirectIo(dir));
    expect(statSync(join(dir, 'durable.pst')).size).toBe(durable.bytes);
    expect(readFileSync(join(dir, 'durable.pst')).equals(readFileSync(join(dir, 'plain.pst')))).toBe(true);
  });

  it('windows go out at aligned offsets with any length, and reads see what the file holds (zeros past its end)', () => {
    const file = join(dir, 'bulk.bin');
    const f = StoreFile.open(file, { exclusive: true, direct: true });
    let buf = f.bulkBuffer(64 * 1024);
    expect(f.direct).toBe(takesDirectIo(dir));
    const want = Buffer.alloc(3 * 8192 + 100);
    const put = (pos: number, data: Buffer) => {
      data.copy(buf);
      buf = f.submit(buf, data.length, pos);
      expect(buf.every((b) => b === 0)).toBe(true);
      data.copy(want, pos);
    };
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
    let buf = f.bulkBuffer(64 * 1024);
    const wasDirect = f.direct;
    const want = Buffer.alloc(40_000);
    const put = (pos: number, data: Buffer) => {
      data.copy(buf);
      buf = f.submit(buf, data.length, pos);
      data.copy(want, pos);
    };
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
    buf.fill(9, 0, 33);
    const next = f.submit(buf, 33, 7);
    expect(next.every((b) => b === 0)).toBe(true);
    f.close();
    const got = readFileSync(join(sub, 'x.bin'));
    expect(got.length).toBe(40);
    expect(got.subarray(7).every((b) => b === 9)).toBe(true);
  });
});
