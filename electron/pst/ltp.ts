import { hex } from './layout.ts';

// Lists, Tables and Properties layer ([MS-PST] 2.3), own code: pst-extractor 1.12 cannot open ANSI stores at all
// and throws on the first inconsistency, while the scanner must read every
// undamaged item of a damaged store and say which ones it could not. Pure functions over the node's data blocks;
// every loop is bounded by the bytes present and every recursion by an explicit level limit.

export class LtpError extends Error {
  constructor(
    readonly structure: 'heap' | 'bth' | 'property-context' | 'table-context',
    message: string,
  ) {
    super(message);
    this.name = 'LtpError';
  }
}

/** A heap-on-node: one allocation map per data block. */
export class Heap {
  constructor(
    readonly blocks: Buffer[],
    readonly clientSig: number,
    readonly userRoot: number,
  ) {}

  /** Bytes of heap allocation `hid`; throws LtpError for a HID that points nowhere. */
  get(hid: number): Buffer {
    if ((hid & 0x1f) !== 0) throw new LtpError('heap', `${hex(hid)} is not a heap ID`);
    const index = (hid >>> 5) & 0x7ff;
    const blockIndex = hid >>> 16;
    const block = this.blocks[blockIndex];
    if (!block) throw new LtpError('heap', `heap ID ${hex(hid)} points to block ${blockIndex}, node has ${this.blocks.length}`);
    if (block.length < 4) throw new LtpError('heap', `heap block ${blockIndex} is only ${block.length} bytes`);
    const ibHnpm = block.readUInt16LE(0);
    if (ibHnpm + 4 > block.length) throw new LtpError('heap', `heap page map offset ${ibHnpm} beyond block ${blockIndex}`);
    const cAlloc = block.readUInt16LE(ibHnpm);
    if (index === 0 || index > cAlloc) throw new LtpError('heap', `heap ID ${hex(hid)} index ${index} outside 1..${cAlloc}`);
    const at = ibHnpm + 4 + (index - 1) * 2;
    if (at + 4 > block.length) throw new LtpError('heap', `heap page map of block ${blockIndex} is cut off`);
    const start = block.readUInt16LE(at);
    const end = block.readUInt16LE(at + 2);
    if (start > end || end > ibHnpm) throw new LtpError('heap', `heap allocation ${hex(hid)} spans ${start}..${end}, outside the data area`);
    return block.subarray(start, end);
  }
}

export function parseHeap(blocks: Buffer[]): Heap {
  const first = blocks[0];
  if (!first || first.length < 12) throw new LtpError('heap', 'node has no heap header');
  if (first[2] !== 0xec) throw new LtpError('heap', `heap signature ${hex(first[2]!)} (expected 0xec)`);
  return new Heap(blocks, first[3]!, first.readUInt32LE(4));
}

export interface BthRecord {
  key: Buffer;
  data: Buffer;
}

/**
 * Visits every leaf record of the BTH rooted at `hid` ([MS-PST] 2.3.2) as (heap item, offset of the key): no object
 * per record, since a scan reads one property context per message and item.
 */
export function forEachBthRecord(heap: Heap, hid: number, visit: (item: Buffer, at: number, cbKey: number, cbEnt: number) => void): { cbKey: number; cbEnt: number } {
  const hdr = heap.get(hid);
  if (hdr.length < 8 || hdr[0] !== 0xb5) throw new LtpError('bth', `BTH header at ${hex(hid)} has type ${hex(hdr[0] ?? 0)} (expected 0xb5)`);
  const cbKey = hdr[1]!;
  const cbEnt = hdr[2]!;
  const levels = hdr[3]!;
  if (cbKey === 0 || ![2, 4, 8, 16].includes(cbKey)) throw new LtpError('bth', `BTH key size ${cbKey} is invalid`);
  if (levels > 8) throw new LtpError('bth', `BTH claims ${levels} index levels`);
  const root = hdr.readUInt32LE(4);
  if (root === 0) return { cbKey, cbEnt };
  // Each heap item is read once: a crafted BTH that lists the same child many times cannot multiply the work.
  const seen = new Set<number>();
  const walk = (h: number, level: number) => {
    if (seen.has(h)) throw new LtpError('bth', `BTH node ${hex(h)} is referenced twice (loop or cross-link)`);
    seen.add(h);
    const d = heap.get(h);
    const size = level > 0 ? cbKey + 4 : cbKey + cbEnt;
    if (d.length % size !== 0) throw new LtpError('bth', `BTH node ${hex(h)} is ${d.length} bytes, not a multiple of ${size}`);
    for (let o = 0; o + size <= d.length; o += size) {
      if (level > 0) walk(d.readUInt32LE(o + cbKey), level - 1);
      else visit(d, o, cbKey, cbEnt);
    }
  };
  walk(root, levels);
  return { cbKey, cbEnt };
}

/** All leaf records of the BTH rooted at `hid` ([MS-PST] 2.3.2). */
export function bthRecords(heap: Heap, hid: number): { cbKey: number; cbEnt: number; records: BthRecord[] } {
  const records: BthRecord[] = [];
  const sizes = forEachBthRecord(heap, hid, (d, o, cbKey, cbEnt) => records.push({ key: d.subarray(o, o + cbKey), data: d.subarray(o + cbKey, o + cbKey + cbEnt) }));
  return { ...sizes, records };
}

/** Where a property's bytes live. */
export type PropValueRef = { kind: 'inline'; bytes: Buffer } | { kind: 'hid'; hid: number } | { kind: 'subnode'; nid: number };

export interface PropEntry {
  id: number;
  type: number;
  ref: PropValueRef;
}

const FIXED_INLINE = new Set([0x0002, 0x0003, 0x0004, 0x000a, 0x000b]);
const FIXED_8 = new Set([0x0005, 0x0006, 0x0007, 0x0014, 0x0040]);

export function hnidRef(hnid: number): PropValueRef {
  return (hnid & 0x1f) === 0 ? { kind: 'hid', hid: hnid } : { kind: 'subnode', nid: hnid };
}

/** Property context ([MS-PST] 2.3.3): property id → where its value is. */
export function propertyContext(heap: Heap): Map<number, PropEntry> {
  if (heap.clientSig !== 0xbc) throw new LtpError('property-context', `heap client signature ${hex(heap.clientSig)} (expected 0xbc)`);
  const hdr = heap.get(heap.userRoot);
  if (hdr.length >= 8 && hdr[0] === 0xb5 && (hdr[1] !== 2 || hdr[2] !== 6)) throw new LtpError('property-context', `PC BTH sizes ${hdr[1]}/${hdr[2]} (expected 2/6)`);
  const out = new Map<number, PropEntry>();
  forEachBthRecord(heap, heap.userRoot, (d, o) => {
    const id = d.readUInt16LE(o);
    const type = d.readUInt16LE(o + 2);
    const ref: PropValueRef = FIXED_INLINE.has(type) ? { kind: 'inline', bytes: d.subarray(o + 4, o + 8) } : hnidRef(d.readUInt32LE(o + 4));
    out.set(id, { id, type, ref });
  });
  return out;
}

export interface TcColumn {
  tag: number;
  ib: number;
  cb: number;
  iBit: number;
}

export interface TableInfo {
  columns: TcColumn[];
  rowSize: number;
  cebOffset: number;
  rowCount: number | null;
  rows: PropValueRef | null;
}

/** PidTagLtpRowId: the column that names a table's rows. */
export const TAG_ROW_ID = 0x67f20003;

/** Table context header ([MS-PST] 2.3.4). */
export function tableInfo(heap: Heap, ansi: boolean): TableInfo {
  if (heap.clientSig !== 0x7c) throw new LtpError('table-context', `heap client signature ${hex(heap.clientSig)} (expected 0x7c)`);
  const t = heap.get(heap.userRoot);
  if (t.length < 22 || t[0] !== 0x7c) throw new LtpError('table-context', 'TCINFO header is missing or has the wrong type');
  const cCols = t[1]!;
  if (t.length < 22 + cCols * 8) throw new LtpError('table-context', `TCINFO claims ${cCols} columns but is ${t.length} bytes`);
  const columns: TcColumn[] = [];
  for (let i = 0; i < cCols; i++) {
    const o = 22 + i * 8;
    columns.push({ tag: t.readUInt32LE(o), ib: t.readUInt16LE(o + 4), cb: t[o + 6]!, iBit: t[o + 7]! });
  }
  const rowSize = t.readUInt16LE(8);
  const cebOffset = t.readUInt16LE(6);
  const hidRowIndex = t.readUInt32LE(10);
  const hnidRows = t.readUInt32LE(14);
  let rowCount: number | null = null;
  if (hidRowIndex !== 0) {
    try {
      const bth = bthRecords(heap, hidRowIndex);
      if (bth.cbKey === 4 && (bth.cbEnt === (ansi ? 2 : 4) || bth.cbEnt === 4 || bth.cbEnt === 2)) rowCount = bth.records.length;
    } catch {
      rowCount = null; // the row matrix still tells how many rows there are
    }
  } else rowCount = 0;
  if (rowSize === 0 || cebOffset > rowSize) throw new LtpError('table-context', `row size ${rowSize} / CEB offset ${cebOffset} are inconsistent`);
  for (const c of columns) {
    if (c.ib + c.cb > rowSize) throw new LtpError('table-context', `column ${hex(c.tag)} lies outside the ${rowSize}-byte row`);
    // Rows are known by their row id: a table whose id column is not 4 bytes has no row that can be named.
    if (c.tag === TAG_ROW_ID && c.cb !== 4) throw new LtpError('table-context', `the row-id column is ${c.cb} bytes (expected 4)`);
  }
  return { columns, rowSize, cebOffset, rowCount, rows: hnidRows === 0 ? null : hnidRef(hnidRows) };
}

/**
 * One row of a table context. Values are located on demand: a contents table row has 20–40 columns and a scan reads
 * five of them, and building every cell up front would be the largest allocation of a full scan.
 */
export class Row {
  constructor(
    private readonly bytes: Buffer,
    private readonly info: TableInfo,
    private readonly byId: Map<number, TcColumn[]>,
  ) {}

  /** The cell of property `id` when its cell-existence bit is set (the last such column wins, as Outlook writes one). */
  get(id: number): PropEntry | undefined {
    const cols = this.byId.get(id);
    if (!cols) return undefined;
    const r = this.bytes;
    for (let i = cols.length - 1; i >= 0; i--) {
      const c = cols[i]!;
      const bit = this.info.cebOffset + (c.iBit >>> 3);
      if (bit >= r.length || (r[bit]! & (0x80 >>> (c.iBit & 7))) === 0) continue;
      const type = c.tag & 0xffff;
      const bytes = r.subarray(c.ib, c.ib + c.cb);
      const inline = FIXED_INLINE.has(type) || FIXED_8.has(type) || c.cb !== 4;
      return { id, type, ref: inline ? { kind: 'inline', bytes } : hnidRef(bytes.readUInt32LE(0)) };
    }
    return undefined;
  }
}

/** Splits the row matrix (given as its data blocks) into rows; rows never span blocks ([MS-PST] 2.3.4.4). */
export function tableRows(info: TableInfo, matrix: Buffer[]): Row[] {
  const byId = new Map<number, TcColumn[]>();
  for (const c of info.columns) {
    const id = c.tag >>> 16;
    const list = byId.get(id);
    if (list) list.push(c);
    else byId.set(id, [c]);
  }
  const rows: Row[] = [];
  const limit = info.rowCount ?? Number.POSITIVE_INFINITY;
  for (const block of matrix) {
    for (let o = 0; o + info.rowSize <= block.length && rows.length < limit; o += info.rowSize) {
      rows.push(new Row(block.subarray(o, o + info.rowSize), info, byId));
    }
  }
  return rows;
}
