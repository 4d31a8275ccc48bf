import { checkBlock, parseInternalBlock } from './block.ts';
import { walkBTree } from './btree.ts';
import { HEADER_READ, parseHeader, type PstHeader } from './header.ts';
import { blockPayload } from './inflate.ts';
import { BbtIndex, bidKey, isInternalBid, NbtIndex } from './index.ts';
import { blockSpan, hex, rootFieldOff, type Layout } from './layout.ts';
import { checkCancel, type ProblemLog } from './problems.ts';
import type { PstSource } from './source.ts';
import { checkAllocationMaps, AmapCursor } from './amap.ts';
import { mapPageCount, mapPagesOf } from './map-pages.ts';
import { recoveryScan } from './recovery.ts';
import { LOWEST_NID } from './nids.ts';
import { NumMap, SlOwnerMap } from './nummap.ts';
import type { Progress } from '../core/progress.ts';

// The NDB layer check ([MS-PST] 2.2.2): header → both B-trees → every block in file order (trailer, CRC, overlap,
// allocation map) → reference integrity → optional linear recovery scan. Memory is bounded by the index sizes; the
// file is only ever read through positional reads of bounded size (see PstSource).

/** Progress is reported about every 4 MiB. */
const WINDOW = 1 << 20;

export interface NdbOptions {
  deep?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
}

export interface NdbResult {
  header: PstHeader;
  nbt: NbtIndex;
  bbt: BbtIndex;
  /** BIDs whose block failed a check (key = BID with the low bit cleared) → why. */
  badBlocks: Map<number, string>;
  /** Internal-block child → parent BID, and SL entry BIDs → owning subnode, for attribution. */
  parentOf: NumMap;
  slOwner: SlOwnerMap;
  /** NBT-referenced BID → NIDs that reference it (bidData or bidSub). */
  owners: Map<number, number[]>;
  /** Internal blocks found only by the recovery scan: possibly stale copies, so their children are not required. */
  recoveredInternal: Set<number>;
  stats: {
    nbtPages: number;
    bbtPages: number;
    blocks: number;
    bytesChecked: number;
    recoveredBlocks: number;
    recoveredNodes: number;
    recoveryRan: boolean;
  };
}

function headerChecks(h: PstHeader, size: number, log: ProblemLog): void {
  const err = (detail: string, offset = 0) => log.add({ structure: 'header', offset, detail, severity: 'error' });
  const warn = (detail: string, offset = 0) => log.add({ structure: 'header', offset, detail, severity: 'warning' });
  if (h.crcPartial.stored !== h.crcPartial.computed) {
    err(`dwCRCPartial mismatch (stored ${hex(h.crcPartial.stored)}, computed ${hex(h.crcPartial.computed)}): the header was torn or overwritten`, 4);
  }
  if (h.crcFull && h.crcFull.stored !== h.crcFull.computed) {
    err(`dwCRCFull mismatch (stored ${hex(h.crcFull.stored)}, computed ${hex(h.crcFull.computed)})`, 524);
  }
  if (!['SM', 'SO', 'AB'].includes(h.wMagicClient)) warn(`wMagicClient "${h.wMagicClient}" is not SM/SO/AB`, 8);
  if (h.bSentinel !== 0x80) err(`bSentinel ${hex(h.bSentinel)}, must be 0x80`, h.layout.header.sentinel);
  if (h.crypt === 'unknown') err(`bCryptMethod ${hex(h.bCryptMethod)} is unknown; data blocks cannot be decoded`, h.layout.header.cryptMethod);
  if (h.ibFileEof !== size) {
    const detail = h.ibFileEof > size
      ? `file is ${size} bytes but ROOT.ibFileEof says ${h.ibFileEof}: truncated, ${h.ibFileEof - size} bytes missing`
      : `file is ${size} bytes but ROOT.ibFileEof says ${h.ibFileEof}: ${size - h.ibFileEof} extra bytes after the end`;
    log.add({ structure: 'file-size', offset: h.ibFileEof, detail, severity: h.ibFileEof > size ? 'error' : 'warning' });
  }
  const l = h.layout;
  if (h.ibAMapLast < l.amapFirst || (h.ibAMapLast - l.amapFirst) % l.amapSpan !== 0 || h.ibAMapLast >= Math.max(h.ibFileEof, l.amapFirst + 1)) {
    err(`ROOT.ibAMapLast ${hex(h.ibAMapLast)} is not an AMap position inside the file`);
  }
  if (h.fAMapValid === 0) {
    warn('ROOT.fAMapValid = 0: the store was not closed cleanly; Outlook will rebuild the allocation maps', rootFieldOff(l, 'fAMapValid'));
  }
}

export async function scanNdb(src: PstSource, log: ProblemLog, opts: NdbOptions = {}): Promise<NdbResult | { unreadable: string }> {
  // Through the read-ahead window: one read then also holds the first MiB, which for most stores is all of them.
  const head = Buffer.from(await src.view(0, HEADER_READ));
  const parsed = parseHeader(head);
  if (!parsed.ok) return { unreadable: parsed.reason };
  const h = parsed.header;
  const l = h.layout;
  headerChecks(h, src.size, log);

  const nbt = new NbtIndex();
  const bbt = new BbtIndex();
  const nbtStats = await walkBTree(src, l, 'nbt', h.nbt, nbt, log, opts.signal);
  const bbtStats = await walkBTree(src, l, 'bbt', h.bbt, bbt, log, opts.signal);
  nbt.finish();
  bbt.finish();
  const maxPageBid = Math.max(nbtStats.maxPageBid, bbtStats.maxPageBid);

  const result: NdbResult = {
    header: h,
    nbt,
    bbt,
    badBlocks: new Map(),
    parentOf: new NumMap(),
    slOwner: new SlOwnerMap(),
    owners: new Map(),
    recoveredInternal: new Set(),
    stats: { nbtPages: nbtStats.pages, bbtPages: bbtStats.pages, blocks: bbt.size, bytesChecked: 0, recoveredBlocks: 0, recoveredNodes: 0, recoveryRan: false },
  };

  await checkAllocationMaps(src, h, log);
  const pages = [...nbtStats.pageOffsets, ...bbtStats.pageOffsets];
  await blockPass(src, h, result, pages, log, opts);

  const needRecovery = opts.deep || nbtStats.rootBroken || bbtStats.rootBroken || nbtStats.badPages + bbtStats.badPages > 0 || src.size < h.ibFileEof;
  if (needRecovery) {
    const nbtHealthy = !nbtStats.rootBroken && nbtStats.badPages === 0 && src.size >= h.ibFileEof;
    const rec = await recoveryScan(src, l, result.nbt, result.bbt, log, { ...opts, nbtHealthy });
    result.stats.recoveryRan = true;
    result.stats.recoveredBlocks = rec.blocks;
    result.stats.recoveredNodes = rec.nodes;
    if (rec.blocks > 0) {
      // Recovered blocks still need their internal structure parsed for attribution and references.
      for (const bid of rec.internalBids) {
        result.recoveredInternal.add(bidKey(bid));
        await parseInternal(src, l, result, bid);
      }
    }
  }
  referenceChecks(h, result, log, maxPageBid);
  return result;
}

/** A block found by the recovery scan: used if it parses, ignored if not (it may be a stale, freed copy). */
async function parseInternal(src: PstSource, l: Layout, r: NdbResult, bid: number): Promise<void> {
  const e = r.bbt.find(bid);
  if (!e) return;
  const p = blockPayload(await src.read(e.ib, blockSpan(l, e.cb)), l, e.cb);
  if (p.data) noteInternal(p.data, l, r, e.bid, e.ib, null);
}

function noteInternal(data: Buffer, l: Layout, r: NdbResult, bid: number, ib: number, log: ProblemLog | null): void {
  const parsed = parseInternalBlock(data, l);
  if (parsed.kind === 'bad') {
    if (!log) return;
    r.badBlocks.set(bidKey(bid), parsed.reason);
    log.add({ structure: 'internal-block', offset: ib, bid, detail: parsed.reason, severity: 'error' });
    return;
  }
  if (parsed.kind === 'x') {
    for (const c of parsed.x.bids) if (!r.parentOf.has(bidKey(c))) r.parentOf.set(bidKey(c), bidKey(bid));
  } else if (parsed.kind === 'sl') {
    for (const s of parsed.entries) {
      r.slOwner.set(bidKey(s.bidData), { subnid: s.nid, slBid: bidKey(bid) });
      if (s.bidSub) r.slOwner.set(bidKey(s.bidSub), { subnid: s.nid, slBid: bidKey(bid) });
    }
  } else {
    for (const c of parsed.refs) r.parentOf.set(bidKey(c.bid), bidKey(bid));
  }
}

/**
 * The allocation-map pages that [ib, ib + span) lies on, named; null when none. Nothing may sit on the map pages that
 * open every AMap region (an allocation there overwrote a map, or the map was never placed and the space was handed out).
 */
function mapPagesUnder(l: Layout, ib: number, span: number): string | null {
  if (ib < l.amapFirst) return null;
  const region = Math.floor((ib - l.amapFirst) / l.amapSpan);
  const mapsStart = l.amapFirst + region * l.amapSpan;
  const mapsEnd = mapsStart + mapPageCount(l, region) * l.pageSize;
  if (ib >= mapsEnd) return null;
  const hit = mapPagesOf(l, region).filter((p) => p.ib < ib + span && ib < p.ib + l.pageSize).map((p) => `${p.name} page at ${hex(p.ib)}`);
  return hit.join(' and ') || 'allocation-map pages';
}

/** Why a BBT entry cannot be a block where it says (too large, misplaced, past the end of the file), or null. */
function placementDefect(l: Layout, cb: number, ib: number, span: number, eof: number, truncated: boolean): { detail: string; structure: string } | null {
  if (cb + l.blockTrailer > l.maxBlockTotal) return { detail: `BBT says cb ${cb}, more than a block can hold`, structure: 'block' };
  if (ib % l.blockAlign !== 0 || ib < l.amapFirst) {
    return { detail: `block offset ${hex(ib)} is ${ib < l.amapFirst ? 'inside the header area' : `not ${l.blockAlign}-byte aligned`}`, structure: 'block' };
  }
  if (ib + span > eof) {
    return { detail: `block at ${hex(ib)}..${hex(ib + span)} lies beyond the end of the ${truncated ? 'truncated ' : ''}file (${hex(eof)})`, structure: truncated ? 'truncation' : 'block' };
  }
  return null;
}

/** One pass over every block and B-tree page in file order. */
async function blockPass(src: PstSource, h: PstHeader, r: NdbResult, pages: number[], log: ProblemLog, opts: NdbOptions): Promise<void> {
  const l = h.layout;
  const eof = Math.min(src.size, h.ibFileEof > 0 ? h.ibFileEof : src.size);
  const bbt = r.bbt;
  // Blocks (by offset) and B-tree pages (sorted) are merged on the fly: no per-allocation objects, which at 600 000
  // blocks would be the largest transient allocation of the scan.
  const order = bbt.byOffset();
  pages.sort((a, b) => a - b);
  const amap = new AmapCursor(src, h, log);
  let prevEnd = 0;
  // What ends at prevEnd, named only when an overlap is reported (a string per block would be pure garbage).
  let prevBid = -1;
  let prevIb = 0;
  const name = (isBlock: boolean, bid: number, ib: number) => (isBlock ? `block ${hex(bid)}` : `B-tree page at ${hex(ib)}`);
  // The allocation being checked, for the AMap check's lazily built name (one closure, not one per block).
  let curIsBlock = false;
  let curBid = 0;
  let curIb = 0;
  const curName = () => name(curIsBlock, curBid, curIb);
  const bad = (bid: number, ib: number, detail: string, structure = 'block') => {
    r.badBlocks.set(bid, detail);
    log.add({ structure, offset: ib, bid, detail, severity: 'error' });
  };
  let lastReport = 0;
  for (let bi = 0, pi = 0; bi < order.length || pi < pages.length; ) {
    if ((bi & 1023) === 0) checkCancel(opts.signal);
    // On equal offsets the block comes first, so the page is the one reported as overlapping it.
    const takeBlock = pi >= pages.length || (bi < order.length && bbt.ibAt(order[bi]!) <= pages[pi]!);
    const i = takeBlock ? order[bi++]! : -1;
    const ib = takeBlock ? bbt.ibAt(i) : pages[pi++]!;
    const cb = takeBlock ? bbt.cbAt(i) : 0;
    const bid = takeBlock ? bbt.bidAt(i) : 0;
    const span = takeBlock ? blockSpan(l, cb) : l.pageSize;
    if (ib < prevEnd) {
      const detail = `${name(takeBlock, bid, ib)} overlaps ${name(prevBid >= 0, prevBid, prevIb)} (which ends at ${hex(prevEnd)})`;
      log.add({ structure: 'overlap', offset: ib, bid: takeBlock ? bid : undefined, detail, severity: 'error' });
      if (takeBlock) r.badBlocks.set(bid, 'overlaps another allocation');
    }
    const maps = mapPagesUnder(l, ib, span);
    if (maps !== null) {
      const detail = `${name(takeBlock, bid, ib)} lies on the ${maps}, a fixed place Outlook rewrites when it updates that map`;
      log.add({ structure: 'overlap', offset: ib, bid: takeBlock ? bid : undefined, detail, severity: 'error' });
      if (takeBlock) r.badBlocks.set(bid, 'overlaps an allocation-map page');
    }
    if (ib + span > prevEnd) {
      prevEnd = ib + span;
      prevBid = takeBlock ? bid : -1;
      prevIb = ib;
    }
    curIsBlock = takeBlock;
    curBid = bid;
    curIb = ib;
    // Awaits only when a new AMap page or a new read-ahead window is needed: a promise per block would be the largest
    // allocation of the whole scan and a good part of its time.
    if (!amap.checkLoaded(ib, span, curName)) await amap.check(ib, span, curName);
    if (opts.onProgress && ib - lastReport > 4 * WINDOW) {
      lastReport = ib;
      opts.onProgress({ phase: 'blocks', done: ib, total: src.size, unit: 'bytes' });
    }
    if (!takeBlock) continue;
    const misplaced = placementDefect(l, cb, ib, span, eof, src.size < h.ibFileEof);
    if (misplaced !== null) {
      bad(bid, ib, misplaced.detail, misplaced.structure);
      continue;
    }
    // Blocks arrive in file order, so the source's read-ahead window turns this into one sequential read of the file.
    const buf = src.viewCached(ib, span) ?? (await src.view(ib, span));
    const defects = checkBlock(buf, l, ib, bid, cb);
    r.stats.bytesChecked += span;
    if (defects.length > 0) {
      bad(bid, ib, defects.join('; '));
      continue;
    }
    // A compressed block whose CRC holds but that does not inflate is as lost as one whose CRC fails: inflating every
    // compressed block here is what lets the node reader skip re-checking the ones this pass verified.
    // Only 4K blocks can be compressed: other data blocks need no payload (no per-block allocation on the hot path).
    if (l.format !== 'unicode4k' && !isInternalBid(bid)) continue;
    const p = blockPayload(buf, l, cb);
    if (!p.data) {
      bad(bid, ib, p.defect);
      continue;
    }
    // Parsed synchronously into numbers, so the shared window needs no copy.
    if (isInternalBid(bid)) noteInternal(p.data, l, r, bid, ib, log);
  }
  await amap.finish();
  opts.onProgress?.({ phase: 'blocks', done: src.size, total: src.size, unit: 'bytes' });
}

function referenceChecks(h: PstHeader, r: NdbResult, log: ProblemLog, maxPageBid: number): void {
  // References per BBT entry (by index): only BIDs in the BBT are counted; missing ones are reported instead.
  const refs = new Uint32Array(r.bbt.size);
  const count = (bid: number) => {
    const i = r.bbt.indexOf(bid);
    if (i >= 0) refs[i]!++;
  };
  const maxIndex = new Array<number>(32).fill(0);
  const reference = (nid: number, bid: number, role: 'bidData' | 'bidSub') => {
    if (bid === 0) return; // empty nodes (e.g. unused tables) legitimately have no data block
    const i = r.bbt.indexOf(bid);
    if (i >= 0) refs[i]!++;
    const list = r.owners.get(bidKey(bid));
    if (list) {
      if (list.length < 8) list.push(nid);
    } else r.owners.set(bidKey(bid), [nid]);
    if (i < 0) {
      log.add({ structure: 'reference', offset: null, nid, bid, detail: `node ${hex(nid)}'s ${role} ${hex(bid)} is not in the block B-tree`, severity: 'error' });
      r.badBlocks.set(bidKey(bid), 'missing from the block B-tree');
    }
  };
  const lowNids: number[] = [];
  for (let k = 0; k < r.nbt.size; k++) {
    const nid = r.nbt.nidAt(k);
    if (nid < LOWEST_NID && lowNids.length < 8) lowNids.push(nid);
    const type = nid & 0x1f;
    maxIndex[type] = Math.max(maxIndex[type]!, nid >>> 5);
    reference(nid, r.nbt.bidDataAt(k), 'bidData');
    reference(nid, r.nbt.bidSubAt(k), 'bidSub');
  }
  if (lowNids.length > 0) {
    log.add({ structure: 'nbt-page', offset: null, nid: lowNids[0], detail: `node id(s) ${lowNids.map(hex).join(', ')} lie below 0x21, the lowest a store uses (the message store's); libpst-based readers such as readpst refuse the whole store`, severity: 'warning' });
  }
  for (const [child, parent] of r.parentOf) {
    if (r.recoveredInternal.has(parent)) continue;
    count(child);
    if (r.bbt.indexOf(child) < 0) {
      log.add({ structure: 'reference', offset: null, bid: child, detail: `block ${hex(parent)} refers to child block ${hex(child)}, which is not in the block B-tree`, severity: 'error' });
      r.badBlocks.set(child, 'missing from the block B-tree');
    }
  }
  for (const [bid, owner] of r.slOwner) {
    if (r.recoveredInternal.has(owner.slBid)) continue;
    count(bid);
    if (r.bbt.indexOf(bid) < 0) {
      log.add({ structure: 'subnode-tree', offset: null, bid, detail: `subnode ${hex(owner.subnid)} in block ${hex(owner.slBid)} refers to block ${hex(bid)}, which is not in the block B-tree`, severity: 'error' });
      r.badBlocks.set(bid, 'missing from the block B-tree');
    }
  }
  let maxBid = 0;
  let leaks = 0;
  let lowRef = 0;
  for (let i = 0; i < r.bbt.size; i++) {
    maxBid = Math.max(maxBid, r.bbt.bidAt(i));
    const n = refs[i]!;
    const cRef = r.bbt.cRefAt(i);
    if (n === 0) leaks++;
    else if (cRef > 0 && cRef < n) lowRef++; // recovered blocks carry no cRef (0)
  }
  if (lowRef > 0) log.add({ structure: 'reference', offset: null, detail: `${lowRef} block(s) have a reference count (cRef) lower than the references found`, severity: 'warning' });
  if (leaks > 0) log.add({ structure: 'reference', offset: null, detail: `${leaks} block(s) in the block B-tree are referenced by no node (leaked space, harmless)`, severity: 'info' });
  if (h.bidNextB <= maxBid) log.add({ structure: 'header', offset: null, detail: `bidNextB ${hex(h.bidNextB)} is not above the highest block BID in use ${hex(maxBid)}`, severity: 'warning' });
  if (h.bidNextP <= maxPageBid) log.add({ structure: 'header', offset: null, detail: `bidNextP ${hex(h.bidNextP)} is not above the highest page BID in use ${hex(maxPageBid)}`, severity: 'warning' });
  for (let t = 0; t < 32; t++) {
    // Every fixture stores the highest index in use (not the next free one), so only "below" is a defect.
    if (maxIndex[t]! > 0 && h.rgnid[t]! < maxIndex[t]!) {
      log.add({ structure: 'header', offset: null, detail: `rgnid[${hex(t)}] high-water mark ${hex(h.rgnid[t]!)} is below NID index ${hex(maxIndex[t]!)} in use; new items could reuse its NIDs`, severity: 'warning' });
    }
  }
  for (const [nid, name] of [[0x21, 'message store'], [0x61, 'name-to-id map'], [0x122, 'root folder']] as const) {
    if (!r.nbt.find(nid)) log.add({ structure: 'reference', offset: null, nid, detail: `required node ${hex(nid)} (${name}) is missing from the node B-tree`, severity: 'error' });
  }
}
