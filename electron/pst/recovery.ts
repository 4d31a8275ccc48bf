import { computeSig, pstCrc } from './crc.ts';
import { blockTrailerAt } from './block.ts';
import { isInternalBid, type BbtIndex, type NbtIndex } from './index.ts';
import { blockSpan, readId, type Layout } from './layout.ts';
import { btPageHeader, pageTrailer, PTYPE } from './page.ts';
import { checkCancel, type ProblemLog } from './problems.ts';
import type { PstSource } from './source.ts';
import type { Progress } from '../core/progress.ts';

// Recovery mode: a linear scan that finds blocks and B-tree leaf pages by their self-describing trailers
// (cb + bid + wSig(ib, bid) + CRC, [MS-PST] 2.2.2.8.1 and 2.2.2.7.1), so a file whose B-trees are broken or whose tail is
// gone still yields the blocks and node entries that survive. Found items only fill gaps: entries reachable through
// the B-trees always win over stale copies found on disk.

const WINDOW = 1 << 20;

export interface RecoveryResult {
  blocks: number;
  nodes: number;
  internalBids: number[];
}

/** What the scan has found so far. A BID or NID already taken (from the B-trees or an earlier hit) is not taken again. */
interface Found {
  res: RecoveryResult;
  seenBids: Set<number>;
  seenNids: Set<number>;
  /**
   * With a sound NBT, node entries found on disk but not in the tree are remnants of deleted items, not lost ones:
   * they are counted for the report but do not become items of the store.
   */
  remnants: number;
}

export async function recoveryScan(
  src: PstSource,
  l: Layout,
  nbt: NbtIndex,
  bbt: BbtIndex,
  log: ProblemLog,
  opts: { signal?: AbortSignal; onProgress?: (p: Progress) => void; nbtHealthy?: boolean },
): Promise<RecoveryResult> {
  const found: Found = { res: { blocks: 0, nodes: 0, internalBids: [] }, seenBids: new Set(), seenNids: new Set(), remnants: 0 };
  for (let s = l.amapFirst; s < src.size; s += WINDOW) {
    checkCancel(opts.signal);
    // The window starts a block's length early, so a block ending just after s is whole in the buffer.
    const base = Math.max(0, s - l.maxBlockTotal);
    const b = await src.read(base, s + WINDOW - base);
    findBlocks(b, base, s, l, bbt, found);
    findLeafPages(b, base, s, l, src.size, nbt, bbt, opts.nbtHealthy === true, found);
    opts.onProgress?.({ phase: 'recovery scan', done: Math.min(src.size, s + WINDOW), total: src.size, unit: 'bytes' });
  }
  bbt.finish();
  nbt.finish();
  reportFound(found, log);
  return found.res;
}

/** Blocks ending in the window [s, s + WINDOW): every aligned position is a candidate block end, kept when its trailer and CRC hold. */
function findBlocks(b: Buffer, base: number, s: number, l: Layout, bbt: BbtIndex, found: Found): void {
  const { res, seenBids } = found;
  for (let e = s + l.blockAlign; e <= s + WINDOW && e - base <= b.length; e += l.blockAlign) {
    const t = e - base - l.blockTrailer;
    const cb = b.readUInt16LE(t);
    if (cb === 0 || cb + l.blockTrailer > l.maxBlockTotal) continue;
    const start = e - blockSpan(l, cb);
    if (start < l.amapFirst || start < base) continue;
    const tr = blockTrailerAt(b, e - base, l);
    if (tr.bid === 0 || tr.wSig !== computeSig(start, tr.bid)) continue;
    if (pstCrc(b.subarray(start - base, start - base + cb)) !== tr.crc) continue;
    if (bbt.find(tr.bid) || seenBids.has(tr.bid)) continue;
    seenBids.add(tr.bid);
    bbt.add({ bid: tr.bid, ib: start, cb, cRef: 0 });
    res.blocks++;
    if (isInternalBid(tr.bid)) res.internalBids.push(tr.bid);
  }
}

/** NBT/BBT leaf pages in the window that the walk from ROOT did not reach: their entries fill the indexes' gaps. */
function findLeafPages(b: Buffer, base: number, s: number, l: Layout, fileSize: number, nbt: NbtIndex, bbt: BbtIndex, nbtHealthy: boolean, found: Found): void {
  const { res, seenBids, seenNids } = found;
  for (let p = Math.ceil(s / l.pageSize) * l.pageSize; p < s + WINDOW && p - base + l.pageSize <= b.length; p += l.pageSize) {
    const page = b.subarray(p - base, p - base + l.pageSize);
    const ptype = page[l.ptypeOff]!;
    if (ptype !== PTYPE.NBT && ptype !== PTYPE.BBT) continue;
    const tr = pageTrailer(page, l);
    if (tr.ptypeRepeat !== ptype || tr.wSig !== computeSig(p, tr.bid)) continue;
    if (pstCrc(page.subarray(0, l.pageCrcLen)) !== tr.crc) continue;
    const hd = btPageHeader(page, l);
    const size = ptype === PTYPE.NBT ? l.nbtEntrySize : l.bbtEntrySize;
    if (hd.cLevel !== 0 || hd.cbEnt !== size || hd.cEnt * size > l.btEntriesLen) continue;
    for (let i = 0; i < hd.cEnt; i++) {
      const o = i * size;
      if (ptype === PTYPE.NBT) {
        const nid = page.readUInt32LE(o);
        if (nbt.find(nid) || seenNids.has(nid)) continue;
        seenNids.add(nid);
        if (nbtHealthy) {
          found.remnants++;
          continue;
        }
        nbt.add({ nid, bidData: readId(page, o + l.id, l.id), bidSub: readId(page, o + 2 * l.id, l.id), nidParent: page.readUInt32LE(o + 3 * l.id) });
        res.nodes++;
      } else {
        const bid = readId(page, o, l.id);
        if (bbt.find(bid) || seenBids.has(bid)) continue;
        const ib = readId(page, o + l.id, l.id);
        const cb = page.readUInt16LE(o + 2 * l.id);
        if (ib + blockSpan(l, cb) > fileSize) continue;
        seenBids.add(bid);
        bbt.add({ bid, ib, cb, cRef: page.readUInt16LE(o + 2 * l.id + 2) });
        res.blocks++;
        if (isInternalBid(bid)) res.internalBids.push(bid);
      }
    }
  }
}

function reportFound({ res, remnants }: Found, log: ProblemLog): void {
  if (remnants > 0) {
    log.add({ structure: 'recovery', offset: null, detail: `${remnants} node entr${remnants === 1 ? 'y' : 'ies'} of deleted items are still on disk (not part of the store any more)`, severity: 'info' });
  }
  if (res.blocks + res.nodes > 0) {
    log.add({
      structure: 'recovery',
      offset: null,
      detail: `linear recovery scan found ${res.blocks} block(s) and ${res.nodes} node entr${res.nodes === 1 ? 'y' : 'ies'} the B-trees no longer reach; they are used for counting and salvage`,
      severity: 'info',
    });
  }
}
