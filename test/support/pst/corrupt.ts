import { pstCrc } from '../../../electron/pst/crc.ts';
import { decodeBlock, encodeBlock, type CryptMethod } from '../../../electron/pst/crypt.ts';
import { blockSpan, HEADER_CRC, UNICODE, rootFieldOff, writeId, type Layout } from '../../../electron/pst/layout.ts';
import { isInternalBid } from '../../../electron/pst/index.ts';
import { mapStore, type StoreMap } from './layout-map.ts';

// Deterministic corruption generator: each case damages one kind of structure of an intact store and says what the
// scanner must report. Used by the integration tests on temp copies; never on the shared originals.

export interface Corruption {
  name: string;
  /** Returns the damaged bytes (a new buffer; truncation returns a shorter one). */
  apply(buf: Buffer, map: StoreMap): Buffer;
  /** 'unreadable' only where the file is no longer a PST at all. */
  expectStatus: 'damaged' | 'unreadable';
  /** A problem with one of these structures must be reported. */
  structures: string[];
  /** The damage hits items, so some problem must name affected items. */
  attributed: boolean;
}

function xor(buf: Buffer, at: number, len: number, mask = 0x5a): void {
  for (let i = at; i < at + len && i < buf.length; i++) buf[i] = buf[i]! ^ mask;
}

export function fixPageCrc(buf: Buffer, l: Layout, ib: number): void {
  buf.writeUInt32LE(pstCrc(buf.subarray(ib, ib + l.pageCrcLen)), ib + l.pageCrcOff);
}

export function fixBlockCrc(buf: Buffer, l: Layout, ib: number, cb: number): void {
  const end = ib + blockSpan(l, cb);
  buf.writeUInt32LE(pstCrc(buf.subarray(ib, ib + cb)), l.id === 8 ? end - l.blockTrailer + 4 : end - l.blockTrailer + 8);
}

export function fixHeaderCrcs(buf: Buffer, l: Pick<Layout, 'header'>): void {
  const crc = (len: number) => pstCrc(buf.subarray(HEADER_CRC.from, HEADER_CRC.from + len));
  buf.writeUInt32LE(crc(HEADER_CRC.partialLen), HEADER_CRC.partialOff);
  if (l.header.crcFull !== null) buf.writeUInt32LE(crc(HEADER_CRC.fullLen), l.header.crcFull);
}

const copy = (b: Buffer) => Buffer.from(b);

function first<T>(xs: T[], what: string): T {
  const x = xs[0];
  if (x === undefined) throw new Error(`fixture has no ${what}`);
  return x;
}

/** Deterministic PRNG (mulberry32) so every run damages the same bytes. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function corruptions(): Corruption[] {
  const cases: Corruption[] = [
    {
      name: 'header CRCs flipped',
      apply: (b) => { const c = copy(b); xor(c, 4, 4, 0xff); xor(c, 524, 4, 0xff); return c; },
      expectStatus: 'damaged', structures: ['header'], attributed: true,
    },
    {
      name: 'magic destroyed',
      apply: (b) => { const c = copy(b); c.fill(0, 0, 4); return c; },
      expectStatus: 'unreadable', structures: ['file'], attributed: true,
    },
    {
      name: 'NBT leaf page entries XORed',
      apply: (b, m) => { const c = copy(b); xor(c, first(m.pages.filter((p) => p.tree === 'nbt' && p.level === 0), 'NBT leaf').ib + 40, 16); return c; },
      expectStatus: 'damaged', structures: ['nbt-page'], attributed: true,
    },
    {
      name: 'BBT leaf page entries XORed',
      apply: (b, m) => { const c = copy(b); xor(c, first(m.pages.filter((p) => p.tree === 'bbt' && p.level === 0), 'BBT leaf').ib + 40, 16); return c; },
      expectStatus: 'damaged', structures: ['bbt-page'], attributed: true,
    },
    {
      name: 'largest data block XORed',
      apply: (b, m) => {
        const c = copy(b);
        const blk = [...m.blocks].filter((x) => !x.internal).sort((x, y) => y.cb - x.cb)[0]!;
        xor(c, blk.ib + Math.floor(blk.cb / 2), 16);
        return c;
      },
      expectStatus: 'damaged', structures: ['block'], attributed: true,
    },
    {
      name: 'XBLOCK body XORed',
      apply: (b, m) => { const c = copy(b); const x = first(m.blocks.filter((k) => k.kind === 'x'), 'XBLOCK'); xor(c, x.ib + 8, 8); return c; },
      expectStatus: 'damaged', structures: ['block'], attributed: true,
    },
    {
      name: 'SLBLOCK (subnode tree) XORed',
      apply: (b, m) => { const c = copy(b); const x = first(m.blocks.filter((k) => k.kind === 'sl'), 'SLBLOCK'); xor(c, x.ib + 8, 8); return c; },
      expectStatus: 'damaged', structures: ['block'], attributed: true,
    },
    {
      name: '4 KiB zeroed around the middle allocated block',
      apply: (b, m) => {
        // Zeroing free space is not damage, so aim at the 4 KiB that holds the middle block in file order.
        const c = copy(b);
        const byIb = [...m.blocks].sort((x, y) => x.ib - y.ib);
        const at = Math.floor(byIb[Math.floor(byIb.length / 2)]!.ib / 4096) * 4096;
        c.fill(0, at, at + 4096);
        return c;
      },
      expectStatus: 'damaged', structures: ['block', 'nbt-page', 'bbt-page', 'amap'], attributed: false,
    },
    {
      name: 'two NBT leaf pages swapped',
      apply: (b, m) => {
        const c = copy(b);
        const leaves = m.pages.filter((p) => p.tree === 'nbt' && p.level === 0);
        if (leaves.length < 2) throw new Error('need two NBT leaves');
        const [p, q] = [leaves[0]!, leaves[1]!];
        const size = m.header.layout.pageSize;
        const tmp = Buffer.from(c.subarray(p.ib, p.ib + size));
        c.copy(c, p.ib, q.ib, q.ib + size);
        tmp.copy(c, q.ib);
        return c;
      },
      expectStatus: 'damaged', structures: ['nbt-page'], attributed: true,
    },
    {
      name: 'ROOT.BREFNBT points past EOF (CRC stale)',
      apply: (b, m) => { const c = copy(b); const l = m.header.layout; writeId(c, rootFieldOff(l, 'nbtIb'), c.length + 0x10000, l.id); return c; },
      expectStatus: 'damaged', structures: ['nbt-page', 'header'], attributed: false,
    },
    {
      name: 'ROOT.BREFBBT points at a data block (CRC fixed)',
      apply: (b, m) => {
        const c = copy(b);
        const l = m.header.layout;
        const blk = first(m.blocks.filter((k) => !k.internal && k.ib % 512 === 0), 'page-aligned block');
        writeId(c, rootFieldOff(l, 'bbtIb'), blk.ib, l.id);
        fixHeaderCrcs(c, l);
        return c;
      },
      expectStatus: 'damaged', structures: ['bbt-page'], attributed: true,
    },
    {
      name: 'loop in the NBT (child points back to its parent, CRC fixed)',
      apply: (b, m) => {
        const c = copy(b);
        const l = m.header.layout;
        const parent = first(m.pages.filter((p) => p.tree === 'nbt' && p.level > 0), 'NBT intermediate page');
        // Last entry of the intermediate page now points at the page itself.
        const cEnt = c[parent.ib + l.cEntOff]!;
        const o = parent.ib + (cEnt - 1) * l.btEntrySize;
        writeId(c, o + l.id, parent.bid, l.id);
        writeId(c, o + 2 * l.id, parent.ib, l.id);
        fixPageCrc(c, l, parent.ib);
        return c;
      },
      expectStatus: 'damaged', structures: ['nbt-page'], attributed: true,
    },
    {
      name: 'BBT entry moved onto another block (page CRC fixed)',
      apply: (b, m) => {
        const c = copy(b);
        const l = m.header.layout;
        const leaf = first(m.pages.filter((p) => p.tree === 'bbt' && p.level === 0 && c[p.ib + l.cEntOff]! >= 2), 'BBT leaf with two entries');
        // Second entry's IB := first entry's IB: two blocks now claim the same bytes.
        c.copy(c, leaf.ib + l.bbtEntrySize + l.id, leaf.ib + l.id, leaf.ib + 2 * l.id);
        fixPageCrc(c, l, leaf.ib);
        return c;
      },
      expectStatus: 'damaged', structures: ['overlap', 'block'], attributed: true,
    },
    {
      name: 'NBT leaf cEnt beyond cEntMax (page CRC fixed)',
      apply: (b, m) => {
        const c = copy(b);
        const l = m.header.layout;
        const leaf = first(m.pages.filter((p) => p.tree === 'nbt' && p.level === 0), 'NBT leaf');
        c[leaf.ib + l.cEntOff] = 0xff;
        fixPageCrc(c, l, leaf.ib);
        return c;
      },
      expectStatus: 'damaged', structures: ['nbt-page'], attributed: true,
    },
    {
      // The message store's entry given the NID 0x2 (a folder's type, below the lowest id a store uses): the scan
      // warns (libpst refuses such a store); the walk takes it for no folder, so the repair does not copy it.
      name: 'NBT entry given an id below 0x21 (page CRC fixed)',
      apply: (b, m) => {
        const c = copy(b);
        const store = first(m.nodes.filter((n) => n.nid === 0x21), 'message store entry');
        c.writeUInt32LE(0x2, store.entryIb);
        fixPageCrc(c, m.header.layout, store.pageIb);
        return c;
      },
      expectStatus: 'damaged', structures: ['nbt-page'], attributed: false,
    },
    {
      name: 'NBT entry refers to a BID missing from the BBT (page CRC fixed)',
      apply: (b, m) => {
        const c = copy(b);
        const l = m.header.layout;
        const leaf = first(m.pages.filter((p) => p.tree === 'nbt' && p.level === 0), 'NBT leaf');
        writeId(c, leaf.ib + l.id, 0x7ffffff8, l.id); // bidData of the first entry
        fixPageCrc(c, l, leaf.ib);
        return c;
      },
      expectStatus: 'damaged', structures: ['reference'], attributed: true,
    },
    {
      name: 'AMap marks blocks in use as free (page CRC fixed)',
      apply: (b, m) => {
        const c = copy(b);
        const l = m.header.layout;
        const pad = l.id === 4 ? 4 : 0;
        c.fill(0, l.amapFirst + pad + 8, l.amapFirst + pad + l.amapBitmapLen); // all but the first 8 bytes
        fixPageCrc(c, l, l.amapFirst);
        return c;
      },
      expectStatus: 'damaged', structures: ['amap'], attributed: true,
    },
    {
      name: "a message's heap signature broken (block CRC fixed: only the LTP layer can tell)",
      apply: (b, m) => {
        const c = copy(b);
        const l = m.header.layout;
        const msg = first(m.nodes.filter((n) => (n.nid & 0x1f) === 0x04 && !isInternalBid(n.bidData)), 'message with a plain data block');
        const blk = m.blocks.find((x) => x.bid === msg.bidData - (msg.bidData % 2))!;
        c[blk.ib + 2] ^= 0x01;
        fixBlockCrc(c, l, blk.ib, blk.cb);
        return c;
      },
      expectStatus: 'damaged', structures: ['heap'], attributed: true,
    },
    {
      name: "a folder's contents table node points at the root's hierarchy table (page CRC fixed): its rows name folders",
      apply: (b, m) => repoint(b, m, 0x0e, (nid) => folderOf(nid) !== ROOT_FOLDER, sibling(ROOT_FOLDER, 0x0d)),
      expectStatus: 'damaged', structures: ['table-context'], attributed: true,
    },
    {
      name: "a folder's hierarchy table node points at a contents table (page CRC fixed): its rows name messages",
      apply: (b, m) => {
        const contents = first(m.nodes.filter((n) => (n.nid & 0x1f) === 0x0e && (n.nid >>> 5) >= 0x40).sort((x, y) => tableBytes(m, y) - tableBytes(m, x)), 'contents table');
        return repoint(b, m, 0x0d, (nid) => nid === (sibling(ROOT_FOLDER, 0x0d)), contents.nid);
      },
      expectStatus: 'damaged', structures: ['table-context'], attributed: true,
    },
    {
      name: "a folder's node B-tree entry names the root folder as its parent, a message's names another folder (page CRCs fixed)",
      apply: (b, m) => {
        const l = m.header.layout;
        const c = copy(b);
        const userFolders = m.nodes.filter((n) => (n.nid & 0x1f) === 0x02 && n.nid >>> 5 >= 0x40);
        // Preferably a folder two levels below the root: the special folders (IPM subtree, Deleted Items) are placed
        // by the store's entry IDs, whatever their parents say.
        const parentOf = (n: { entryIb: number }) => c.readUInt32LE(n.entryIb + 3 * l.id);
        const deep = userFolders.filter((n) => parentOf(n) !== ROOT_FOLDER && userFolders.some((p) => p.nid === parentOf(n) && parentOf(p) !== ROOT_FOLDER && p.nid !== IPM_SUBTREE));
        const folder = first([...deep, ...userFolders.filter((n) => parentOf(n) !== ROOT_FOLDER)], 'folder below another folder');
        const message = first(m.nodes.filter((n) => (n.nid & 0x1f) === 0x04), 'message');
        c.writeUInt32LE(ROOT_FOLDER, folder.entryIb + 3 * l.id);
        fixPageCrc(c, l, folder.pageIb);
        const other = first(userFolders.filter((n) => n.nid !== c.readUInt32LE(message.entryIb + 3 * l.id)), 'second folder');
        c.writeUInt32LE(other.nid, message.entryIb + 3 * l.id);
        fixPageCrc(c, l, message.pageIb);
        return c;
      },
      expectStatus: 'damaged', structures: ['reference'], attributed: true,
    },
    {
      name: 'AMap page bitmap XORed',
      apply: (b, m) => { const c = copy(b); xor(c, m.header.layout.amapFirst + 100, 8); return c; },
      expectStatus: 'damaged', structures: ['amap'], attributed: true,
    },
  ];
  for (const wVer of [14, 23, 36]) {
    cases.push({
      name: `wVer rewritten to ${wVer} (header CRCs fixed)`,
      apply: (b, m) => {
        const c = copy(b);
        if (m.header.wVer === wVer || (wVer === 14 && m.header.layout.id === 4)) throw new Error('fixture has no other format to claim');
        c.writeUInt16LE(wVer, 10);
        fixHeaderCrcs(c, m.header.layout);
        if (wVer !== 14) fixHeaderCrcs(c, UNICODE);
        return c;
      },
      expectStatus: 'damaged', structures: ['nbt-page', 'bbt-page', 'header', 'amap'], attributed: false,
    });
  }
  for (const pct of [0.1, 0.25, 0.4, 0.6, 0.75, 0.9, 0.99]) {
    cases.push({
      name: `truncated to ${pct * 100} %`,
      apply: (b) => Buffer.from(b.subarray(0, Math.floor(b.length * pct))),
      expectStatus: 'damaged', structures: ['file-size'], attributed: false,
    });
  }
  cases.push({ name: 'truncated inside the header', apply: (b) => Buffer.from(b.subarray(0, 300)), expectStatus: 'unreadable', structures: ['file'], attributed: true });
  for (let seed = 1; seed <= 8; seed++) {
    cases.push({
      name: `random byte flips in allocated blocks (seed ${seed})`,
      apply: (b, m) => {
        const c = copy(b);
        const rnd = prng(seed);
        for (let i = 0; i < 6; i++) {
          const blk = m.blocks[Math.floor(rnd() * m.blocks.length)]!;
          c[blk.ib + Math.floor(rnd() * blk.cb)] ^= 1 + Math.floor(rnd() * 255);
        }
        return c;
      },
      expectStatus: 'damaged', structures: ['block', 'internal-block'], attributed: true,
    });
  }
  return cases;
}

export const ROOT_FOLDER = 0x122;
/** The IPM subtree's NID in the stores Outlook creates (the fixtures'). */
const IPM_SUBTREE = 0x8022;
/** The node of NID type `type` that shares `nid`'s index (a folder and its tables). */
export const sibling = (nid: number, type: number) => ((nid & ~0x1f) | type) >>> 0;
const folderOf = (nid: number) => sibling(nid, 0x02);

/** How big a table node's data is (the largest contents table lists the most messages). */
function tableBytes(m: StoreMap, n: { bidData: number }): number {
  const blk = m.blocks.find((x) => x.bid === n.bidData - (n.bidData % 2));
  return blk === undefined ? 0 : blk.internal ? 1 << 30 : blk.cb;
}

/**
 * Points the first node of NID type `type` that `pick` accepts at the data of node `target` (NBT leaf entry rewritten,
 * page CRC fixed): a table that reads as another table. Every CRC holds; only the rows' NIDs show the damage.
 */
export function repoint(buf: Buffer, m: StoreMap, type: number, pick: (nid: number) => boolean, target: number): Buffer {
  const l = m.header.layout;
  const to = first(m.nodes.filter((n) => n.nid === target), `node ${target.toString(16)}`);
  // A folder's own table (not one of the templates below index 0x40 that new folders copy).
  const ofFolder = (nid: number) => nid === sibling(ROOT_FOLDER, type) || ((nid >>> 5) >= 0x40 && m.nodes.some((n) => n.nid === folderOf(nid)));
  const from = first(m.nodes.filter((n) => (n.nid & 0x1f) === type && n.nid !== target && ofFolder(n.nid) && pick(n.nid)), `node of type ${type.toString(16)}`);
  const c = copy(buf);
  writeId(c, from.entryIb + l.id, to.bidData, l.id);
  writeId(c, from.entryIb + 2 * l.id, to.bidSub, l.id);
  fixPageCrc(c, l, from.pageIb);
  return c;
}

/** Re-encodes every external block with another crypt method, fixing block CRCs and the header (a valid store). */
export function reencode(buf: Buffer, to: CryptMethod): Buffer {
  const m = mapStore(buf);
  const l = m.header.layout;
  const c = copy(buf);
  for (const blk of m.blocks) {
    if (blk.internal) continue;
    const data = decodeBlock(c.subarray(blk.ib, blk.ib + blk.cb), m.header.crypt, blk.bid);
    const enc = encodeBlock(data, to, blk.bid);
    enc.copy(c, blk.ib);
    fixBlockCrc(c, l, blk.ib, blk.cb);
  }
  c[l.header.cryptMethod] = to === 'none' ? 0 : to === 'permute' ? 1 : 2;
  fixHeaderCrcs(c, l);
  return c;
}

/** Scrambles bytes inside data blocks and re-seals their CRCs: the NDB layer sees nothing, the LTP layer must cope. */
export function sealedScramble(buf: Buffer, seed: number, flips = 12): Buffer {
  const m = mapStore(buf);
  const l = m.header.layout;
  const c = copy(buf);
  const rnd = prng(seed);
  const data = m.blocks.filter((b) => b.cb > 0);
  for (let i = 0; i < flips; i++) {
    const blk = data[Math.floor(rnd() * data.length)]!;
    c[blk.ib + Math.floor(rnd() * Math.min(blk.cb, 64))] ^= 1 + Math.floor(rnd() * 255);
    fixBlockCrc(c, l, blk.ib, blk.cb);
  }
  return c;
}

/**
 * Rewrites fields of random NBT leaf entries and re-seals the page CRCs: `data` points nodes at other nodes' data or
 * subnode blocks, `nid` gives an entry another node's NID (two entries, one NID), `parent` sets parents to other nodes
 * or to the node itself. Every CRC holds: only the node and messaging layers can tell.
 */
export function sealedNbtDamage(buf: Buffer, seed: number, field: 'data' | 'nid' | 'parent'): Buffer {
  const m = mapStore(buf);
  const l = m.header.layout;
  const c = copy(buf);
  const rnd = prng(seed);
  const pick = () => m.nodes[Math.floor(rnd() * m.nodes.length)]!;
  const edits = 1 + Math.floor(rnd() * 4);
  for (let i = 0; i < edits; i++) {
    const a = pick();
    const b = pick();
    if (field === 'data') {
      const sub = rnd() >= 0.7;
      writeId(c, a.entryIb + (sub ? 2 : 1) * l.id, sub ? b.bidSub : b.bidData, l.id);
    } else if (field === 'nid') {
      c.writeUInt32LE(b.nid, a.entryIb);
    } else {
      c.writeUInt32LE(rnd() < 0.3 ? a.nid : b.nid, a.entryIb + 3 * l.id);
    }
    fixPageCrc(c, l, a.pageIb);
  }
  return c;
}

/**
 * Replaces the first `find` inside block `bid` (decoded) with `replace` and re-seals the block's CRC: damage only the
 * structure that holds those bytes can tell.
 */
export function sealedPatch(buf: Buffer, bid: number, find: Buffer, replace: Buffer): Buffer {
  const m = mapStore(buf);
  const l = m.header.layout;
  const blk = first(m.blocks.filter((b) => b.bid === bid - (bid % 2)), `block ${bid.toString(16)}`);
  const data = decodeBlock(buf.subarray(blk.ib, blk.ib + blk.cb), m.header.crypt, blk.bid);
  const at = data.indexOf(find);
  if (at < 0) throw new Error(`fixture has no ${find.toString('hex')} in block ${bid.toString(16)}`);
  replace.copy(data, at);
  const c = copy(buf);
  encodeBlock(data, m.header.crypt, blk.bid).copy(c, blk.ib);
  fixBlockCrc(c, l, blk.ib, blk.cb);
  return c;
}
