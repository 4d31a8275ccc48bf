import { closeSync, openSync, readSync, truncateSync, writeSync } from 'node:fs';
import { pstCrc } from '../../../electron/pst/crc.ts';

// Exact, known damage applied to a generated store (always a copy: tests copy first). Because the writer knows which
// block holds which message or attachment, a test knows precisely which items a scanner must name as damaged.

/** XORs 16 bytes in the middle of a block's data: its CRC no longer matches, nothing else changes. */
export function flipBlockBytes(file: string, where: { ib: number; cb: number }): void {
  const len = Math.min(16, where.cb);
  const at = where.ib + Math.floor((where.cb - len) / 2);
  const fd = openSync(file, 'r+');
  try {
    const buf = Buffer.alloc(len);
    readSync(fd, buf, 0, len, at);
    for (let i = 0; i < len; i++) buf[i]! ^= 0x5a;
    writeSync(fd, buf, 0, len, at);
  } finally {
    closeSync(fd);
  }
}

/**
 * flipBlockBytes, then the CRC of a Unicode/Unicode-4K block trailer recomputed over the flipped bytes: the block
 * passes every trailer check, only its content is wrong (for a compressed block: it no longer inflates).
 */
export function flipBlockBytesKeepCrc(file: string, where: { ib: number; cb: number; span: number }, trailer: 16 | 24): void {
  flipBlockBytes(file, where);
  const fd = openSync(file, 'r+');
  try {
    const data = Buffer.alloc(where.cb);
    readSync(fd, data, 0, where.cb, where.ib);
    const crc = Buffer.alloc(4);
    crc.writeUInt32LE(pstCrc(data));
    writeSync(fd, crc, 0, 4, where.ib + where.span - trailer + 4);
  } finally {
    closeSync(fd);
  }
}

/** Rewrites the inflated size a Unicode-4K block trailer declares (+18); no CRC covers it. */
export function setDeclaredSize(file: string, where: { ib: number; span: number }, size: number): void {
  const fd = openSync(file, 'r+');
  try {
    const b = Buffer.alloc(2);
    b.writeUInt16LE(size);
    writeSync(fd, b, 0, 2, where.ib + where.span - 24 + 18);
  } finally {
    closeSync(fd);
  }
}

/** The inflated size a Unicode-4K block trailer declares. */
export function declaredSizeOf(file: string, where: { ib: number; span: number }): number {
  const fd = openSync(file, 'r');
  try {
    const b = Buffer.alloc(2);
    readSync(fd, b, 0, 2, where.ib + where.span - 24 + 18);
    return b.readUInt16LE(0);
  } finally {
    closeSync(fd);
  }
}

/** Breaks the header CRC (dwCRCPartial at offset 4), the damage libpff refuses and readpst ignores. */
export function breakHeaderCrc(file: string): void {
  const fd = openSync(file, 'r+');
  try {
    const buf = Buffer.alloc(4);
    readSync(fd, buf, 0, 4, 4);
    for (let i = 0; i < 4; i++) buf[i]! ^= 0xff;
    writeSync(fd, buf, 0, 4, 4);
  } finally {
    closeSync(fd);
  }
}

/** Cuts the file to `keep` bytes, as an interrupted copy or a full disk would. */
export function truncateTo(file: string, keep: number): void {
  truncateSync(file, keep);
}
