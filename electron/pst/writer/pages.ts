import { pstCrc } from '../crc.ts';
import { writeId, type Layout } from '../layout.ts';

// Page-level byte layout shared by the B-tree and allocation-map writers ([MS-PST] 2.2.2.7). Offsets and page types
// come from the scanner's tables (layout.ts, page.ts), so what is written is what is checked.

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
