import { pstCrc } from '../../../electron/pst/crc.ts';
import { writeId } from './pages.ts';
import type { Geometry, Variant } from './variant.ts';

// HEADER and ROOT ([MS-PST] 2.2.2.6, 2.2.2.5), written last once every offset is known. Pure: returns the bytes.

export interface HeaderFields {
  eof: number;
  amapLast: number;
  amapFree: number;
  nbt: { bid: number; ib: number };
  bbt: { bid: number; ib: number };
  bidNextB: number;
  bidNextP: number;
  dwUnique: number;
  /** Next free NID index per NID type. */
  nidHigh: number[];
}

export function buildHeader(v: Variant, g: Geometry, f: HeaderFields): Buffer {
  const u = g.layout.id === 8;
  const id = g.layout.id;
  const h = Buffer.alloc(u ? 564 : 512);
  h.writeUInt32LE(0x4e444221, 0); // "!BDN"
  h.write(v.ost ? 'SO' : 'SM', 8, 'latin1');
  h.writeUInt16LE(g.wVer, 10);
  h.writeUInt16LE(v.ost ? 12 : 19, 12); // wVerClient as in the fixtures
  h[14] = 1;
  h[15] = 1;
  const rgnidOff = u ? 44 : 36;
  for (let t = 0; t < 32; t++) h.writeUInt32LE(Math.max(f.nidHigh[t] ?? 0, 0x400), rgnidOff + t * 4);
  if (u) {
    writeId(h, 32, f.bidNextP, 8);
    h.writeUInt32LE(f.dwUnique >>> 0, 40);
  } else {
    h.writeUInt32LE(f.bidNextB, 24);
    h.writeUInt32LE(f.bidNextP, 28);
    h.writeUInt32LE(f.dwUnique >>> 0, 32);
  }
  const root = u ? 180 : 164;
  writeId(h, root + 4, f.eof, id);
  writeId(h, root + 4 + id, f.amapLast, id);
  writeId(h, root + 4 + 2 * id, f.amapFree, id);
  writeId(h, root + 4 + 3 * id, 0, id); // cbPMapFree: PMaps mark everything allocated
  writeId(h, root + 4 + 4 * id, f.nbt.bid, id);
  writeId(h, root + 4 + 5 * id, f.nbt.ib, id);
  writeId(h, root + 4 + 6 * id, f.bbt.bid, id);
  writeId(h, root + 4 + 7 * id, f.bbt.ib, id);
  h[root + 4 + 8 * id] = 0x02; // fAMapValid = VALID_AMAP2
  const fm = u ? 256 : 204;
  h.fill(0xff, fm, fm + 256); // rgbFM, rgbFP: deprecated, 0xFF as in every fixture
  h[u ? 512 : 460] = 0x80; // bSentinel
  h[u ? 513 : 461] = g.cryptByte;
  if (u) {
    writeId(h, 516, f.bidNextB, 8);
    h.writeUInt32LE(pstCrc(h.subarray(8, 8 + 516)), 524); // dwCRCFull
  }
  h.writeUInt32LE(pstCrc(h.subarray(8, 8 + 471)), 4); // dwCRCPartial
  return h;
}
