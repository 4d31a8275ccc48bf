import { parseInternalBlock } from '../../../electron/pst/block.ts';
import { decodeBlock, encodeBlock } from '../../../electron/pst/crypt.ts';
import { readId, ROOT_FIELD, rootFieldOff, writeId, type Layout } from '../../../electron/pst/layout.ts';
import { fixBlockCrc, fixHeaderCrcs, fixPageCrc, prng } from './corrupt.ts';
import { mapStore, type BlockInfo, type StoreMap } from './layout-map.ts';

// Field-aware damage for the fuzz tool: instead of random bytes, one named field of the header, a B-tree page, a heap,
// BTH, table or internal block is set to a boundary value (0, all ones, one off, another block's id) and the CRC is
// re-sealed. Random bytes rarely land on a count or an offset; these do every time, so the parsers' bounds checks are
// what gets tested.

interface Field {
  at: number;
  width: 1 | 2 | 4 | 8;
}

type Rnd = () => number;

const pickOf = <T>(rnd: Rnd, xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!;

function readField(b: Buffer, f: Field): number {
  return f.width === 1 ? b[f.at]! : f.width === 2 ? b.readUInt16LE(f.at) : f.width === 4 ? b.readUInt32LE(f.at) : readId(b, f.at, 8);
}

function writeField(b: Buffer, f: Field, v: number): void {
  const max = f.width === 8 ? Number.MAX_SAFE_INTEGER : 2 ** (8 * f.width) - 1;
  const x = Math.max(0, Math.min(max, Math.floor(v)));
  if (f.width === 1) b[f.at] = x;
  else if (f.width === 2) b.writeUInt16LE(x, f.at);
  else if (f.width === 4) b.writeUInt32LE(x >>> 0, f.at);
  else writeId(b, f.at, x, 8);
}

/** A boundary value for a field: zero, all ones, one off, a bit flipped, a small or a random number, or `other`. */
function boundary(rnd: Rnd, was: number, width: Field['width'], other?: () => number): number {
  const max = width === 8 ? 0xffffffff : 2 ** (8 * width) - 1;
  const choices = [0, max, was + 1, was - 1, was ^ (1 << Math.floor(rnd() * Math.min(31, 8 * width))), Math.floor(rnd() * 64), Math.floor(rnd() * max), was * 2];
  if (other) choices.push(other(), other());
  return pickOf(rnd, choices);
}

/** The fields of a heap's first block ([MS-PST] 2.3.1): header, page map, and the user root's BTH or table header. */
function heapFields(d: Buffer): Field[] {
  const f: Field[] = [{ at: 0, width: 2 }, { at: 4, width: 4 }];
  const ibHnpm = d.readUInt16LE(0);
  if (ibHnpm + 4 > d.length) return f;
  const cAlloc = d.readUInt16LE(ibHnpm);
  f.push({ at: ibHnpm, width: 2 }, { at: ibHnpm + 2, width: 2 });
  const offs: number[] = [];
  for (let i = 0; i <= cAlloc && ibHnpm + 4 + 2 * i + 2 <= d.length; i++) {
    f.push({ at: ibHnpm + 4 + 2 * i, width: 2 });
    offs.push(d.readUInt16LE(ibHnpm + 4 + 2 * i));
  }
  const alloc = (hid: number): [number, number] | null => {
    const k = (hid >>> 5) & 0x7ff;
    if ((hid & 0x1f) !== 0 || hid >>> 16 !== 0 || k < 1 || k >= offs.length) return null;
    const [a, b] = [offs[k - 1]!, offs[k]!];
    return a < b && b <= d.length ? [a, b] : null;
  };
  const root = alloc(d.readUInt32LE(4));
  if (!root) return f;
  const [a, b] = root;
  const client = d[3];
  if ((client === 0xbc || client === 0xb5) && b - a >= 8) {
    f.push({ at: a, width: 1 }, { at: a + 1, width: 1 }, { at: a + 2, width: 1 }, { at: a + 3, width: 1 }, { at: a + 4, width: 4 });
    const recs = alloc(d.readUInt32LE(a + 4));
    const rec = d[a + 1]! + d[a + 2]!;
    if (recs && rec > 0) {
      for (let r = recs[0]; r + rec <= recs[1]; r += rec) {
        f.push({ at: r, width: 2 }, { at: r + 2, width: 2 });
        if (rec >= 8) f.push({ at: r + 4, width: 4 });
      }
    }
  } else if (client === 0x7c && b - a >= 22) {
    f.push({ at: a + 1, width: 1 });
    for (let i = 0; i < 4; i++) f.push({ at: a + 2 + 2 * i, width: 2 });
    f.push({ at: a + 10, width: 4 }, { at: a + 14, width: 4 }, { at: a + 18, width: 4 });
    for (let c = a + 22; c + 8 <= b; c += 8) f.push({ at: c, width: 4 }, { at: c + 4, width: 2 }, { at: c + 6, width: 1 }, { at: c + 7, width: 1 });
  }
  return f;
}

/** The fields of an internal block ([MS-PST] 2.2.2.8.3): type, level, count, total size and every entry's ids. */
function internalFields(d: Buffer, id: 4 | 8): Field[] {
  const w = id;
  const f: Field[] = [{ at: 0, width: 1 }, { at: 1, width: 1 }, { at: 2, width: 2 }];
  if (d[0] === 0x01) {
    f.push({ at: 4, width: 4 });
    for (let at = 8; at + w <= d.length; at += w) f.push({ at, width: w });
  } else {
    const start = w === 8 ? 8 : 4;
    const entry = d[1] === 0 ? 3 * w : 2 * w;
    for (let at = start; at + entry <= d.length; at += entry) for (let k = 0; k < entry; k += w) f.push({ at: at + k, width: w });
  }
  return f;
}

/**
 * Sets 1–3 fields of random heaps (`ltp`) or internal blocks (`ndb`) to boundary values, re-encoding and re-sealing
 * each block: every CRC holds, only the layer that reads the field can tell.
 */
export function sealedFieldDamage(buf: Buffer, seed: number, layer: 'ltp' | 'ndb'): Buffer {
  const m: StoreMap = mapStore(buf);
  const l = m.header.layout;
  const rnd = prng(seed);
  const c = Buffer.from(buf);
  const decoded = (blk: BlockInfo) => (blk.internal ? Buffer.from(c.subarray(blk.ib, blk.ib + blk.cb)) : decodeBlock(c.subarray(blk.ib, blk.ib + blk.cb), m.header.crypt, blk.bid));
  const targets = m.blocks.filter((blk) => {
    if (blk.cb < 8) return false;
    if (layer === 'ndb') return blk.internal && blk.kind !== 'other';
    if (blk.internal) return false;
    const d = decoded(blk);
    return d[2] === 0xec && d.readUInt16LE(0) < d.length;
  });
  if (targets.length === 0) throw new Error(`store has no ${layer} blocks to damage`);
  const otherBid = () => pickOf(rnd, m.blocks).bid;
  for (let n = 1 + Math.floor(rnd() * 3); n > 0; n--) {
    const blk = pickOf(rnd, targets);
    const d = decoded(blk);
    const fields = layer === 'ltp' ? heapFields(d) : internalFields(d, l.id);
    const f = pickOf(rnd, fields);
    writeField(d, f, boundary(rnd, readField(d, f), f.width, f.width >= 4 ? otherBid : undefined));
    (blk.internal ? d : encodeBlock(d, m.header.crypt, blk.bid)).copy(c, blk.ib);
    fixBlockCrc(c, l, blk.ib, blk.cb);
  }
  return c;
}

/** The fields of a B-tree page ([MS-PST] 2.2.2.7.7): counts, entry size, level, every entry's ids and sizes. */
function pageFields(l: Layout, page: Buffer, ib: number): Field[] {
  const w = l.cEntWidth as 1 | 2;
  const f: Field[] = [{ at: ib + l.cEntOff, width: w }, { at: ib + l.cEntMaxOff, width: w }, { at: ib + l.cbEntOff, width: 1 }, { at: ib + l.cLevelOff, width: 1 }, { at: ib + l.ptypeOff, width: 1 }, { at: ib + l.pageBidOff, width: l.id }];
  const cEnt = w === 2 ? page.readUInt16LE(l.cEntOff) : page[l.cEntOff]!;
  const cbEnt = page[l.cbEntOff]!;
  for (let i = 0; i < cEnt && cbEnt > 0 && (i + 1) * cbEnt <= l.btEntriesLen; i++) {
    for (let k = 0; k + l.id <= cbEnt; k += l.id) f.push({ at: ib + i * cbEnt + k, width: l.id });
    // A BBT leaf entry's cb and cRef follow its BREF.
    if (page[l.cLevelOff] === 0 && cbEnt === l.bbtEntrySize) f.push({ at: ib + i * cbEnt + 2 * l.id, width: 2 }, { at: ib + i * cbEnt + 2 * l.id + 2, width: 2 });
  }
  return f;
}

/**
 * Sets 1–3 fields of the header's ROOT and allocation counters (`header`), or of random B-tree pages (`pages`), to
 * boundary values, re-sealing the header's or the page's CRC.
 */
export function sealedMetaDamage(buf: Buffer, seed: number, where: 'header' | 'pages'): Buffer {
  const m: StoreMap = mapStore(buf);
  const l = m.header.layout;
  const rnd = prng(seed);
  const c = Buffer.from(buf);
  const refs: { bid: number; ib: number }[] = [...m.blocks, ...m.pages];
  const otherBid = () => pickOf(rnd, refs).bid;
  const otherIb = () => pickOf(rnd, refs).ib;
  for (let n = 1 + Math.floor(rnd() * 3); n > 0; n--) {
    if (where === 'header') {
      const root = (Object.keys(ROOT_FIELD) as (keyof typeof ROOT_FIELD)[]).map((k) => ({ at: rootFieldOff(l, k), width: k === 'fAMapValid' ? 1 : l.id }) as Field);
      const counters: Field[] = [{ at: l.header.bidNextB, width: l.id }, { at: l.header.bidNextP, width: l.id }, { at: l.header.dwUnique, width: 4 }];
      for (let i = 0; i < 32; i++) counters.push({ at: l.header.rgnid + 4 * i, width: 4 });
      const f = pickOf(rnd, [...root, ...root, ...counters]);
      writeField(c, f, boundary(rnd, readField(c, f), f.width, rnd() < 0.5 ? otherBid : otherIb));
      fixHeaderCrcs(c, l);
    } else {
      const p = pickOf(rnd, m.pages);
      const f = pickOf(rnd, pageFields(l, c.subarray(p.ib, p.ib + l.pageSize), p.ib));
      writeField(c, f, boundary(rnd, readField(c, f), f.width, rnd() < 0.5 ? otherBid : otherIb));
      fixPageCrc(c, l, p.ib);
    }
  }
  return c;
}

/** The data blocks of a node: its data tree and every subnode's, found through the XBLOCKs and SLBLOCKs/SIBLOCKs. */
function dataBlocksOf(buf: Buffer, m: StoreMap, roots: number[]): BlockInfo[] {
  const byKey = new Map(m.blocks.map((b) => [b.bid - (b.bid % 2), b]));
  const out: BlockInfo[] = [];
  const seen = new Set<number>();
  const visit = (bid: number, depth: number) => {
    const b = byKey.get(bid - (bid % 2));
    if (!b || seen.has(b.bid) || depth > 8) return;
    seen.add(b.bid);
    if (!b.internal) {
      out.push(b);
      return;
    }
    const p = parseInternalBlock(buf.subarray(b.ib, b.ib + b.cb), m.header.layout);
    if (p.kind === 'x') for (const c of p.x.bids) visit(c, depth + 1);
    else if (p.kind === 'sl') for (const e of p.entries) [e.bidData, e.bidSub].forEach((c) => visit(c, depth + 1));
    else if (p.kind === 'si') for (const r of p.refs) visit(r.bid, depth + 1);
  };
  for (const r of roots) visit(r, 0);
  return out;
}

/**
 * Sets 1–6 aligned 16- or 32-bit words inside one node's data (the name-to-id map, 0x61, for `nameid`; a random
 * message for `message`) to boundary values, re-encoding and re-sealing each block. The map's records and a
 * message's heap, tables and values are all arrays of such words, so each edit lands on a count, an index or an id.
 */
export function sealedNodeWords(buf: Buffer, seed: number, which: 'nameid' | 'message'): Buffer {
  const m: StoreMap = mapStore(buf);
  const rnd = prng(seed);
  const candidates = m.nodes.filter((n) => (which === 'nameid' ? n.nid === 0x61 : (n.nid & 0x1f) === 0x04));
  if (candidates.length === 0) throw new Error(`store has no ${which} node`);
  const node = pickOf(rnd, candidates);
  const blocks = dataBlocksOf(buf, m, [node.bidData, node.bidSub]).filter((b) => b.cb >= 4);
  if (blocks.length === 0) throw new Error(`node ${node.nid.toString(16)} has no data blocks`);
  const c = Buffer.from(buf);
  for (let n = 1 + Math.floor(rnd() * 6); n > 0; n--) {
    const blk = pickOf(rnd, blocks);
    const d = decodeBlock(c.subarray(blk.ib, blk.ib + blk.cb), m.header.crypt, blk.bid);
    const width = rnd() < 0.5 ? 2 : 4;
    const f: Field = { at: 2 * Math.floor((rnd() * (d.length - width)) / 2), width };
    writeField(d, f, boundary(rnd, readField(d, f), f.width));
    encodeBlock(d, m.header.crypt, blk.bid).copy(c, blk.ib);
    fixBlockCrc(c, m.header.layout, blk.ib, blk.cb);
  }
  return c;
}

/** The node ids a node's subnode tree holds (its attachments, recipient and attachment tables, embedded messages). */
function subnodeIdsOf(buf: Buffer, m: StoreMap, bidSub: number): number[] {
  const byKey = new Map(m.blocks.map((b) => [b.bid - (b.bid % 2), b]));
  const out: number[] = [];
  const seen = new Set<number>();
  const visit = (bid: number, depth: number) => {
    const b = byKey.get(bid - (bid % 2));
    if (!b || !b.internal || seen.has(b.bid) || depth > 8) return;
    seen.add(b.bid);
    const p = parseInternalBlock(buf.subarray(b.ib, b.ib + b.cb), m.header.layout);
    if (p.kind === 'sl') for (const e of p.entries) out.push(e.nid);
    else if (p.kind === 'si') for (const r of p.refs) visit(r.bid, depth + 1);
  };
  if (bidSub) visit(bidSub, 0);
  return out;
}

/**
 * Re-points node ids stored inside tables, with every CRC re-sealed: in a folder's hierarchy, contents or FAI table
 * (the rows' ids) or in a message (its attachment table's rows, an embedded message's id), 1–3 ids are set to another
 * node's: the table's own folder, an ancestor, the root, a folder where a message belongs or a message where a folder
 * does, another row (a duplicate), the table node itself, or an id no node has. Either every copy of the id in that
 * node changes (the row matrix and its index agree, as a well-formed but wrong link) or only one. The walk must
 * neither loop nor copy an item twice nor take a folder for a message.
 */
export function sealedNidLinks(buf: Buffer, seed: number): Buffer {
  const m: StoreMap = mapStore(buf);
  const rnd = prng(seed);
  const c = Buffer.from(buf);
  const known = new Set(m.nodes.map((n) => n.nid));
  const folders = m.nodes.filter((n) => (n.nid & 0x1f) === 0x02).map((n) => n.nid);
  const messages = m.nodes.filter((n) => (n.nid & 0x1f) === 0x04).map((n) => n.nid);
  const targets = m.nodes.filter((n) => [0x0d, 0x0e, 0x0f].includes(n.nid & 0x1f) || ((n.nid & 0x1f) === 0x04 && n.bidSub !== 0));
  if (targets.length === 0 || folders.length === 0) throw new Error('store has no tables to re-link');
  // Tables without a row (an empty folder, a message with no attachment) hold no id: a few tries find one that does.
  for (let n = 1 + Math.floor(rnd() * 3), tries = 0; n > 0 && tries < 50; tries++) {
    const node = pickOf(rnd, targets);
    const subs = (node.nid & 0x1f) === 0x04 ? subnodeIdsOf(c, m, node.bidSub) : [];
    const linkable = new Set([...known, ...subs]);
    const blocks = dataBlocksOf(c, m, (node.nid & 0x1f) === 0x04 ? [node.bidData, node.bidSub] : [node.bidData]).filter((b) => b.cb >= 4);
    const hits: { blk: BlockInfo; at: number; nid: number }[] = [];
    for (const blk of blocks) {
      const d = decodeBlock(c.subarray(blk.ib, blk.ib + blk.cb), m.header.crypt, blk.bid);
      for (let at = 0; at + 4 <= d.length; at += 2) {
        const v = d.readUInt32LE(at);
        if (v !== 0 && linkable.has(v)) hits.push({ blk, at, nid: v });
      }
    }
    if (hits.length === 0) continue;
    const hit = pickOf(rnd, hits);
    const own = (node.nid & ~0x1f) | 0x02;
    const choices = [own, 0x122, pickOf(rnd, folders), pickOf(rnd, hits).nid, node.nid, 0x7ffffc00 | (hit.nid & 0x1f)];
    if (messages.length > 0) choices.push(pickOf(rnd, messages));
    if (subs.length > 0) choices.push(pickOf(rnd, subs));
    const to = pickOf(rnd, choices) >>> 0;
    n--;
    const every = rnd() < 0.5;
    for (const h of every ? hits.filter((x) => x.nid === hit.nid) : [hit]) {
      const d = decodeBlock(c.subarray(h.blk.ib, h.blk.ib + h.blk.cb), m.header.crypt, h.blk.bid);
      d.writeUInt32LE(to, h.at);
      encodeBlock(d, m.header.crypt, h.blk.bid).copy(c, h.blk.ib);
      fixBlockCrc(c, m.header.layout, h.blk.ib, h.blk.cb);
    }
  }
  return c;
}
