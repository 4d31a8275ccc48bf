import { pstCrc } from '../../../electron/pst/crc.ts';
import type { Layout } from '../../../electron/pst/layout.ts';

// Page-level byte layout shared by the B-tree and allocation-map writers ([MS-PST] 2.2.2.7).

export const PTYPE = { BBT: 0x80, NBT: 0x81, FMAP: 0x82, PMAP: 0x83, AMAP: 0x84, FPMAP: 0x85, DLIST: 0x86 } as const;

/** Writes a 4- or 8-byte little-endian ID (offsets and BIDs stay far below 2^53). */
export function writeId(buf: Buffer, off: number, v: number, size: 4 | 8): void {
  buf.writeUInt32LE(v % 0x100000000 >>> 0, off);
  if (size === 8) buf.writeUInt32LE(Math.floor(v / 0x100000000), off + 4);
}

/** PAGETRAILER: type twice, signature, BID, and the CRC over everything before the trailer. */
export function pageTrailer(page: Buffer, l: Layout, ptype: number, sig: number, bid: number): void {
  page[l.ptypeOff] = ptype;
  page[l.ptypeOff + 1] = ptype;
  page.writeUInt16LE(sig, l.pageSigOff);
  writeId(page, l.pageBidOff, bid, l.id);
  page.writeUInt32LE(pstCrc(page.subarray(0, l.pageCrcLen)), l.pageCrcOff);
}

/** BTPAGE counters ([MS-PST] 2.2.2.7.7.1); 4K pages use 16-bit entry counts. */
export function btHeader(page: Buffer, l: Layout, cEnt: number, cEntMax: number, cbEnt: number, level: number): void {
  if (l.cEntWidth === 2) {
    page.writeUInt16LE(cEnt, l.cEntOff);
    page.writeUInt16LE(cEntMax, l.cEntMaxOff);
  } else {
    page[l.cEntOff] = cEnt;
    page[l.cEntMaxOff] = cEntMax;
  }
  page[l.cbEntOff] = cbEnt;
  page[l.cLevelOff] = level;
}
