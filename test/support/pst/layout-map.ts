import { parseInternalBlock } from '../../../electron/pst/block.ts';
import { parseHeader, type PstHeader } from '../../../electron/pst/header.ts';
import { isInternalBid } from '../../../electron/pst/index.ts';
import { readId } from '../../../electron/pst/layout.ts';
import { btPageHeader, readBtEntries } from '../../../electron/pst/page.ts';

// Locates structures inside an intact store (held in memory: fixtures are ≤ 4 MB) so the corruption generator can
// damage exactly one kind of structure at a time.

export interface PageInfo {
  tree: 'nbt' | 'bbt';
  ib: number;
  bid: number;
  level: number;
  parentIb: number | null;
}

export interface BlockInfo {
  bid: number;
  ib: number;
  cb: number;
  internal: boolean;
  kind: 'data' | 'x' | 'sl' | 'si' | 'other';
}

export interface NodeInfo {
  nid: number;
  bidData: number;
  bidSub: number;
  /** File offsets of the NBT leaf page that lists the node, and of its entry there. */
  pageIb: number;
  entryIb: number;
}

export interface StoreMap {
  header: PstHeader;
  pages: PageInfo[];
  blocks: BlockInfo[];
  nodes: NodeInfo[];
}

export function mapStore(buf: Buffer): StoreMap {
  const parsed = parseHeader(buf.subarray(0, 564));
  if (!parsed.ok) throw new Error(parsed.reason);
  const h = parsed.header;
  const l = h.layout;
  const pages: PageInfo[] = [];
  const blocks: BlockInfo[] = [];
  const nodes: NodeInfo[] = [];
  const walk = (tree: 'nbt' | 'bbt', ib: number, bid: number, parentIb: number | null, depth: number) => {
    if (depth > 8) throw new Error('tree too deep');
    const page = buf.subarray(ib, ib + l.pageSize);
    const hd = btPageHeader(page, l);
    pages.push({ tree, ib, bid, level: hd.cLevel, parentIb });
    if (hd.cLevel > 0) {
      for (const r of readBtEntries(page, l, hd.cEnt, hd.cbEnt)) walk(tree, r.ib, r.bid, ib, depth + 1);
    } else if (tree === 'nbt') {
      for (let i = 0; i < hd.cEnt; i++) {
        const o = i * hd.cbEnt;
        nodes.push({ nid: page.readUInt32LE(o), bidData: readId(page, o + l.id, l.id), bidSub: readId(page, o + 2 * l.id, l.id), pageIb: ib, entryIb: ib + o });
      }
    } else {
      for (let i = 0; i < hd.cEnt; i++) {
        const o = i * hd.cbEnt;
        const b = readId(page, o, l.id);
        const bib = readId(page, o + l.id, l.id);
        const cb = page.readUInt16LE(o + 2 * l.id);
        const internal = isInternalBid(b);
        let kind: BlockInfo['kind'] = 'data';
        if (internal) {
          const p = parseInternalBlock(buf.subarray(bib, bib + cb), l);
          kind = p.kind === 'bad' ? 'other' : p.kind;
        }
        blocks.push({ bid: b, ib: bib, cb, internal, kind });
      }
    }
  };
  walk('nbt', h.nbt.ib, h.nbt.bid, null, 0);
  walk('bbt', h.bbt.ib, h.bbt.bid, null, 0);
  return { header: h, pages, blocks, nodes };
}
