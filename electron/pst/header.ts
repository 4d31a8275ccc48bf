import { pstCrc } from './crc.ts';
import { cryptMethodOf, type CryptMethod } from './crypt.ts';
import { HEADER_CRC, layoutFor, readId, rootFieldOff, type Layout } from './layout.ts';

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
  const hl = layout.header;
  const id = layout.id;
  const rgnid: number[] = [];
  for (let i = 0; i < 32; i++) rgnid.push(buf.readUInt32LE(hl.rgnid + i * 4));
  const r = (f: Parameters<typeof rootFieldOff>[1]) => readId(buf, rootFieldOff(layout, f), id);
  const bCryptMethod = buf[hl.cryptMethod]!;
  const crc = (len: number) => pstCrc(buf.subarray(HEADER_CRC.from, HEADER_CRC.from + len));
  return {
    ok: true,
    header: {
      layout,
      wVer,
      wMagicClient,
      kind,
      crypt: cryptMethodOf(bCryptMethod),
      bCryptMethod,
      crcPartial: { stored: buf.readUInt32LE(HEADER_CRC.partialOff), computed: crc(HEADER_CRC.partialLen) },
      crcFull: hl.crcFull !== null ? { stored: buf.readUInt32LE(hl.crcFull), computed: crc(HEADER_CRC.fullLen) } : null,
      bidNextB: readId(buf, hl.bidNextB, id),
      bidNextP: readId(buf, hl.bidNextP, id),
      rgnid,
      ibFileEof: r('ibFileEof'),
      ibAMapLast: r('ibAMapLast'),
      cbAMapFree: r('cbAMapFree'),
      nbt: { bid: r('nbtBid'), ib: r('nbtIb') },
      bbt: { bid: r('bbtBid'), ib: r('bbtIb') },
      fAMapValid: buf[rootFieldOff(layout, 'fAMapValid')]!,
      bSentinel: buf[hl.sentinel]!,
    },
  };
}
