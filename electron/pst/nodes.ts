import { checkBlock, parseInternalBlock } from './block.ts';
import { decodeInPlace } from './crypt.ts';
import { blockPayload } from './inflate.ts';
import { bidKey, isInternalBid } from './index.ts';
import { blockSpan, hex } from './layout.ts';
import type { NdbResult } from './ndb.ts';
import type { PstSource, ScratchArena } from './source.ts';

// Reads a node's data and subnode tree through the (possibly recovered) BBT. Every block is re-verified as it is
// read, damage is returned alongside whatever could still be read, and the data/subnode trees are depth-bounded.

export interface Damage {
  bid: number;
  detail: string;
}

export interface SubnodeRef {
  bidData: number;
  bidSub: number;
}

export interface NodeData {
  blocks: Buffer[];
  subnodes: Map<number, SubnodeRef>;
  damage: Damage[];
}

/** One read serves the data blocks of a value that lie within this many bytes of each other (see readRun). */
const RUN_BYTES = 1024 * 1024;
const RUN_GAP = 64 * 1024;

/** Largest node data we assemble in memory (attachment bytes beyond this are reported, not loaded). */
const MAX_NODE_BYTES = 512 * 1024 * 1024;

export class NodeReader {
  constructor(
    private readonly src: PstSource,
    private readonly ndb: NdbResult,
  ) {}

  /** While set, blocks are read into this region (see ScratchArena): the caller drops them before it resets it. */
  scratch: ScratchArena | null = null;

  private async block(bid: number, raw = false, read?: Map<number, Buffer>): Promise<{ data: Buffer | null; damage: Damage | null; crc?: number }> {
    const e = this.ndb.bbt.find(bid);
    if (!e) return { data: null, damage: { bid, detail: `block ${hex(bid)} is not in the block B-tree` } };
    const buf = read?.get(bidKey(bid)) ?? (await this.src.read(e.ib, blockSpan(this.ndb.header.layout, e.cb), this.scratch ?? undefined));
    return this.settle(bid, e, buf, raw);
  }

  /** block() for bytes already read (a run of blocks read at once): no promise per block. */
  private blockFrom(bid: number, raw: boolean, buf: Buffer): { data: Buffer | null; damage: Damage | null; crc?: number } {
    const e = this.ndb.bbt.find(bid);
    if (!e) return { data: null, damage: { bid, detail: `block ${hex(bid)} is not in the block B-tree` } };
    return this.settle(bid, e, buf, raw);
  }

  /**
   * Checks (where the scan did not), inflates and decodes the block `buf` read for BBT entry `e`. `crc`: for a sound
   * block taken raw as stored, the CRC its trailer holds (it covers exactly `data`), so a copy need not compute it again.
   */
  private settle(bid: number, e: { bid: number; ib: number; cb: number }, buf: Buffer, raw: boolean): { data: Buffer | null; damage: Damage | null; crc?: number } {
    const l = this.ndb.header.layout;
    const span = blockSpan(l, e.cb);
    // Without a recovery scan, the NDB pass checked every BBT block (trailer, signature, CRC) and listed the bad ones:
    // checking the sound ones again here doubled the CRC work of a scan. Recovered entries are always checked.
    const known = !this.ndb.stats.recoveryRan && !this.ndb.badBlocks.has(bidKey(bid)) && buf.length === span;
    const defects = known ? [] : buf.length >= e.cb ? checkBlock(buf, l, e.ib, e.bid, e.cb) : ['cut off by the end of the file'];
    if (buf.length < e.cb) return { data: null, damage: { bid, detail: defects.join('; ') } };
    // Inflated first, decoded after (the order libpff uses, see inflate.ts); internal blocks may be compressed too.
    const p = blockPayload(buf, l, e.cb);
    if (!p.data) return { data: null, damage: { bid, detail: [...defects, p.defect].join('; ') } };
    // `buf` (or the inflated copy) is this reader's own memory (PstSource.read never returns shared memory) and its
    // CRC is checked: decode it in place rather than copying every block once more.
    const data = p.data;
    if (!isInternalBid(bid) && !raw) decodeInPlace(data, this.ndb.header.crypt, e.bid);
    if (defects.length > 0) return { data, damage: { bid, detail: defects.join('; ') } };
    // The trailer's dwCRC ([MS-PST] 2.2.2.8.1): after cb and wSig, before the BID in Unicode; last in ANSI.
    const asStored = raw && buf.length >= span && data.length === e.cb && data.buffer === buf.buffer && data.byteOffset === buf.byteOffset;
    return { data, damage: null, crc: asStored ? buf.readUInt32LE(span - l.blockTrailer + (l.id === 4 ? 8 : 4)) : undefined };
  }

  /** Data blocks of a data tree (plain block, XBLOCK or XXBLOCK), in order. */
  async data(bidData: number): Promise<{ blocks: Buffer[]; damage: Damage[] }> {
    const blocks: Buffer[] = [];
    const damage: Damage[] = [];
    let total = 0;
    const visit = async (bid: number, depth: number): Promise<void> => {
      const b = await this.block(bid);
      if (b.damage) damage.push(b.damage);
      if (!b.data) return;
      if (!isInternalBid(bid)) {
        total += b.data.length;
        if (total > MAX_NODE_BYTES) {
          damage.push({ bid, detail: `node data exceeds ${MAX_NODE_BYTES} bytes; rest not loaded` });
          return;
        }
        blocks.push(b.data);
        return;
      }
      const p = parseInternalBlock(b.data, this.ndb.header.layout);
      if (p.kind !== 'x' || depth >= 2) {
        damage.push({ bid, detail: p.kind === 'bad' ? p.reason : `unexpected ${p.kind.toUpperCase()} block in a data tree (depth ${depth})` });
        return;
      }
      for (const c of p.x.bids) await visit(c, depth + 1);
    };
    if (bidData !== 0) await visit(bidData, 0);
    return { blocks, damage };
  }

  /**
   * The data blocks of a data tree one at a time, in order, so a value of any size can be copied with bounded
   * memory. Damage met on the way is appended to `damage`; the blocks after a damaged one are still yielded.
   * `raw`: data blocks as stored, still encoded (a copy into a store with the same position-independent encoding).
   * `transient`: each block is only valid until the next one is asked for (the caller copies it away), so one read
   * buffer serves the whole value instead of a new one per run of blocks.
   */
  async *stream(bidData: number, damage: Damage[], opts: { raw?: boolean; transient?: boolean } = {}, depth = 0, read?: Map<number, Buffer>): AsyncGenerator<Buffer> {
    if (bidData === 0) return;
    const raw = opts.raw ?? false;
    const b = await this.block(bidData, raw, read);
    if (b.damage) damage.push(b.damage);
    if (!b.data) return;
    if (!isInternalBid(bidData)) {
      yield b.data;
      return;
    }
    const p = parseInternalBlock(b.data, this.ndb.header.layout);
    if (p.kind !== 'x' || depth >= 2) {
      damage.push({ bid: bidData, detail: p.kind === 'bad' ? p.reason : `unexpected ${p.kind.toUpperCase()} block in a data tree (depth ${depth})` });
      return;
    }
    for (let i = 0; i < p.x.bids.length; ) {
      const run = await this.readRun(p.x.bids, i, opts.transient ?? false);
      for (; i < run.end; i++) yield* this.stream(p.x.bids[i]!, damage, opts, depth + 1, run.read);
    }
  }

  /**
   * stream() without an async generator: each data block of the tree is handed to `take`, in order, synchronously
   * (so a transient block can be copied away before the next read); `take` returns false to stop. Blocks of a run
   * read at once are settled without a promise each (a generator and its promises per block were the largest
   * allocation of the copy). Resolves to false when stopped.
   */
  async forEachBlock(
    bidData: number,
    damage: Damage[],
    opts: { raw?: boolean; transient?: boolean },
    take: (b: Buffer, crc?: number) => boolean,
    depth = 0,
    read?: Map<number, Buffer>,
  ): Promise<boolean> {
    if (bidData === 0) return true;
    const raw = opts.raw ?? false;
    const b = await this.block(bidData, raw, read);
    if (b.damage) damage.push(b.damage);
    if (!b.data) return true;
    if (!isInternalBid(bidData)) return take(b.data, b.crc);
    const p = parseInternalBlock(b.data, this.ndb.header.layout);
    if (p.kind !== 'x' || depth >= 2) {
      damage.push({ bid: bidData, detail: p.kind === 'bad' ? p.reason : `unexpected ${p.kind.toUpperCase()} block in a data tree (depth ${depth})` });
      return true;
    }
    const bids = p.x.bids;
    for (let i = 0; i < bids.length; ) {
      const run = await this.readRun(bids, i, opts.transient ?? false);
      for (; i < run.end; i++) {
        const child = bids[i]!;
        const buf = isInternalBid(child) ? undefined : run.read.get(bidKey(child));
        if (buf === undefined) {
          if (!(await this.forEachBlock(child, damage, opts, take, depth + 1, run.read))) return false;
          continue;
        }
        const c = this.blockFrom(child, raw, buf);
        if (c.damage) damage.push(c.damage);
        if (c.data && !take(c.data, c.crc)) return false;
      }
    }
    return true;
  }

  private runBuffer: Buffer | null = null;

  /**
   * Reads the blocks bids[from..] that lie close together in the file (as a writer lays out one value) with one read
   * of at most RUN_BYTES, instead of one read per block. Each block gets its own slice, so it can be decoded in place.
   */
  private async readRun(bids: number[], from: number, transient: boolean): Promise<{ end: number; read: Map<number, Buffer> }> {
    const l = this.ndb.header.layout;
    const read = new Map<number, Buffer>();
    const first = this.ndb.bbt.find(bids[from]!);
    if (!first || isInternalBid(first.bid)) return { end: from + 1, read };
    const start = first.ib;
    let end = first.ib + blockSpan(l, first.cb);
    let i = from + 1;
    const ranges = [{ bid: first.bid, ib: first.ib, span: end - first.ib }];
    for (; i < bids.length; i++) {
      const e = this.ndb.bbt.find(bids[i]!);
      if (!e || isInternalBid(e.bid) || e.ib < end || e.ib - end > RUN_GAP) break;
      const stop = e.ib + blockSpan(l, e.cb);
      if (stop - start > RUN_BYTES) break;
      ranges.push({ bid: e.bid, ib: e.ib, span: stop - e.ib });
      end = stop;
    }
    if (ranges.length === 1) return { end: i, read };
    const buf = transient ? await this.src.readAt((this.runBuffer ??= Buffer.allocUnsafe(RUN_BYTES)).subarray(0, end - start), start) : await this.src.read(start, end - start, this.scratch ?? undefined);
    for (const r of ranges) if (r.ib - start < buf.length) read.set(bidKey(r.bid), buf.subarray(r.ib - start, Math.min(buf.length, r.ib - start + r.span)));
    return { end: i, read };
  }

  /** The subnode tree (SLBLOCK / SIBLOCK) as subnode NID → its data and subnode BIDs. */
  async subnodes(bidSub: number): Promise<{ map: Map<number, SubnodeRef>; damage: Damage[] }> {
    const map = new Map<number, SubnodeRef>();
    const damage: Damage[] = [];
    const visit = async (bid: number, depth: number): Promise<void> => {
      const b = await this.block(bid);
      if (b.damage) damage.push(b.damage);
      if (!b.data) return;
      const p = parseInternalBlock(b.data, this.ndb.header.layout);
      if (p.kind === 'sl') for (const e of p.entries) map.set(e.nid, { bidData: e.bidData, bidSub: e.bidSub });
      else if (p.kind === 'si' && depth < 1) for (const r of p.refs) await visit(r.bid, depth + 1);
      else damage.push({ bid, detail: p.kind === 'bad' ? p.reason : `unexpected block in a subnode tree (depth ${depth})` });
    };
    if (bidSub !== 0) await visit(bidSub, 0);
    return { map, damage };
  }

  async readRef(ref: SubnodeRef): Promise<NodeData> {
    const d = await this.data(ref.bidData);
    const s = await this.subnodes(ref.bidSub);
    return { blocks: d.blocks, subnodes: s.map, damage: [...d.damage, ...s.damage] };
  }

  /** A top-level node from the NBT; null when the NBT has no such node. */
  async node(nid: number): Promise<NodeData | null> {
    const e = this.ndb.nbt.find(nid);
    if (!e) return null;
    return this.readRef({ bidData: e.bidData, bidSub: e.bidSub });
  }
}
