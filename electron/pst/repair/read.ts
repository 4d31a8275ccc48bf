import { hex } from '../layout.ts';
import { hnidRef, LtpError, parseHeap, propertyContext, TAG_ROW_ID, tableInfo, type Heap, type PropValueRef } from '../ltp.ts';
import type { NodeData, NodeReader, SubnodeRef } from '../nodes.ts';
import { rowMatrix } from '../objects.ts';

// Reads objects of the source store as stored: every property of a property context and every cell of a table as
// (tag, raw bytes), nothing decoded. Values kept in subnodes are handed over as references, so the copier can stream
// them; everything else is small (heap allocations ≤ 3,580 bytes). Structures that cannot be parsed throw LtpError.

/** A value as stored: bytes, or the subnode that holds them, or why it cannot be read. */
export type RawValue = { bytes: Buffer } | { subnode: SubnodeRef; nid: number } | { unreadable: string };

export interface RawProp {
  id: number;
  type: number;
  value: RawValue;
}

function resolve(ref: PropValueRef, heap: Heap, node: NodeData): RawValue {
  if (ref.kind === 'inline') return { bytes: ref.bytes };
  if (ref.kind === 'hid') {
    if (ref.hid === 0) return { bytes: Buffer.alloc(0) };
    try {
      return { bytes: heap.get(ref.hid) };
    } catch (err) {
      if (err instanceof LtpError) return { unreadable: err.message };
      throw err;
    }
  }
  const sub = node.subnodes.get(ref.nid);
  return sub ? { subnode: sub, nid: ref.nid } : { unreadable: `its subnode ${hex(ref.nid)} is missing` };
}

/** Every property of the node's property context. Throws LtpError when the PC itself is unusable. */
export function readProps(node: NodeData): RawProp[] {
  const heap = parseHeap(node.blocks);
  const pc = propertyContext(heap);
  return [...pc.values()].map((e) => ({ id: e.id, type: e.type, value: resolve(e.ref, heap, node) }));
}

export interface RawRow {
  rowId: number;
  /** Cells whose existence bit is set, by column tag. */
  cells: Map<number, RawValue>;
}

export interface RawTable {
  columns: number[];
  rows: RawRow[];
}

/**
 * Every row of a table context with every cell that exists ([MS-PST] 2.3.4.4: cells by column offset, existence
 * by the CEB bit). Throws LtpError when the table's structure is unusable.
 */
export async function readTable(node: NodeData, reader: NodeReader, ansi: boolean): Promise<RawTable> {
  const heap = parseHeap(node.blocks);
  const info = tableInfo(heap, ansi);
  const matrix = await rowMatrix(node, heap, info, reader);
  const rows: RawRow[] = [];
  const limit = info.rowCount ?? Number.POSITIVE_INFINITY;
  for (const block of matrix) {
    for (let o = 0; o + info.rowSize <= block.length && rows.length < limit; o += info.rowSize) {
      const r = block.subarray(o, o + info.rowSize);
      const cells = new Map<number, RawValue>();
      let rowId = -1;
      for (const c of info.columns) {
        const bit = info.cebOffset + (c.iBit >>> 3);
        if (bit >= r.length || (r[bit]! & (0x80 >>> (c.iBit & 7))) === 0) continue;
        const bytes = r.subarray(c.ib, c.ib + c.cb);
        if (c.tag === TAG_ROW_ID) rowId = bytes.readUInt32LE(0);
        // Fixed-size cells hold their value; a 4-byte cell of a variable-size type holds an HNID.
        // A view, not a copy: the row matrix is this read's own memory (see ScratchArena for who may reuse it).
        cells.set(c.tag, isVariable(c.tag & 0xffff) && c.cb === 4 ? resolve(hnidRef(bytes.readUInt32LE(0)), heap, node) : { bytes });
      }
      if (rowId >= 0) rows.push({ rowId, cells });
    }
  }
  return { columns: info.columns.map((c) => c.tag), rows };
}

/** Types stored by HNID in a table cell (everything that is not a fixed-size value of ≤ 8 bytes). */
export function isVariable(type: number): boolean {
  return ![0x0002, 0x0003, 0x0004, 0x0005, 0x0006, 0x0007, 0x000a, 0x000b, 0x0014, 0x0040].includes(type);
}

/** Every node has a data block; block id 0 is none (the scan reports it as a reference to a missing block). */
export const NO_DATA_BLOCK = 'block 0x0: a subnode without a data block';

/** A subnode-held value read whole (for values that must be converted, and table cells). */
export async function readWhole(reader: NodeReader, v: RawValue, cap = 64 << 20): Promise<{ bytes: Buffer } | { unreadable: string }> {
  if ('bytes' in v || 'unreadable' in v) return v;
  if (v.subnode.bidData === 0) return { unreadable: NO_DATA_BLOCK };
  const damage: { bid: number; detail: string }[] = [];
  const parts: Buffer[] = [];
  let total = 0;
  let tooLarge = false;
  await reader.forEachBlock(v.subnode.bidData, damage, {}, (b) => {
    total += b.length;
    if (total > cap) {
      tooLarge = true;
      return false;
    }
    parts.push(b);
    return true;
  });
  if (tooLarge) return { unreadable: `value larger than ${cap} bytes` };
  if (damage.length > 0) return { unreadable: `block ${hex(damage[0]!.bid)}: ${damage[0]!.detail}` };
  return { bytes: Buffer.concat(parts) };
}
