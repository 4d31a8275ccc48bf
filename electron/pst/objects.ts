import { type Heap, LtpError, parseHeap, propertyContext, tableInfo, tableRows, type PropEntry, type Row, type TableInfo } from './ltp.ts';
import type { NodeData, NodeReader } from './nodes.ts';
import { decodeValue, type PropValue } from './props.ts';

// Property contexts and tables bound to their node, so values stored in the heap or in subnodes resolve the same way.

export class PropBag {
  constructor(
    readonly node: NodeData,
    private readonly heap: Heap,
    readonly props: Map<number, PropEntry>,
    private readonly reader: NodeReader,
    private readonly codepage: number,
  ) {}

  /** Raw bytes of a property (heap or subnode); null when absent or unreadable. */
  async bytes(id: number): Promise<Buffer | null> {
    const e = this.props.get(id);
    return e ? valueBytes(e, this.heap, this.node, this.reader) : null;
  }

  async get(id: number): Promise<PropValue> {
    const e = this.props.get(id);
    if (!e) return null;
    const b = await valueBytes(e, this.heap, this.node, this.reader);
    return b ? decodeValue(e.type, b, this.codepage) : null;
  }

  async str(id: number): Promise<string | null> {
    const v = await this.get(id);
    return typeof v === 'string' ? v : null;
  }

  async num(id: number): Promise<number | null> {
    const v = await this.get(id);
    return typeof v === 'number' ? v : null;
  }

  async date(id: number): Promise<Date | null> {
    const v = await this.get(id);
    return v instanceof Date ? v : null;
  }
}

async function valueBytes(e: PropEntry, heap: Heap, node: NodeData, reader: NodeReader): Promise<Buffer | null> {
  try {
    if (e.ref.kind === 'inline') return e.ref.bytes;
    if (e.ref.kind === 'hid') return e.ref.hid === 0 ? Buffer.alloc(0) : heap.get(e.ref.hid);
    const sub = node.subnodes.get(e.ref.nid);
    if (!sub) return null;
    const d = await reader.data(sub.bidData);
    node.damage.push(...d.damage);
    return Buffer.concat(d.blocks);
  } catch (err) {
    if (err instanceof LtpError) return null;
    throw err;
  }
}

export function openPropBag(node: NodeData, reader: NodeReader, codepage = 1252): PropBag {
  const heap = parseHeap(node.blocks);
  return new PropBag(node, heap, propertyContext(heap), reader, codepage);
}

export interface TableView {
  rows: Row[];
  value(row: Row, id: number): Promise<PropValue>;
}

/**
 * The row matrix of a table context: in its heap, or in a subnode ([MS-PST] 2.3.4.4.1); damage met reading the
 * subnode goes to the node's damage list. Throws LtpError when the subnode is missing.
 */
export async function rowMatrix(node: NodeData, heap: Heap, info: TableInfo, reader: NodeReader): Promise<Buffer[]> {
  if (info.rows?.kind === 'hid') return [heap.get(info.rows.hid)];
  if (info.rows?.kind !== 'subnode') return [];
  const sub = node.subnodes.get(info.rows.nid);
  if (!sub) throw new LtpError('table-context', `row matrix subnode 0x${info.rows.nid.toString(16)} is missing`);
  const d = await reader.data(sub.bidData);
  node.damage.push(...d.damage);
  return d.blocks;
}

/** Opens a table context; throws LtpError when its structure is unusable. */
export async function openTable(node: NodeData, reader: NodeReader, ansi: boolean, codepage = 1252): Promise<TableView> {
  const heap = parseHeap(node.blocks);
  const info = tableInfo(heap, ansi);
  const rows = tableRows(info, await rowMatrix(node, heap, info, reader));
  return {
    rows,
    async value(row, id) {
      const e = row.get(id);
      if (!e) return null;
      const b = await valueBytes(e, heap, node, reader);
      return b ? decodeValue(e.type, b, codepage) : null;
    },
  };
}
