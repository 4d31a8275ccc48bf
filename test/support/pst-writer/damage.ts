import { closeSync, openSync, readSync, truncateSync, writeSync } from 'node:fs';

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
