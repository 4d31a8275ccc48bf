import { computeSig, pstCrc } from './crc.ts';
import { hex, readId, type Layout } from './layout.ts';

// Pure parsers for 512-byte (4 KiB) pages: the PAGETRAILER and the BTPAGE that B-tree pages carry ([MS-PST] 2.2.2.7).

export const PTYPE = { BBT: 0x80, NBT: 0x81, FMAP: 0x82, PMAP: 0x83, AMAP: 0x84, FPMAP: 0x85, DLIST: 0x86 } as const;

export interface PageTrailer {
  ptype: number;
  ptypeRepeat: number;
  wSig: number;
  crc: number;
  bid: number;
}

export function pageTrailer(page: Buffer, l: Layout): PageTrailer {
  return {
    ptype: page[l.ptypeOff]!,
    ptypeRepeat: page[l.ptypeOff + 1]!,
    wSig: page.readUInt16LE(l.pageSigOff),
    crc: page.readUInt32LE(l.pageCrcOff),
    bid: readId(page, l.pageBidOff, l.id),
  };
}

/**
 * Checks a page's trailer against what its referrer expects. Returns human-readable defects (empty = sound).
 * `expectBid` null skips the BID check (AMap-family pages carry their own offset there instead).
 */
export function checkPageTrailer(page: Buffer, l: Layout, ib: number, ptype: number, expectBid: number | null): string[] {
  const out: string[] = [];
  if (page.length < l.pageSize) return [`page at ${hex(ib)} is cut off by the end of the file (${page.length} of ${l.pageSize} bytes)`];
  const t = pageTrailer(page, l);
  if (t.ptype !== ptype) out.push(`page type ${hex(t.ptype)} where ${hex(ptype)} was expected`);
  if (t.ptypeRepeat !== t.ptype) out.push(`ptypeRepeat ${hex(t.ptypeRepeat)} differs from ptype ${hex(t.ptype)}`);
  const crc = pstCrc(page.subarray(0, l.pageCrcLen));
  if (crc !== t.crc) out.push(`page CRC mismatch (stored ${hex(t.crc)}, computed ${hex(crc)})`);
  const isBt = ptype === 0x80 || ptype === 0x81 || ptype === 0x86;
  if (isBt && expectBid !== null) {
    if (t.bid !== expectBid) out.push(`trailer BID ${hex(t.bid)} but its parent points to BID ${hex(expectBid)}`);
    const sig = computeSig(ib, t.bid);
    if (t.wSig !== sig) out.push(`page signature ${hex(t.wSig)}, expected ${hex(sig)}`);
  }
  return out;
}

export interface BtPageHeader {
  cEnt: number;
  cEntMax: number;
  cbEnt: number;
  cLevel: number;
}

export function btPageHeader(page: Buffer, l: Layout): BtPageHeader {
  const u16 = l.cEntWidth === 2;
  return {
    cEnt: u16 ? page.readUInt16LE(l.cEntOff) : page[l.cEntOff]!,
    cEntMax: u16 ? page.readUInt16LE(l.cEntMaxOff) : page[l.cEntMaxOff]!,
    cbEnt: page[l.cbEntOff]!,
    cLevel: page[l.cLevelOff]!,
  };
}

/** Expected entry size for a page of this tree at this level. */
export function expectedCbEnt(l: Layout, tree: 'nbt' | 'bbt', level: number): number {
  if (level > 0) return l.btEntrySize;
  return tree === 'nbt' ? l.nbtEntrySize : l.bbtEntrySize;
}

export interface BtRef {
  key: number;
  bid: number;
  ib: number;
}

/** Intermediate entries (BTENTRY): key, BREF. */
export function readBtEntries(page: Buffer, l: Layout, cEnt: number, cbEnt: number): BtRef[] {
  const out: BtRef[] = [];
  for (let i = 0; i < cEnt; i++) {
    const o = i * cbEnt;
    out.push({ key: readId(page, o, l.id), bid: readId(page, o + l.id, l.id), ib: readId(page, o + 2 * l.id, l.id) });
  }
  return out;
}
