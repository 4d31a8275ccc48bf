import type { NdbWriter, SubnodeRef } from './ndb.ts';
import { buildBth, CLIENT_SIG, HeapBuilder, HN_MAX_ALLOC, reserveBthHeader, type BthRecord } from './heap.ts';
import { fixedSize, isStream, propType, type Prop, type RawValue } from './props.ts';

// Property contexts ([MS-PST] 2.3.3) and table contexts ([MS-PST] 2.3.4) written as one node each. Values that do
// not fit a heap allocation go to subnodes of that node; a NodeBuilder owns one node's subnode tree.

const NID_TYPE_LTP = 0x1f;
export const TAG_ROW_ID = 0x67f20003;
export const TAG_ROW_VER = 0x67f30003;

export class NodeBuilder {
  private readonly subs: SubnodeRef[] = [];
  private nextLocal = 0x100;

  constructor(private readonly ndb: NdbWriter) {}

  /** Adds a finished child node (attachment, recipient table, …) to this node's subnode tree. */
  addSubnode(ref: SubnodeRef): void {
    this.subs.push(ref);
  }

  /** Writes a large value into its own subnode and returns that subnode's NID (an HNID with nidType ≠ 0). */
  spill(value: RawValue): number {
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
    if (!isStream(value) && value.length <= HN_MAX_ALLOC) return value.length === 0 ? 0 : heap.alloc(value);
    return this.spill(value);
  }

  writePc(props: Prop[]): number {
    const heap = new HeapBuilder(CLIENT_SIG.PC, this.ndb.g.pageDataMax);
    const header = reserveBthHeader(heap);
    const records: BthRecord[] = [];
    for (const p of [...props].sort((a, b) => (a.tag >>> 16) - (b.tag >>> 16))) {
      const type = propType(p.tag);
      const size = fixedSize(type);
      const data = Buffer.alloc(6);
      data.writeUInt16LE(type, 0);
      if (size !== null && size <= 4) {
        if (isStream(p.value)) throw new Error('fixed-size property given a stream');
        p.value.copy(data, 2, 0, size);
      } else {
        data.writeUInt32LE(this.hnid(heap, p.value), 2);
      }
      const key = Buffer.alloc(2);
      key.writeUInt16LE(p.tag >>> 16);
      records.push({ key, data });
    }
    heap.setRoot(buildBth(heap, 2, 6, records, header));
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
    const others = columns.filter((t) => t !== TAG_ROW_ID && t !== TAG_ROW_VER);
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
      for (const [t, v] of row.values) {
        const c = cols.get(t);
        if (!c || t === TAG_ROW_ID || t === TAG_ROW_VER) continue;
        if (fixedSize(propType(t)) !== null) {
          if (isStream(v)) throw new Error('fixed-size cell given a stream');
          v.copy(matrix, base + c.ib, 0, c.cb);
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
    const index: BthRecord[] = rows
      .map((row, r) => ({ id: row.rowId >>> 0, r }))
      .sort((a, b) => a.id - b.id)
      .map(({ id, r }) => {
        const key = Buffer.alloc(4);
        key.writeUInt32LE(id);
        const data = Buffer.alloc(idxSize);
        if (idxSize === 4) data.writeUInt32LE(r);
        else data.writeUInt16LE(r);
        return { key, data };
      });
    const hidRowIndex = buildBth(heap, 4, idxSize, index, indexHeader);

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
