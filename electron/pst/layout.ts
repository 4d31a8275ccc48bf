// Byte layout of the three NDB variants ([MS-PST] 2.2.2.7–2.2.2.8; 4K from libpff's format notes, no public sample
// exists to verify it). Everything that differs between ANSI, Unicode and Unicode-4K lives here so the walkers stay
// variant-free.

export type PstFormat = 'ansi' | 'unicode' | 'unicode4k';

/**
 * HEADER field offsets ([MS-PST] 2.2.2.6). Unicode-4K stores use the Unicode header. The scanner's parser
 * (header.ts) and the writer (writer/header.ts) both read them from here.
 */
export interface HeaderLayout {
  /** Bytes the header occupies (the rest of the first 0x4400 bytes is unused). */
  size: number;
  bidNextB: number;
  bidNextP: number;
  dwUnique: number;
  /** rgnid[32]: the NID high-water mark per NID type. */
  rgnid: number;
  /** ROOT ([MS-PST] 2.2.2.5): a 4-byte dwReserved, then id-sized fields (see ROOT_FIELD). */
  root: number;
  rgbFM: number;
  rgbFP: number;
  sentinel: number;
  cryptMethod: number;
  /** dwCRCFull, over the 516 bytes from offset 8; ANSI headers have none. */
  crcFull: number | null;
}

const ANSI_HEADER: HeaderLayout = {
  size: 512, bidNextB: 24, bidNextP: 28, dwUnique: 32, rgnid: 36, root: 164, rgbFM: 204, rgbFP: 332, sentinel: 460, cryptMethod: 461, crcFull: null,
};
const UNICODE_HEADER: HeaderLayout = {
  size: 564, bidNextB: 516, bidNextP: 32, dwUnique: 40, rgnid: 44, root: 180, rgbFM: 256, rgbFP: 384, sentinel: 512, cryptMethod: 513, crcFull: 524,
};

/** ROOT fields in order after ROOT.dwReserved; each is `Layout.id` bytes wide except fAMapValid (1 byte). */
export const ROOT_FIELD = { ibFileEof: 0, ibAMapLast: 1, cbAMapFree: 2, cbPMapFree: 3, nbtBid: 4, nbtIb: 5, bbtBid: 6, bbtIb: 7, fAMapValid: 8 } as const;

/** File offset of a ROOT field. */
export function rootFieldOff(l: Layout, field: keyof typeof ROOT_FIELD): number {
  return l.header.root + 4 + ROOT_FIELD[field] * l.id;
}

/** dwCRCPartial covers the 471 header bytes from offset 8; dwCRCFull the 516 from offset 8. */
export const HEADER_CRC = { partialOff: 4, partialLen: 471, fullLen: 516, from: 8 } as const;

/** The density list page ([MS-PST] 2.2.2.7.4), Unicode stores only. */
export const DLIST_OFFSET = 0x4200;

export interface Layout {
  format: PstFormat;
  /** HEADER.wVer a writer puts in this layout (a reader also accepts 15 for ANSI). */
  wVer: 14 | 23 | 36;
  header: HeaderLayout;
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
  format: 'ansi', wVer: 14, header: ANSI_HEADER, id: 4, pageSize: 512, pageCrcLen: 500,
  ptypeOff: 500, pageSigOff: 502, pageCrcOff: 508, pageBidOff: 504,
  btEntriesLen: 496, cEntOff: 496, cEntMaxOff: 497, cEntWidth: 1, cbEntOff: 498, cLevelOff: 499,
  btEntrySize: 12, bbtEntrySize: 12, nbtEntrySize: 16,
  blockTrailer: 12, blockAlign: 64, maxBlockTotal: 8192,
  amapFirst: 0x4400, amapSpan: 253_952, amapBitmapLen: 496, amapUnit: 64,
};

export const UNICODE: Layout = {
  format: 'unicode', wVer: 23, header: UNICODE_HEADER, id: 8, pageSize: 512, pageCrcLen: 496,
  ptypeOff: 496, pageSigOff: 498, pageCrcOff: 500, pageBidOff: 504,
  btEntriesLen: 488, cEntOff: 488, cEntMaxOff: 489, cEntWidth: 1, cbEntOff: 490, cLevelOff: 491,
  btEntrySize: 24, bbtEntrySize: 24, nbtEntrySize: 32,
  blockTrailer: 16, blockAlign: 64, maxBlockTotal: 8192,
  amapFirst: 0x4400, amapSpan: 253_952, amapBitmapLen: 496, amapUnit: 64,
};

export const UNICODE4K: Layout = {
  format: 'unicode4k', wVer: 36, header: UNICODE_HEADER, id: 8, pageSize: 4096, pageCrcLen: 4072,
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

/** Writes a 4- or 8-byte little-endian ID: the inverse of readId. */
export function writeId(buf: Buffer, off: number, v: number, size: 4 | 8): void {
  buf.writeUInt32LE(v % 0x100000000 >>> 0, off);
  if (size === 8) buf.writeUInt32LE(Math.floor(v / 0x100000000), off + 4);
}

/** Most data bytes one block of this layout holds (8176 Unicode, 8180 ANSI, 65,512 Unicode-4K). */
export function blockDataMax(l: Layout): number {
  return l.maxBlockTotal - l.blockTrailer;
}

export function hex(n: number): string {
  return '0x' + n.toString(16);
}

/** Size a block occupies on disk: data + trailer, rounded up to the alignment. */
export function blockSpan(l: Layout, cb: number): number {
  const raw = cb + l.blockTrailer;
  return Math.ceil(raw / l.blockAlign) * l.blockAlign;
}
