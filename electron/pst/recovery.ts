import { computeSig, pstCrc } from './crc.ts';
import { blockTrailerAt } from './block.ts';
import { isInternalBid, type BbtIndex, type NbtIndex } from './index.ts';
import { blockSpan, readId, type Layout } from './layout.ts';
import { btPageHeader, pageTrailer, PTYPE } from './page.ts';
import { checkCancel, type ProblemLog } from './problems.ts';
import type { PstSource } from './source.ts';
import type { Progress } from '../core/progress.ts';

// Recovery mode ([pst-format.md] §4.10 item 7): a linear scan that finds blocks and B-tree leaf pages by their
// self-describing trailers (cb + bid + wSig(ib, bid) + CRC), so a file whose B-trees are broken or whose tail is
// gone still yields the blocks and node entries that survive. Found items only fill gaps: entries reachable through
// the B-trees always win over stale copies found on disk.

const WINDOW = 1 << 20;

export interface RecoveryResult {
  blocks: number;
  nodes: number;
  internalBids: number[];
}

export async function recoveryScan(
  src: PstSource,
  l: Layout,
  nbt: NbtIndex,
  bbt: BbtIndex,
  log: ProblemLog,
  opts: { signal?: AbortSignal; onProgress?: (p: Progress) => void; nbtHealthy?: boolean },
): Promise<RecoveryResult> {
  const res: RecoveryResult = { blocks: 0, nodes: 0, internalBids: [] };
  // With a sound NBT, node entries found on disk but not in the tree are remnants of deleted items, not lost ones:
  // they are counted for the report but do not become items of the store.
  let remnants = 0;
  const seenBids = new Set<number>();
  const seenNids = new Set<number>();
  for (let s = l.amapFirst; s < src.size; s += WINDOW) {
    checkCancel(opts.signal);
    const base = Math.max(0, s - l.maxBlockTotal);
    const b = await src.read(base, s + WINDOW - base);
    // Blocks: every aligned position is a candidate block end.
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
    // NBT/BBT leaf pages not reached from ROOT.
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
          if (opts.nbtHealthy) {
            remnants++;
            continue;
          }
          nbt.add({ nid, bidData: readId(page, o + l.id, l.id), bidSub: readId(page, o + 2 * l.id, l.id), nidParent: page.readUInt32LE(o + 3 * l.id) });
          res.nodes++;
        } else {
          const bid = readId(page, o, l.id);
          if (bbt.find(bid) || seenBids.has(bid)) continue;
          const ib = readId(page, o + l.id, l.id);
          const cb = page.readUInt16LE(o + 2 * l.id);
          if (ib + blockSpan(l, cb) > src.size) continue;
          seenBids.add(bid);
          bbt.add({ bid, ib, cb, cRef: page.readUInt16LE(o + 2 * l.id + 2) });
          res.blocks++;
          if (isInternalBid(bid)) res.internalBids.push(bid);
        }
      }
    }
    opts.onProgress?.({ phase: 'recovery scan', done: Math.min(src.size, s + WINDOW), total: src.size, unit: 'bytes' });
  }
  bbt.finish();
  nbt.finish();
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
  return res;
}
