import type { BRef } from './header.ts';
import { hex, readId, type Layout } from './layout.ts';
import type { BbtIndex, NbtIndex } from './index.ts';
import { btPageHeader, checkPageTrailer, expectedCbEnt, PTYPE, readBtEntries } from './page.ts';
import { checkCancel, type ProblemLog } from './problems.ts';
import type { PstSource } from './source.ts';

// Walks the NBT or BBT from ROOT, checking every page ([MS-PST] 2.2.2.7.7) and filling the leaf index.
// Bounded: an explicit queue, levels must strictly decrease (max 8), every page offset is visited once (loops are
// reported, not followed), and the number of pages is capped by the file size.

const MAX_LEVEL = 8;
const BATCH = 32;

export interface BtWalkStats {
  pages: number;
  badPages: number;
  /** Offsets of every page reached (for the allocation-map and overlap checks). */
  pageOffsets: number[];
  maxPageBid: number;
  /** Set when the root itself could not be used. */
  rootBroken: boolean;
}

interface Pending {
  ref: BRef;
  level: number | null;
  keyMin: number;
  keyMax: number;
  parentIb: number | null;
}

export async function walkBTree(
  src: PstSource,
  l: Layout,
  tree: 'nbt' | 'bbt',
  root: BRef,
  sink: NbtIndex | BbtIndex,
  log: ProblemLog,
  signal?: AbortSignal,
): Promise<BtWalkStats> {
  const ptype = tree === 'nbt' ? PTYPE.NBT : PTYPE.BBT;
  const structure = `${tree}-page`;
  const stats: BtWalkStats = { pages: 0, badPages: 0, pageOffsets: [], maxPageBid: 0, rootBroken: false };
  const seen = new Set<number>();
  const maxPages = Math.ceil(src.size / l.pageSize) + 1;
  // Breadth-first, in batches whose pages are read concurrently: page reads on a large file are scattered, and
  // waiting for them one at a time would dominate the walk. Children keep key order, so leaves arrive sorted.
  const stack: Pending[] = [{ ref: root, level: null, keyMin: 0, keyMax: Number.POSITIVE_INFINITY, parentIb: null }];
  let head = 0;
  const prefetched = new Map<number, Promise<Buffer>>();
  let cur = stack[0]!;
  const fail = (detail: string, extra: { nids?: number[]; bids?: number[] } = {}) => {
    log.add({ structure, offset: cur.ref.ib, bid: cur.ref.bid, detail, severity: 'error', ...extra });
    stats.badPages++;
    if (cur.parentIb === null) stats.rootBroken = true;
  };
  while (head < stack.length) {
    checkCancel(signal);
    if (!prefetched.has(head)) prefetch(src, l, stack, head, prefetched);
    const pageRead = prefetched.get(head);
    prefetched.delete(head);
    const p = stack[head++]!;
    const { ib, bid } = p.ref;
    // Not a closure per page: one for each of tens of thousands of pages costs measurable time.
    cur = p;
    if (ib % l.pageSize !== 0 || ib < l.amapFirst - 0x200 || ib + l.pageSize > src.size) {
      fail(`${tree.toUpperCase()} page BREF offset ${hex(ib)} is ${ib + l.pageSize > src.size ? 'beyond the end of the file' : 'not page-aligned or inside the header'}`);
      continue;
    }
    if (seen.has(ib)) {
      fail(`${tree.toUpperCase()} page at ${hex(ib)} is referenced twice (loop or cross-link in the B-tree); not followed again`);
      continue;
    }
    if (seen.size >= maxPages) {
      fail(`more ${tree.toUpperCase()} pages than the file can hold; walk stopped`);
      break;
    }
    seen.add(ib);
    stats.pages++;
    stats.pageOffsets.push(ib);
    const page = await (pageRead ?? src.read(ib, l.pageSize));
    const defects = checkPageTrailer(page, l, ib, ptype, bid);
    stats.maxPageBid = Math.max(stats.maxPageBid, bid);
    const h = btPageHeader(page, l);
    const { want, cap, structural } = checkHeader(h, l, tree, p, defects);
    const cEnt = Math.min(h.cEnt, cap);
    // Read entries even from a page with a bad CRC: each entry is then checked on its own (key range, order), so
    // one flipped byte does not hide the other entries. The page's problem lists the keys it carried.
    let keys: number[] = [];
    const badKeys: string[] = [];
    if (!structural) {
      if (h.cLevel > 0) queueChildren(page, l, p, h.cLevel, cEnt, want, stack, defects, badKeys);
      else keys = readLeaf(page, l, tree, p, cEnt, want, sink, defects, badKeys);
    }
    if (badKeys.length > 0) defects.push(`${badKeys.length} entr${badKeys.length === 1 ? 'y is' : 'ies are'} out of order or outside the parent's key range (${badKeys.slice(0, 5).join(', ')}${badKeys.length > 5 ? ', …' : ''}); skipped`);
    if (structural) defects.push('page layout unusable; its whole subtree is lost (recovery scan will look for the pages it referenced)');
    if (defects.length > 0) {
      const extra = tree === 'nbt' ? { nids: keys } : { bids: keys };
      fail(`${tree.toUpperCase()} page (level ${h.cLevel}, ${cEnt} entries): ${defects.join('; ')}`, h.cLevel === 0 ? extra : {});
    }
  }
  return stats;
}

/** Starts reading the next BATCH queued pages (by queue index) concurrently. */
function prefetch(src: PstSource, l: Layout, stack: Pending[], head: number, prefetched: Map<number, Promise<Buffer>>): void {
  for (let k = head; k < Math.min(stack.length, head + BATCH); k++) {
    const { ib } = stack[k]!.ref;
    // A failed read becomes an empty page (reported as cut off) rather than an unhandled rejection.
    if (ib % l.pageSize === 0 && ib + l.pageSize <= src.size) prefetched.set(k, src.read(ib, l.pageSize).catch(() => Buffer.alloc(0)));
  }
}

/** Checks a page header against the layout and the parent's entry; `structural`: the entries cannot be located at all. */
function checkHeader(h: ReturnType<typeof btPageHeader>, l: Layout, tree: 'nbt' | 'bbt', p: Pending, defects: string[]): { want: number; cap: number; structural: boolean } {
  const want = expectedCbEnt(l, tree, h.cLevel);
  const cap = Math.floor(l.btEntriesLen / Math.max(1, want));
  if (h.cLevel > MAX_LEVEL) defects.push(`cLevel ${h.cLevel} is impossible (max ${MAX_LEVEL})`);
  if (p.level !== null && h.cLevel !== p.level) defects.push(`cLevel ${h.cLevel}, parent expects ${p.level}`);
  if (h.cbEnt !== want) defects.push(`cbEnt ${h.cbEnt}, expected ${want} for level ${h.cLevel}`);
  if (h.cEntMax !== cap) defects.push(`cEntMax ${h.cEntMax}, expected ${cap}`);
  if (h.cEnt > cap) defects.push(`cEnt ${h.cEnt} exceeds the ${cap} entries a page holds`);
  const structural = h.cLevel > MAX_LEVEL || h.cbEnt !== want || (p.level !== null && h.cLevel !== p.level);
  return { want, cap, structural };
}

/** Queues the child pages of an intermediate page (BTENTRY); entries out of order or outside the parent's key range go to `badKeys`. */
function queueChildren(page: Buffer, l: Layout, p: Pending, level: number, cEnt: number, want: number, stack: Pending[], defects: string[], badKeys: string[]): void {
  const refs = readBtEntries(page, l, cEnt, want);
  let prev = -1;
  refs.forEach((r, i) => {
    const inRange = r.key >= p.keyMin && r.key < p.keyMax && r.key > prev;
    if (i === 0 && r.key !== p.keyMin && p.parentIb !== null) defects.push(`first key ${hex(r.key)} differs from the parent's key ${hex(p.keyMin)} (btkeyMin mismatch)`);
    if (!inRange) {
      badKeys.push(hex(r.key));
      return;
    }
    prev = r.key;
    const next = refs[i + 1]?.key;
    const keyMax = next !== undefined && next > r.key && next <= p.keyMax ? next : p.keyMax;
    stack.push({ ref: { bid: r.bid, ib: r.ib }, level: level - 1, keyMin: r.key, keyMax, parentIb: p.ref.ib });
  });
}

/** Adds the entries of a leaf page (NBTENTRY or BBTENTRY) to the index; returns the keys added. */
function readLeaf(page: Buffer, l: Layout, tree: 'nbt' | 'bbt', p: Pending, cEnt: number, want: number, sink: NbtIndex | BbtIndex, defects: string[], badKeys: string[]): number[] {
  const keys: number[] = [];
  let prev = -1;
  for (let i = 0; i < cEnt; i++) {
    const o = i * want;
    const key = tree === 'nbt' ? page.readUInt32LE(o) : readId(page, o, l.id);
    const k = tree === 'bbt' ? key - (key % 2) : key;
    if (i === 0 && k !== p.keyMin && p.parentIb !== null && p.keyMin !== 0) defects.push(`first key ${hex(k)} differs from the parent's key ${hex(p.keyMin)} (btkeyMin mismatch)`);
    if (!(k >= p.keyMin && k < p.keyMax && k > prev)) {
      badKeys.push(hex(key));
      continue;
    }
    prev = k;
    keys.push(k);
    if (tree === 'nbt') {
      (sink as NbtIndex).add({
        nid: key,
        bidData: readId(page, o + l.id, l.id),
        bidSub: readId(page, o + 2 * l.id, l.id),
        nidParent: page.readUInt32LE(o + 3 * l.id),
      });
    } else {
      (sink as BbtIndex).add({
        bid: key,
        ib: readId(page, o + l.id, l.id),
        cb: page.readUInt16LE(o + 2 * l.id),
        cRef: page.readUInt16LE(o + 2 * l.id + 2),
      });
    }
  }
  return keys;
}
