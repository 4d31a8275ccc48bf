import { computeSig, pstCrc } from './crc.ts';
import { hex, readId, type Layout } from './layout.ts';

// Pure parsers for blocks ([MS-PST] 2.2.2.8): the BLOCKTRAILER, XBLOCK/XXBLOCK and SLBLOCK/SIBLOCK.

export interface BlockTrailer {
  cb: number;
  wSig: number;
  crc: number;
  bid: number;
}

/** Trailer of a block whose allocation is `span` bytes long (trailer sits at the end of the allocation). */
export function blockTrailerAt(buf: Buffer, end: number, l: Layout): BlockTrailer {
  const t = end - l.blockTrailer;
  const cb = buf.readUInt16LE(t);
  const wSig = buf.readUInt16LE(t + 2);
  if (l.id === 4) return { cb, wSig, bid: buf.readUInt32LE(t + 4), crc: buf.readUInt32LE(t + 8) };
  return { cb, wSig, crc: buf.readUInt32LE(t + 4), bid: readId(buf, t + 8, 8) };
}

/** Checks one block (buffer = its whole allocation) against its BBT entry; returns defects (empty = sound). */
export function checkBlock(buf: Buffer, l: Layout, ib: number, bid: number, cb: number): string[] {
  if (buf.length < l.blockTrailer || buf.length < cb + l.blockTrailer) {
    return [`block is cut off by the end of the file (${buf.length} bytes readable)`];
  }
  const out: string[] = [];
  const t = blockTrailerAt(buf, buf.length, l);
  if (t.cb !== cb) out.push(`trailer cb ${t.cb}, BBT says ${cb}`);
  if (t.bid - (t.bid % 2) !== bid - (bid % 2)) out.push(`trailer BID ${hex(t.bid)}, BBT says ${hex(bid)}`);
  const sig = computeSig(ib, t.bid);
  if (t.wSig !== sig) out.push(`block signature ${hex(t.wSig)}, expected ${hex(sig)}`);
  const crc = pstCrc(buf.subarray(0, Math.min(cb, buf.length - l.blockTrailer)));
  if (crc !== t.crc) out.push(`block CRC mismatch (stored ${hex(t.crc)}, computed ${hex(crc)})`);
  return out;
}

export interface XBlock {
  level: number;
  lcbTotal: number;
  bids: number[];
}

export interface SubnodeEntry {
  nid: number;
  bidData: number;
  bidSub: number;
}

export type InternalBlock =
  | { kind: 'x'; x: XBlock }
  | { kind: 'sl'; entries: SubnodeEntry[] }
  | { kind: 'si'; refs: { nid: number; bid: number }[] }
  | { kind: 'bad'; reason: string };

/** Parses an internal block's data (never encoded). Bounds every count by the bytes actually present. */
export function parseInternalBlock(data: Buffer, l: Layout): InternalBlock {
  if (data.length < 4) return { kind: 'bad', reason: `internal block of ${data.length} bytes is too short` };
  const btype = data[0]!;
  const cLevel = data[1]!;
  const cEnt = data.readUInt16LE(2);
  const id = l.id;
  if (btype === 0x01) {
    if (cLevel !== 1 && cLevel !== 2) return { kind: 'bad', reason: `XBLOCK level ${cLevel} (must be 1 or 2)` };
    if (data.length < 8 + cEnt * id) return { kind: 'bad', reason: `XBLOCK claims ${cEnt} entries but holds ${Math.floor((data.length - 8) / id)}` };
    const bids: number[] = [];
    for (let i = 0; i < cEnt; i++) bids.push(readId(data, 8 + i * id, id));
    return { kind: 'x', x: { level: cLevel, lcbTotal: data.readUInt32LE(4), bids } };
  }
  if (btype === 0x02) {
    const head = id === 8 ? 8 : 4;
    if (cLevel === 0) {
      const size = 3 * id;
      if (data.length < head + cEnt * size) return { kind: 'bad', reason: `SLBLOCK claims ${cEnt} entries but holds ${Math.floor((data.length - head) / size)}` };
      const entries: SubnodeEntry[] = [];
      for (let i = 0; i < cEnt; i++) {
        const o = head + i * size;
        entries.push({ nid: data.readUInt32LE(o), bidData: readId(data, o + id, id), bidSub: readId(data, o + 2 * id, id) });
      }
      return { kind: 'sl', entries };
    }
    if (cLevel === 1) {
      const size = 2 * id;
      if (data.length < head + cEnt * size) return { kind: 'bad', reason: `SIBLOCK claims ${cEnt} entries but holds ${Math.floor((data.length - head) / size)}` };
      const refs: { nid: number; bid: number }[] = [];
      for (let i = 0; i < cEnt; i++) {
        const o = head + i * size;
        refs.push({ nid: data.readUInt32LE(o), bid: readId(data, o + id, id) });
      }
      return { kind: 'si', refs };
    }
    return { kind: 'bad', reason: `subnode block level ${cLevel} (must be 0 or 1)` };
  }
  return { kind: 'bad', reason: `internal block type ${hex(btype)} (expected 0x01 XBLOCK or 0x02 SLBLOCK/SIBLOCK)` };
}
