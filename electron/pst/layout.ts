// Byte layout of the three NDB variants ([MS-PST] 2.2.2.7–2.2.2.8; 4K from libpff's format notes, no public sample
// exists to verify it). Everything that differs between ANSI, Unicode and Unicode-4K lives here so the walkers stay
// variant-free.

export type PstFormat = 'ansi' | 'unicode' | 'unicode4k';

export interface Layout {
  format: PstFormat;
  /** Size of BIDs, IBs and BT keys. */
  id: 4 | 8;
  pageSize: number;
  /** Bytes covered by a page CRC (everything before the trailer). */
  pageCrcLen: number;
  /** Offsets inside the page trailer. */
  ptypeOff: number;
  pageSigOff: number;
  pageCrcOff: number;
  pageBidOff: number;
  /** BTPAGE fields. */
  btEntriesLen: number;
  cEntOff: number;
  cEntMaxOff: number;
  cEntWidth: 1 | 2;
  cbEntOff: number;
  cLevelOff: number;
  btEntrySize: number;
  bbtEntrySize: number;
  nbtEntrySize: number;
  blockTrailer: number;
  blockAlign: number;
  maxBlockTotal: number;
  /** Offset of the first AMap page and the bytes one AMap covers. */
  amapFirst: number;
  amapSpan: number;
  amapBitmapLen: number;
  amapUnit: number;
}

export const ANSI: Layout = {
  format: 'ansi', id: 4, pageSize: 512, pageCrcLen: 500,
  ptypeOff: 500, pageSigOff: 502, pageCrcOff: 508, pageBidOff: 504,
  btEntriesLen: 496, cEntOff: 496, cEntMaxOff: 497, cEntWidth: 1, cbEntOff: 498, cLevelOff: 499,
  btEntrySize: 12, bbtEntrySize: 12, nbtEntrySize: 16,
  blockTrailer: 12, blockAlign: 64, maxBlockTotal: 8192,
  amapFirst: 0x4400, amapSpan: 253_952, amapBitmapLen: 496, amapUnit: 64,
};

export const UNICODE: Layout = {
  format: 'unicode', id: 8, pageSize: 512, pageCrcLen: 496,
  ptypeOff: 496, pageSigOff: 498, pageCrcOff: 500, pageBidOff: 504,
  btEntriesLen: 488, cEntOff: 488, cEntMaxOff: 489, cEntWidth: 1, cbEntOff: 490, cLevelOff: 491,
  btEntrySize: 24, bbtEntrySize: 24, nbtEntrySize: 32,
  blockTrailer: 16, blockAlign: 64, maxBlockTotal: 8192,
  amapFirst: 0x4400, amapSpan: 253_952, amapBitmapLen: 496, amapUnit: 64,
};

export const UNICODE4K: Layout = {
  format: 'unicode4k', id: 8, pageSize: 4096, pageCrcLen: 4072,
  ptypeOff: 4072, pageSigOff: 4074, pageCrcOff: 4076, pageBidOff: 4080,
  btEntriesLen: 4056, cEntOff: 4056, cEntMaxOff: 4058, cEntWidth: 2, cbEntOff: 4060, cLevelOff: 4061,
  btEntrySize: 24, bbtEntrySize: 24, nbtEntrySize: 32,
  blockTrailer: 24, blockAlign: 512, maxBlockTotal: 65_536,
  amapFirst: 0x22000, amapSpan: 4072 * 8 * 512, amapBitmapLen: 4072, amapUnit: 512,
};

export function layoutFor(wVer: number): Layout | null {
  if (wVer === 14 || wVer === 15) return ANSI;
  if (wVer === 23) return UNICODE;
  if (wVer === 36) return UNICODE4K;
  return null;
}

/** Reads an unsigned LE integer of 4 or 8 bytes as a JS number (PST offsets/BIDs stay far below 2^53). */
export function readId(buf: Buffer, off: number, size: 4 | 8): number {
  if (size === 4) return buf.readUInt32LE(off);
  return buf.readUInt32LE(off) + buf.readUInt32LE(off + 4) * 0x100000000;
}

export function hex(n: number): string {
  return '0x' + n.toString(16);
}

/** Size a block occupies on disk: data + trailer, rounded up to the alignment. */
export function blockSpan(l: Layout, cb: number): number {
  const raw = cb + l.blockTrailer;
  return Math.ceil(raw / l.blockAlign) * l.blockAlign;
}
