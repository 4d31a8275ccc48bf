import { pstCrc } from '../crc.ts';
import { HEADER_CRC, rootFieldOff, writeId } from '../layout.ts';
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
  const l = g.layout;
  const hl = l.header;
  const id = l.id;
  const h = Buffer.alloc(hl.size);
  h.writeUInt32LE(0x4e444221, 0); // "!BDN"
  h.write(v.ost ? 'SO' : 'SM', 8, 'latin1');
  h.writeUInt16LE(l.wVer, 10);
  h.writeUInt16LE(v.ost ? 12 : 19, 12); // wVerClient as in the fixtures
  h[14] = 1;
  h[15] = 1;
  for (let t = 0; t < 32; t++) h.writeUInt32LE(Math.max(f.nidHigh[t] ?? 0, 0x400), hl.rgnid + t * 4);
  writeId(h, hl.bidNextP, f.bidNextP, id);
  writeId(h, hl.bidNextB, f.bidNextB, id);
  h.writeUInt32LE(f.dwUnique >>> 0, hl.dwUnique);
  writeId(h, rootFieldOff(l, 'ibFileEof'), f.eof, id);
  writeId(h, rootFieldOff(l, 'ibAMapLast'), f.amapLast, id);
  writeId(h, rootFieldOff(l, 'cbAMapFree'), f.amapFree, id);
  writeId(h, rootFieldOff(l, 'cbPMapFree'), 0, id); // PMaps mark everything allocated
  writeId(h, rootFieldOff(l, 'nbtBid'), f.nbt.bid, id);
  writeId(h, rootFieldOff(l, 'nbtIb'), f.nbt.ib, id);
  writeId(h, rootFieldOff(l, 'bbtBid'), f.bbt.bid, id);
  writeId(h, rootFieldOff(l, 'bbtIb'), f.bbt.ib, id);
  h[rootFieldOff(l, 'fAMapValid')] = 0x02; // VALID_AMAP2
  h.fill(0xff, hl.rgbFM, hl.rgbFM + 128); // rgbFM, rgbFP: deprecated, 0xFF as in every fixture
  h.fill(0xff, hl.rgbFP, hl.rgbFP + 128);
  h[hl.sentinel] = 0x80;
  h[hl.cryptMethod] = g.cryptByte;
  const crc = (len: number) => pstCrc(h.subarray(HEADER_CRC.from, HEADER_CRC.from + len));
  if (hl.crcFull !== null) h.writeUInt32LE(crc(HEADER_CRC.fullLen), hl.crcFull);
  h.writeUInt32LE(crc(HEADER_CRC.partialLen), HEADER_CRC.partialOff);
  return h;
}
