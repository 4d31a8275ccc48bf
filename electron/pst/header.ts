import { pstCrc } from './crc.ts';
import { cryptMethodOf, type CryptMethod } from './crypt.ts';
import { layoutFor, readId, type Layout } from './layout.ts';

// [MS-PST] 2.2.2.6 HEADER and 2.2.2.5 ROOT, parsed from the first 564 bytes. Pure: no I/O.

export const HEADER_READ = 564;

export interface BRef {
  bid: number;
  ib: number;
}

export interface PstHeader {
  layout: Layout;
  wVer: number;
  wMagicClient: string;
  kind: 'pst' | 'ost' | 'pab';
  crypt: CryptMethod;
  bCryptMethod: number;
  crcPartial: { stored: number; computed: number };
  crcFull: { stored: number; computed: number } | null;
  bidNextB: number;
  bidNextP: number;
  /** NID high-water marks per NID type. */
  rgnid: number[];
  ibFileEof: number;
  ibAMapLast: number;
  cbAMapFree: number;
  nbt: BRef;
  bbt: BRef;
  fAMapValid: number;
  bSentinel: number;
}

export type HeaderResult = { ok: true; header: PstHeader } | { ok: false; reason: string };

export function parseHeader(buf: Buffer): HeaderResult {
  if (buf.length < 512) return { ok: false, reason: `file is ${buf.length} bytes, shorter than a PST header (512)` };
  if (buf.readUInt32LE(0) !== 0x4e444221) {
    return { ok: false, reason: `magic is ${buf.subarray(0, 4).toString('hex')}, not 2142444e ("!BDN"): not a PST/OST file` };
  }
  const wVer = buf.readUInt16LE(10);
  const layout = layoutFor(wVer);
  if (!layout) return { ok: false, reason: `unknown format version wVer=${wVer} (expected 14/15 ANSI, 23 Unicode, 36 Unicode 4K)` };
  if (layout.id === 8 && buf.length < HEADER_READ) {
    return { ok: false, reason: `file is ${buf.length} bytes, shorter than a Unicode PST header (${HEADER_READ})` };
  }
  const wMagicClient = buf.subarray(8, 10).toString('latin1');
  const kind = wMagicClient === 'SO' ? 'ost' : wMagicClient === 'AB' ? 'pab' : 'pst';
  const u = layout.id === 8;
  const rootOff = u ? 180 : 164;
  const id = layout.id;
  const rgnidOff = u ? 44 : 36;
  const rgnid: number[] = [];
  for (let i = 0; i < 32; i++) rgnid.push(buf.readUInt32LE(rgnidOff + i * 4));
  const r = (o: number) => readId(buf, rootOff + o, id);
  const w = id; // ROOT fields are id-sized after the 4-byte dwReserved
  const bCryptMethod = buf[u ? 513 : 461]!;
  return {
    ok: true,
    header: {
      layout,
      wVer,
      wMagicClient,
      kind,
      crypt: cryptMethodOf(bCryptMethod),
      bCryptMethod,
      crcPartial: { stored: buf.readUInt32LE(4), computed: pstCrc(buf.subarray(8, 8 + 471)) },
      crcFull: u ? { stored: buf.readUInt32LE(524), computed: pstCrc(buf.subarray(8, 8 + 516)) } : null,
      bidNextB: u ? readId(buf, 516, 8) : buf.readUInt32LE(24),
      bidNextP: u ? readId(buf, 32, 8) : buf.readUInt32LE(28),
      rgnid,
      ibFileEof: r(4),
      ibAMapLast: r(4 + w),
      cbAMapFree: r(4 + 2 * w),
      nbt: { bid: r(4 + 4 * w), ib: r(4 + 5 * w) },
      bbt: { bid: r(4 + 6 * w), ib: r(4 + 7 * w) },
      fAMapValid: buf[rootOff + 4 + 8 * w]!,
      bSentinel: buf[u ? 512 : 460]!,
    },
  };
}
