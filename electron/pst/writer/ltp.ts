import type { NdbWriter, SubnodeRef } from './ndb.ts';
import { buildBthFlat, CLIENT_SIG, HeapBuilder, HN_MAX_ALLOC, reserveBthHeader } from './heap.ts';
import { fixedSize, isStream, isSubnode, propId, propType, type Prop, type RawValue, type SubnodeValue } from './props.ts';

// Property contexts ([MS-PST] 2.3.3) and table contexts ([MS-PST] 2.3.4) written as one node each. Values that do
// not fit a heap allocation go to subnodes of that node; a NodeBuilder owns one node's subnode tree. Any property
// type is written: fixed-size values of up to 4 bytes sit in the PC record itself, all others are stored by HNID
// (heap allocation or subnode) exactly as given, so multi-valued, GUID, object and binary values keep their bytes.

/** A large value written into its own subnode as its pieces arrive (see NodeBuilder.valueSink). */
export interface ValueSink {
  /** `crc`: the chunk's PST CRC when known (see DataSink.write). */
  write(chunk: Uint8Array, crc?: number): void;
  /** The value's subnode, to be given as the property's value. */
  end(): SubnodeValue;
  /** Forgets the blocks written so far (nothing else may have been written to the store since the sink opened). */
  abort(): void;
}

const NID_TYPE_LTP = 0x1f;
export const TAG_ROW_ID = 0x67f20003;
export const TAG_ROW_VER = 0x67f30003;

export class NodeBuilder {
  private readonly subs: SubnodeRef[] = [];
  private nextLocal = 0x100;

  constructor(readonly ndb: NdbWriter) {}

  /** Adds a finished child node (attachment, recipient table, …) to this node's subnode tree. */
  addSubnode(ref: SubnodeRef): void {
    this.subs.push(ref);
  }

  /**
   * A large value streamed into a subnode of this node, piece by piece, with bounded memory (`encoded`: pieces
   * already in this store's permutative encoding, see NdbWriter.sink).
   */
  valueSink(encoded = false): ValueSink {
    const sp = this.ndb.savepoint();
    const data = this.ndb.sink(encoded);
    return {
      write: (c, crc) => data.write(c, crc),
      end: () => {
        const nid = ((this.nextLocal++ << 5) | NID_TYPE_LTP) >>> 0;
        this.subs.push({ nid, bidData: data.end(), bidSub: 0 });
        return { subnode: nid };
      },
      abort: () => {
        data.done();
        this.ndb.rollback(sp);
      },
    };
  }

  /** Writes a large value into its own subnode and returns that subnode's NID (an HNID with nidType ≠ 0). */
  spill(value: RawValue): number {
    if (isSubnode(value)) return value.subnode;
    const nid = ((this.nextLocal++ << 5) | NID_TYPE_LTP) >>> 0;
    const max = this.ndb.g.blockDataMax;
    const bidData = isStream(value)
      ? this.ndb.writeDataStream(value.chunks, (i) => value.chunk(i))
      : this.ndb.writeData(chunk(value, max));
    this.subs.push({ nid, bidData, bidSub: 0 });
    return nid;
  }

  /** Stores a variable-size value in the heap or, when too big, in a subnode; returns the HNID. */
  private hnid(heap: HeapBuilder, value: RawValue): number {
    if (isSubnode(value)) return value.subnode;
    // An empty value gets an empty heap allocation, as Outlook writes it (pst-extractor cannot resolve HNID 0).
    if (!isStream(value) && value.length <= HN_MAX_ALLOC) return heap.alloc(value);
    return this.spill(value);
  }

  /** Writes a property context; one property per id (the last one given wins). */
  writePc(props: Prop[]): number {
    const heap = new HeapBuilder(CLIENT_SIG.PC, this.ndb.g.pageDataMax);
    const header = reserveBthHeader(heap);
    const byId = new Map<number, Prop>();
    for (const p of props) byId.set(propId(p.tag), p);
    const sorted = [...byId.values()].sort((a, b) => propId(a.tag) - propId(b.tag));
    // BTH records (key: the property id; data: type and 4 value bytes or HNID), end to end in one buffer.
    const records = Buffer.alloc(sorted.length * 8);
    sorted.forEach((p, i) => {
      const at = i * 8;
      const type = propType(p.tag);
      const size = fixedSize(type);
      records.writeUInt16LE(propId(p.tag), at);
      records.writeUInt16LE(type, at + 2);
      if (size !== null && size <= 4) {
        if (!Buffer.isBuffer(p.value)) throw new Error(`fixed-size property 0x${p.tag.toString(16)} given a stream`);
        // The record's 4 value bytes are copied as given (a value read from a store carries all 4).
        p.value.copy(records, at + 4, 0, Math.min(4, p.value.length));
      } else {
        records.writeUInt32LE(this.hnid(heap, p.value), at + 4);
      }
    });
    heap.setRoot(buildBthFlat(heap, 2, 6, records, header));
    return this.ndb.writeData(heap.build());
  }

  /**
   * Writes a TC. `columns` are property tags (row id / row version added automatically); each row maps tag → value
   * and must carry its row id (for contents and hierarchy tables: the child's NID).
   */
  writeTc(columns: number[], rows: { rowId: number; values: Map<number, RawValue> }[]): number {
    const g = this.ndb.g;
    const heap = new HeapBuilder(CLIENT_SIG.TC, g.pageDataMax);
    const indexHeader = reserveBthHeader(heap);
    const others = [...new Set(columns)].filter((t) => t !== TAG_ROW_ID && t !== TAG_ROW_VER);
    const width = (t: number) => fixedSize(propType(t)) ?? 4;
    // Cell layout ([MS-PST] 2.3.4.4.1): row id and version first, then 8/4-byte, 2-byte, 1-byte cells, then the CEB.
    const ordered = [
      TAG_ROW_ID,
      TAG_ROW_VER,
      ...others.filter((t) => width(t) === 8),
      ...others.filter((t) => width(t) === 4),
      ...others.filter((t) => width(t) === 2),
      ...others.filter((t) => width(t) === 1),
    ];
    const cols = new Map<number, { ib: number; cb: number; bit: number }>();
    let ib = 0;
    const ends = [0, 0, 0];
    ordered.forEach((t, bit) => {
      const cb = width(t);
      cols.set(t, { ib, cb, bit });
      ib += cb;
      if (cb >= 4) ends[0] = ib;
      if (cb >= 2) ends[1] = ib;
      ends[2] = ib;
    });
    const tci4 = ends[0]!;
    const tci2 = Math.max(ends[1]!, tci4);
    const tci1 = Math.max(ends[2]!, tci2);
    const rowSize = tci1 + Math.ceil(ordered.length / 8);

    const matrix = Buffer.alloc(rows.length * rowSize);
    rows.forEach((row, r) => {
      const base = r * rowSize;
      const set = (t: number) => {
        const c = cols.get(t)!;
        matrix[base + tci1 + (c.bit >>> 3)]! |= 0x80 >>> (c.bit & 7);
      };
      matrix.writeUInt32LE(row.rowId >>> 0, base);
      set(TAG_ROW_ID);
      set(TAG_ROW_VER);
      const version = row.values.get(TAG_ROW_VER);
      if (Buffer.isBuffer(version)) version.copy(matrix, base + 4, 0, 4);
      for (const [t, v] of row.values) {
        const c = cols.get(t);
        if (!c || t === TAG_ROW_ID || t === TAG_ROW_VER) continue;
        if (fixedSize(propType(t)) !== null) {
          if (!Buffer.isBuffer(v)) throw new Error(`fixed-size cell 0x${t.toString(16)} given a stream`);
          v.copy(matrix, base + c.ib, 0, Math.min(c.cb, v.length));
        } else {
          matrix.writeUInt32LE(this.hnid(heap, v), base + c.ib);
        }
        set(t);
      }
    });

    let hnidRows = 0;
    if (matrix.length > 0 && matrix.length <= HN_MAX_ALLOC) hnidRows = heap.alloc(matrix);
    else if (matrix.length > 0) {
      // Rows never straddle blocks: each row block holds a whole number of rows and every block but the last is
      // padded to the full block size ([MS-PST] 2.3.4.4; pst-extractor counts rows on that assumption).
      const perBlock = Math.floor(g.pageDataMax / rowSize);
      const blocks: Buffer[] = [];
      for (let r = 0; r < rows.length; r += perBlock) {
        const part = matrix.subarray(r * rowSize, Math.min(rows.length, r + perBlock) * rowSize);
        const last = r + perBlock >= rows.length;
        blocks.push(last ? part : Buffer.concat([part, Buffer.alloc(g.pageDataMax - part.length)]));
      }
      const nid = ((this.nextLocal++ << 5) | NID_TYPE_LTP) >>> 0;
      this.subs.push({ nid, bidData: this.ndb.writeData(blocks), bidSub: 0 });
      hnidRows = nid;
    }

    const idxSize = g.layout.id === 8 ? 4 : 2;
    const order = rows.map((row, r) => ({ id: row.rowId >>> 0, r })).sort((a, b) => a.id - b.id);
    const index = Buffer.alloc(order.length * (4 + idxSize));
    order.forEach(({ id, r }, i) => {
      const at = i * (4 + idxSize);
      index.writeUInt32LE(id, at);
      if (idxSize === 4) index.writeUInt32LE(r, at + 4);
      else index.writeUInt16LE(r, at + 4);
    });
    const hidRowIndex = buildBthFlat(heap, 4, idxSize, index, indexHeader);

    const sortedCols = [...cols.entries()].sort((a, b) => (a[0] >>> 16) - (b[0] >>> 16));
    const info = Buffer.alloc(22 + 8 * sortedCols.length);
    info[0] = CLIENT_SIG.TC;
    info[1] = sortedCols.length;
    info.writeUInt16LE(tci4, 2);
    info.writeUInt16LE(tci2, 4);
    info.writeUInt16LE(tci1, 6);
    info.writeUInt16LE(rowSize, 8);
    info.writeUInt32LE(hidRowIndex, 10);
    info.writeUInt32LE(hnidRows, 14);
    info.writeUInt32LE(0, 18);
    sortedCols.forEach(([tag, c], k) => {
      const o = 22 + 8 * k;
      info.writeUInt32LE(tag >>> 0, o);
      info.writeUInt16LE(c.ib, o + 4);
      info[o + 6] = c.cb;
      info[o + 7] = c.bit;
    });
    heap.setRoot(heap.alloc(info));
    return this.ndb.writeData(heap.build());
  }

  /** Writes this node's subnode tree (0 when it has none). */
  finish(): number {
    return this.ndb.writeSubnodes(this.subs);
  }
}

function* chunk(data: Buffer, max: number): Generator<Uint8Array> {
  if (data.length === 0) {
    yield data;
    return;
  }
  for (let i = 0; i < data.length; i += max) yield data.subarray(i, i + max);
}
