import fs from 'node:fs';
import { deflateSync } from 'node:zlib';
import { computeSig, pstCrc } from '../crc.ts';
import { f64, u32 } from '../columns.ts';
import { encodeBlock, encodeInPlace } from '../crypt.ts';
import { buildHeader } from './header.ts';
import { fillMapPage, ownMapPages, reservedPages, writeMaps } from './maps.ts';
import { writeId } from '../layout.ts';
import { nidIndex, nidType } from '../nids.ts';
import { PTYPE } from '../page.ts';
import { btHeader, pageTrailer } from './pages.ts';
import { StoreFile } from './store-file.ts';
import type { Geometry, Variant } from './variant.ts';
import { geometry } from './variant.ts';

// The NDB layer writer ([MS-PST] 2.2.2): blocks are appended in file order through one reusable buffer (memory does
// not grow with the file, only the per-block index entries do), then the B-trees, allocation maps and header are
// written at the end. No npm package writes PSTs, hence this code.

const FLUSH_BYTES = 4 << 20;
/** A durable store asks for writeback (writeback()) each time this many bytes were written since the last request. */
const WRITEBACK_BYTES = 64 << 20;
/** AMap bitmaps per allocation (see newBitmap()). */
const AMAP_SLAB = 64;
/** Every block is referenced exactly once (by an NBT entry, an X/XX-block or an SL/SI block). */
const CREF = 1;

export interface SubnodeRef {
  nid: number;
  bidData: number;
  bidSub: number;
}

export interface NdbStats {
  blocks: number;
  dataBytes: number;
  nodes: number;
  nbtPages: number;
  bbtPages: number;
  nbtDepth: number;
  bbtDepth: number;
  fileBytes: number;
}

export { writeId };

/**
 * BBT entries as chunked typed columns (electron/pst/columns.ts): 20 bytes per block whatever the block size, and
 * growing never copies (a 4 GB store has ~650,000 blocks: doubling arrays held two generations at once).
 */
class BlockIndex {
  private readonly bids = f64();
  private readonly ibs = f64();
  private readonly cbs = u32();

  get n(): number {
    return this.bids.n;
  }

  /** Forgets every entry from `n` on (a rollback). */
  truncate(n: number): void {
    this.bids.n = n;
    this.ibs.n = n;
    this.cbs.n = n;
  }

  push(bid: number, ib: number, cb: number): void {
    this.bids.push(bid);
    this.ibs.push(ib);
    this.cbs.push(cb);
  }

  bid(i: number): number {
    return this.bids.get(i);
  }

  ib(i: number): number {
    return this.ibs.get(i);
  }

  cb(i: number): number {
    return this.cbs.get(i);
  }
}

/** zlib-deflated bytes when that is smaller, else the bytes as given (zlib's output is fixed for a given input). */
function deflated(b: Uint8Array): Uint8Array {
  const z = deflateSync(b, { level: 9 });
  return z.length < b.length ? z : b;
}

interface NodeEntry {
  nid: number;
  bidData: number;
  bidSub: number;
  parent: number;
}

export interface NdbWriterOptions {
  /** Refuse to grow the store past this many bytes (default: the format's own limit). */
  maxBytes?: number;
  /** fsync the file before it is closed (the repair's output; generated test stores skip it). */
  durable?: boolean;
  /** Create the file, failing if it exists (the repair writes a fresh temporary name); default: overwrite. */
  exclusive?: boolean;
}

/** Where the writer stood: rollback() returns to it, as if nothing had been written since. */
export interface Savepoint {
  cursor: number;
  nextBlock: number;
  blocks: number;
  nodes: number;
  regions: number;
  dataBytes: number;
}

/**
 * Node data written piece by piece (for values read from another store as they arrive): the pieces are cut into
 * full blocks, and end() writes the XBLOCK/XXBLOCK above them. Memory: one block, plus one BID per block.
 */
export class DataSink {
  private readonly bids: number[] = [];
  private readonly sizes: number[] = [];
  private readonly pending: Buffer;
  private fill = 0;
  size = 0;

  constructor(
    private readonly ndb: NdbWriter,
    private readonly encoded: boolean,
    pending: Buffer,
    /** Gives `pending` back to the writer once this sink is done with it. */
    private readonly release: () => void = () => {},
  ) {
    this.pending = pending;
  }

  /** `crc`: the PST CRC of all of `data` when the caller knows it (a block copied as stored from a checked store). */
  write(data: Uint8Array, crc?: number): void {
    const max = this.pending.length;
    for (let at = 0; at < data.length; ) {
      // A whole block's worth with nothing pending goes straight to the store (no copy through `pending`).
      if (this.fill === 0 && data.length - at >= max) {
        this.bids.push(this.ndb.putDataBlock(data.subarray(at, at + max), this.encoded, at === 0 && data.length === max ? crc : undefined));
        this.sizes.push(max);
        at += max;
        continue;
      }
      const n = Math.min(data.length - at, max - this.fill);
      this.pending.set(data.subarray(at, at + n), this.fill);
      this.fill += n;
      at += n;
      if (this.fill === this.pending.length) this.flush();
    }
    this.size += data.length;
  }

  private flush(): void {
    this.bids.push(this.ndb.putDataBlock(this.pending.subarray(0, this.fill), this.encoded));
    this.sizes.push(this.fill);
    this.fill = 0;
  }

  /** Writes what is left; returns the BID of the data tree (a lone block for an empty value, as writeData does). */
  end(): number {
    if (this.fill > 0 || this.bids.length === 0) this.flush();
    this.done();
    return this.ndb.dataTree(this.bids, this.sizes);
  }

  /** The sink will not be written again (ended, or abandoned and rolled back). */
  done(): void {
    if (this.released) return;
    this.released = true;
    this.release();
  }

  private released = false;
}

export class NdbWriter {
  readonly g: Geometry;
  private readonly file: StoreFile;
  private readonly fd: number;
  /** The window being filled: the file's bytes at [bufStart, bufStart + bufEnd). */
  private buf: Buffer;
  private bufStart: number;
  private bufEnd = 0;
  private cursor: number;
  private nextBlock = 1;
  private nextPage = 1;
  private readonly blocks = new BlockIndex();
  private readonly nodes: NodeEntry[] = [];
  private readonly amaps: Uint8Array[] = [];
  /** Per AMap region: true while its map pages in the file match its bits (written with its blocks, see flush()). */
  private readonly mapsInFile: boolean[] = [];
  private readonly nidHigh = new Array<number>(32).fill(0);
  private dataBytes = 0;
  private closed = false;

  private readonly maxBytes: number;
  private readonly durable: boolean;

  constructor(
    private readonly path: string,
    private readonly v: Variant,
    private readonly dwUnique: number,
    opts: NdbWriterOptions = {},
  ) {
    this.g = geometry(v);
    // ANSI offsets are 32-bit and Outlook caps ANSI stores at 2 GB; Unicode offsets stay exact below 2^53.
    const formatMax = v.format === 'ansi' ? 2 ** 31 : 2 ** 50;
    this.maxBytes = Math.min(opts.maxBytes ?? formatMax, formatMax);
    this.durable = opts.durable ?? false;
    // A durable store's blocks go to the disk directly where possible (see store-file.ts).
    this.file = StoreFile.open(path, { exclusive: opts.exclusive, direct: this.durable });
    this.fd = this.file.fd;
    this.buf = this.file.bulkBuffer(FLUSH_BYTES + 65_536);
    this.cursor = this.g.layout.amapFirst;
    // The first window starts aligned too; the bytes before the cursor there are zeros (the space after the header).
    this.bufStart = this.cursor - (this.cursor % this.file.align);
    this.bufEnd = this.cursor - this.bufStart;
  }

  // ---- allocation -------------------------------------------------------------------------------------------------

  /**
   * A zeroed bitmap for one more AMap region, cut from slabs of AMAP_SLAB bitmaps: a 4 GB store has ~18,000 regions,
   * and an ArrayBuffer of its own for each (496 bytes) cost more in bookkeeping than in bits. Never reused after a
   * rollback, so every bitmap handed out is zero.
   */
  private newBitmap(): Uint8Array {
    const len = this.g.layout.amapBitmapLen;
    if (!this.amapSlab || this.amapSlabUsed + len > this.amapSlab.length) {
      this.amapSlab = new Uint8Array(len * AMAP_SLAB);
      this.amapSlabUsed = 0;
    }
    this.amapSlabUsed += len;
    return this.amapSlab.subarray(this.amapSlabUsed - len, this.amapSlabUsed);
  }

  private amapSlab: Uint8Array | null = null;
  private amapSlabUsed = 0;

  private bitmap(region: number): Uint8Array {
    const l = this.g.layout;
    while (this.amaps.length <= region) {
      const r = this.amaps.length;
      const bits = this.newBitmap();
      this.amaps.push(bits);
      this.mark(r, 0, reservedPages(this.g.layout, r, this.v.withoutFMaps) * l.pageSize);
    }
    return this.amaps[region]!;
  }

  private mark(region: number, off: number, len: number): void {
    const unit = this.g.layout.amapUnit;
    const bits = this.amaps[region]!;
    const end = (off + len) / unit;
    let u = off / unit;
    // Bit by bit up to a byte boundary, whole bytes (8 units) at once, then bit by bit again.
    for (; u < end && (u & 7) !== 0; u++) bits[u >>> 3]! |= 0x80 >>> (u & 7);
    if (Number.isInteger(u) && u + 8 <= end) {
      const bytes = Math.floor((end - u) / 8);
      bits.fill(0xff, u >>> 3, (u >>> 3) + bytes);
      u += bytes * 8;
    }
    for (; u < end; u++) bits[u >>> 3]! |= 0x80 >>> (u & 7);
    this.mapsInFile[region] = false;
  }

  // ---- savepoints -------------------------------------------------------------------------------------------------

  savepoint(): Savepoint {
    return { cursor: this.cursor, nextBlock: this.nextBlock, blocks: this.blocks.n, nodes: this.nodes.length, regions: this.amaps.length, dataBytes: this.dataBytes };
  }

  /**
   * Forgets every block and node written since `sp`: their space is free again and their BIDs are issued anew.
   * Allocation only moves forward, so all of it lies between sp.cursor and the cursor now.
   */
  rollback(sp: Savepoint): void {
    const l = this.g.layout;
    this.blocks.truncate(sp.blocks);
    this.nodes.length = sp.nodes;
    this.nextBlock = sp.nextBlock;
    this.dataBytes = sp.dataBytes;
    this.amaps.length = sp.regions;
    const region = Math.floor((sp.cursor - l.amapFirst) / l.amapSpan);
    if (region < this.amaps.length) {
      const bits = this.amaps[region]!;
      const start = l.amapFirst + region * l.amapSpan;
      for (let u = (sp.cursor - start) / l.amapUnit; u < l.amapSpan / l.amapUnit; u++) bits[u >>> 3]! &= ~(0x80 >>> (u & 7));
      // mark() records that the region's map pages in the file (if any went out) no longer match.
      this.mark(region, 0, reservedPages(l, region, this.v.withoutFMaps) * l.pageSize);
    }
    // Bytes still buffered past the savepoint are zeroed, so later blocks do not inherit stale padding.
    if (sp.cursor >= this.bufStart && sp.cursor < this.bufStart + this.bufEnd) {
      this.buf.fill(0, sp.cursor - this.bufStart, this.bufEnd);
      this.bufEnd = sp.cursor - this.bufStart;
    }
    this.cursor = sp.cursor;
  }

  /**
   * What the file would measure if finish() ran now with `more` bytes of data still to come: the data so far, the
   * B-tree pages for every node and block, the allocation-map pages, rounded up to whole AMap regions (a store grows
   * by whole regions). An upper estimate: splitting uses it to keep each output under its size limit.
   */
  projectedBytes(more = 0): number {
    const l = this.g.layout;
    const blocks = this.blocks.n + Math.ceil(more / this.g.blockDataMax) + 1;
    const nodes = this.nodes.length + 64;
    const leafPages = Math.ceil(nodes / Math.floor(l.btEntriesLen / l.nbtEntrySize)) + Math.ceil(blocks / Math.floor(l.btEntriesLen / l.bbtEntrySize));
    const pages = leafPages + Math.ceil(leafPages / (Math.floor(l.btEntriesLen / l.btEntrySize) - 1)) + 2;
    // Blocks are aligned (up to one alignment unit lost each) and every region opens with its map pages.
    const data = more + blocks * (l.blockTrailer + l.blockAlign);
    const end = this.cursor + data + pages * l.pageSize;
    const regions = Math.ceil((end - l.amapFirst) / (l.amapSpan - 4 * l.pageSize));
    return l.amapFirst + regions * l.amapSpan;
  }

  /** Bytes of the file in use so far (where the next block would go). */
  get used(): number {
    return this.cursor;
  }

  /** Next free, aligned range of `span` bytes that does not cross an AMap region or hit a map page. */
  private alloc(span: number, align: number): number {
    const l = this.g.layout;
    let ib = Math.ceil(this.cursor / align) * align;
    for (;;) {
      const region = Math.floor((ib - l.amapFirst) / l.amapSpan);
      const start = l.amapFirst + region * l.amapSpan;
      this.bitmap(region);
      const firstFree = start + reservedPages(l, region, this.v.withoutFMaps) * l.pageSize;
      if (ib < firstFree) ib = Math.ceil(firstFree / align) * align;
      if (ib + span > start + l.amapSpan) {
        ib = start + l.amapSpan;
        continue;
      }
      // The whole last AMap region becomes part of the file, so that is what must fit.
      if (start + l.amapSpan > this.maxBytes) {
        throw new Error(`the store would grow past ${this.maxBytes} bytes (${this.v.format === 'ansi' ? 'the 2 GB ANSI limit' : 'the size limit given'}); write fewer or smaller messages`);
      }
      this.mark(region, ib - start, span);
      this.cursor = ib + span;
      return ib;
    }
  }

  /**
   * A view of the file at [ib, ib+span) in the window being filled, moving the window when needed. Its bytes from
   * `dirty` on are zeros, as is any gap before it; the caller writes [0, dirty) itself. Windows are reused without
   * being cleared (clearing 4 MiB a window took ~0.6 s of a 1 GB repair on the development VM): only what the file
   * will hold is written into them.
   */
  private view(ib: number, span: number, dirty = 0): Buffer {
    if (ib < this.bufStart || ib + span > this.bufStart + FLUSH_BYTES) this.moveWindow(ib, span);
    const off = ib - this.bufStart;
    if (off > this.bufEnd) zero(this.buf, this.bufEnd, off);
    zero(this.buf, off + dirty, off + span);
    this.bufEnd = Math.max(this.bufEnd, off + span);
    return this.buf.subarray(off, off + span);
  }

  /**
   * Writes the window out and starts the next one where the AMap region of `ib` starts (rounded down to the
   * alignment direct I/O needs), or at `ib` where regions are larger than a window (4K pages). A region then never
   * straddles two windows: its map pages go out with its blocks (flush()) instead of being written into the file one
   * page at a time at the end, which, after direct writes, made the kernel read each page's surroundings back from
   * the disk (~0.5 s of a 1 GB repair on the development VM).
   * The new window starts with what the file holds before `ib`: carried over from the window being left (zeros past
   * what it holds), or read back from the file after a rollback.
   */
  private moveWindow(ib: number, span: number): void {
    const l = this.g.layout;
    const region = l.amapFirst + Math.floor((ib - l.amapFirst) / l.amapSpan) * l.amapSpan;
    const down = (at: number) => at - (at % this.file.align);
    const start = ib + span - down(region) <= FLUSH_BYTES ? down(region) : down(ib);
    const old = this.buf;
    const oldStart = this.bufStart;
    const oldEnd = oldStart + this.bufEnd;
    // The part of the old window from `start` on goes out with the new one, not twice.
    if (start >= oldStart && start < oldEnd) this.bufEnd = start - oldStart;
    this.flush();
    this.bufStart = start;
    if (start >= ib) return;
    if (start >= oldStart) {
      // The old window is only read from here on (the writing thread reads it too), so it may be the new one itself.
      const carried = Math.max(0, Math.min(ib, oldEnd) - start);
      if (carried > 0) old.copy(this.buf, 0, start - oldStart, start - oldStart + carried);
      this.bufEnd = carried;
    } else {
      this.file.readAt(this.buf, ib - start, start);
      this.bufEnd = ib - start;
    }
  }

  /** Writes the window out, with the map pages of every region that opens in it and whose pages are not out yet. */
  private flush(): void {
    this.unsynced += this.bufEnd;
    if (this.bufEnd > 0) {
      this.putMapPages();
      // A direct write goes on to the next aligned boundary: those bytes go out as zeros.
      const whole = Math.ceil(this.bufEnd / this.file.align) * this.file.align;
      this.buf.fill(0, this.bufEnd, whole);
      this.buf = this.file.submit(this.buf, this.bufEnd, this.bufStart);
    }
    this.bufEnd = 0;
  }

  /**
   * Puts the AMap (and PMap, FPMap) pages of the regions that open in the window into it, as their bits are now. A
   * region that is allocated in again later (the window moved on inside it, or a rollback reached back to it) gets
   * them written again by finish(): mark() clears its mapsInFile flag.
   */
  private putMapPages(): void {
    const l = this.g.layout;
    const end = this.bufStart + this.bufEnd;
    for (let r = Math.max(0, Math.ceil((this.bufStart - l.amapFirst) / l.amapSpan)); r < this.amaps.length; r++) {
      const start = l.amapFirst + r * l.amapSpan;
      if (start + reservedPages(l, r, this.v.withoutFMaps) * l.pageSize > end) break;
      if (this.mapsInFile[r]) continue;
      for (const p of ownMapPages(l, r, this.v.withoutFMaps)) {
        const page = this.buf.subarray(p.ib - this.bufStart, p.ib - this.bufStart + l.pageSize);
        page.fill(0);
        fillMapPage(page, l, p, this.amaps[r]!);
      }
      this.mapsInFile[r] = true;
    }
  }

  // ---- writeback --------------------------------------------------------------------------------------------------

  private unsynced = 0;
  private syncing: Promise<void> | null = null;
  private syncError: Error | null = null;

  /**
   * For a durable store: once WRITEBACK_BYTES were written since the last request, asks the kernel to write what was
   * written so far to disk (fdatasync on the thread pool; one request at a time; never waits). The disk then works
   * while the caller goes on writing, and the final fsync has at most the last stretch left: without it a 4 GB
   * output waited for all of its writeback at the end. An error is kept for settle() (a sync reports it only once).
   */
  writeback(): void {
    if (!this.durable || this.file.direct || this.closed || this.syncing || this.unsynced < WRITEBACK_BYTES) return;
    this.unsynced = 0;
    this.syncing = new Promise((resolve) => {
      fs.fdatasync(this.fd, (err) => {
        if (err) this.syncError ??= err;
        this.syncing = null;
        resolve();
      });
    });
  }

  /** Waits for a writeback request in flight and raises its error: call before finish(). */
  async settle(): Promise<void> {
    await this.syncing;
    if (this.syncError) throw this.syncError;
  }

  // ---- blocks -----------------------------------------------------------------------------------------------------

  private newBid(internal: boolean): number {
    return this.nextBlock++ * 4 + (internal ? 2 : 0);
  }

  /**
   * Writes one data block (≤ blockDataMax bytes); the caller references its BID from a node or data tree.
   * `encoded`: the bytes are already in this store's encoding (only for a position-independent one, see sink()).
   */
  putDataBlock(data: Uint8Array, encoded = false, crc?: number): number {
    return this.putBlock(data, false, encoded, encoded ? crc : undefined);
  }

  /** `knownCrc`: the CRC of `data` as it goes on disk (only for bytes written exactly as given: pre-encoded or plain). */
  private putBlock(data: Uint8Array, internal: boolean, preEncoded = false, knownCrc?: number): number {
    const l = this.g.layout;
    if (data.length > this.g.blockDataMax) throw new Error(`block of ${data.length} bytes exceeds ${this.g.blockDataMax}`);
    const bid = this.newBid(internal);
    const plain = internal || preEncoded || this.v.encoding === 'none';
    // Encoded, then deflated: the inverse of libpff's inflate-then-decrypt (see electron/pst/inflate.ts).
    const onDisk = this.v.compress ? deflated(plain ? data : encodeBlock(data, this.v.encoding, bid)) : data;
    const span = Math.ceil((onDisk.length + l.blockTrailer) / l.blockAlign) * l.blockAlign;
    const ib = this.alloc(span, l.blockAlign);
    const out = this.view(ib, span, onDisk.length);
    out.set(onDisk, 0);
    // Without compression the block is encoded in the output buffer itself (no copy per block).
    if (!this.v.compress && !plain) encodeInPlace(out.subarray(0, onDisk.length), this.v.encoding, bid);
    const t = span - l.blockTrailer;
    const crc = knownCrc !== undefined && onDisk === data ? knownCrc : pstCrc(out.subarray(0, onDisk.length));
    out.writeUInt16LE(onDisk.length, t);
    out.writeUInt16LE(computeSig(ib, bid), t + 2);
    if (l.id === 4) {
      out.writeUInt32LE(bid, t + 4);
      out.writeUInt32LE(crc, t + 8);
    } else {
      out.writeUInt32LE(crc, t + 4);
      writeId(out, t + 8, bid, 8);
      // 4K trailer (libpff's pff_block_footer_64bit_4k_page): 2 unknown bytes, then the uncompressed size; a size
      // equal to cb means "not deflate-compressed".
      if (l.blockTrailer === 24) out.writeUInt16LE(data.length, t + 18);
    }
    this.blocks.push(bid, ib, onDisk.length);
    this.dataBytes += data.length;
    return bid;
  }

  /** Writes node data of any size: one data block, or data blocks under an XBLOCK / XXBLOCK ([MS-PST] 2.2.2.8.3.2). */
  writeData(chunks: Iterable<Uint8Array>): number {
    const bids: number[] = [];
    const sizes: number[] = [];
    for (const c of chunks) {
      bids.push(this.putBlock(c, false));
      sizes.push(c.length);
    }
    return this.dataTree(bids, sizes);
  }

  /** The data tree over data blocks already written: the lone block, or an XBLOCK / XXBLOCK above them. */
  dataTree(bids: number[], sizes: number[]): number {
    if (bids.length === 0) return 0;
    if (bids.length === 1) return bids[0]!;
    return this.writeXTree(bids, sizes);
  }

  /**
   * Node data written piece by piece (see DataSink). `encoded`: the pieces come already encoded the way this store
   * encodes (a copy from a store with the same permutative encoding, which does not depend on the BID).
   */
  sink(encoded = false): DataSink {
    if (encoded && this.v.encoding === 'cyclic') throw new Error('cyclic encoding depends on the BID: pieces cannot come pre-encoded');
    // A sink holds at most one partial block: one buffer serves every sink in turn (a copy opens one per large
    // value, thousands per store). A sink opened while another still has it gets its own.
    if (this.sinkBusy) return new DataSink(this, encoded, Buffer.allocUnsafe(this.g.blockDataMax));
    this.sinkBusy = true;
    return new DataSink(this, encoded, (this.sinkBuffer ??= Buffer.allocUnsafe(this.g.blockDataMax)), () => {
      this.sinkBusy = false;
    });
  }

  private sinkBuffer: Buffer | null = null;
  private sinkBusy = false;

  /** Streaming variant: the caller produces chunk i on demand, so huge attachments never sit in memory. */
  writeDataStream(count: number, chunk: (i: number) => Uint8Array): number {
    function* gen(): Generator<Uint8Array> {
      for (let i = 0; i < count; i++) yield chunk(i);
    }
    return this.writeData(gen());
  }

  private writeXTree(bids: number[], sizes: number[]): number {
    const id = this.g.layout.id;
    const per = Math.floor((this.g.pageDataMax - 8) / id);
    const xblock = (level: number, children: number[], total: number): number => {
      const b = Buffer.alloc(8 + children.length * id);
      b[0] = 0x01;
      b[1] = level;
      b.writeUInt16LE(children.length, 2);
      b.writeUInt32LE(total >>> 0, 4);
      children.forEach((c, i) => writeId(b, 8 + i * id, c, id));
      return this.putBlock(b, true);
    };
    const xs: number[] = [];
    const xsizes: number[] = [];
    for (let i = 0; i < bids.length; i += per) {
      const total = sizes.slice(i, i + per).reduce((a, b) => a + b, 0);
      xs.push(xblock(1, bids.slice(i, i + per), total));
      xsizes.push(total);
    }
    if (xs.length === 1) return xs[0]!;
    if (xs.length > per) throw new Error(`node data of ${bids.length} blocks exceeds an XXBLOCK`);
    return xblock(2, xs, xsizes.reduce((a, b) => a + b, 0));
  }

  /** Subnode tree: one SLBLOCK, or SLBLOCKs under an SIBLOCK ([MS-PST] 2.2.2.8.3.3). Entries any order. */
  writeSubnodes(entries: SubnodeRef[]): number {
    if (entries.length === 0) return 0;
    const id = this.g.layout.id;
    const head = id === 8 ? 8 : 4;
    const sorted = [...entries].sort((a, b) => a.nid - b.nid);
    const per = Math.floor((this.g.pageDataMax - head) / (3 * id));
    const sl = (part: SubnodeRef[]): number => {
      const b = Buffer.alloc(head + part.length * 3 * id);
      b[0] = 0x02;
      b[1] = 0;
      b.writeUInt16LE(part.length, 2);
      part.forEach((e, i) => {
        const o = head + i * 3 * id;
        writeId(b, o, e.nid, id);
        writeId(b, o + id, e.bidData, id);
        writeId(b, o + 2 * id, e.bidSub, id);
      });
      return this.putBlock(b, true);
    };
    if (sorted.length <= per) return sl(sorted);
    const refs: { nid: number; bid: number }[] = [];
    for (let i = 0; i < sorted.length; i += per) {
      const part = sorted.slice(i, i + per);
      refs.push({ nid: part[0]!.nid, bid: sl(part) });
    }
    const siPer = Math.floor((this.g.pageDataMax - head) / (2 * id));
    if (refs.length > siPer) throw new Error(`${entries.length} subnodes exceed one SIBLOCK`);
    const b = Buffer.alloc(head + refs.length * 2 * id);
    b[0] = 0x02;
    b[1] = 1;
    b.writeUInt16LE(refs.length, 2);
    refs.forEach((r, i) => {
      writeId(b, head + i * 2 * id, r.nid, id);
      writeId(b, head + i * 2 * id + id, r.bid, id);
    });
    return this.putBlock(b, true);
  }

  /** Where block `bid` was written (BIDs are issued in increasing order, so the index is sorted). */
  locate(bid: number): { ib: number; cb: number; span: number } | null {
    const b = this.blocks;
    let lo = 0;
    let hi = b.n - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = b.bid(mid);
      if (v === bid) {
        const cb = b.cb(mid);
        const l = this.g.layout;
        return { ib: b.ib(mid), cb, span: Math.ceil((cb + l.blockTrailer) / l.blockAlign) * l.blockAlign };
      }
      if (v < bid) lo = mid + 1;
      else hi = mid - 1;
    }
    return null;
  }

  addNode(nid: number, bidData: number, bidSub: number, parent: number): void {
    this.nodes.push({ nid, bidData, bidSub, parent });
    this.seeNid(nid);
  }

  /** Tracks the per-type NID high-water marks that go into HEADER.rgnid. */
  seeNid(nid: number): void {
    const type = nidType(nid);
    this.nidHigh[type] = Math.max(this.nidHigh[type]!, nidIndex(nid) + 1);
  }

  // ---- B-trees ----------------------------------------------------------------------------------------------------

  private putPage(fill: (page: Buffer) => void, ptype: number): { bid: number; ib: number } {
    const l = this.g.layout;
    const ib = this.alloc(l.pageSize, l.pageSize);
    const bid = this.nextPage++ * 4;
    const page = this.view(ib, l.pageSize);
    fill(page);
    pageTrailer(page, this.g.layout, ptype, computeSig(ib, bid), bid);
    return { bid, ib };
  }

  /** Builds a B-tree bottom-up from `count` sorted leaf entries; returns the root BREF and depth. */
  private buildTree(
    ptype: number,
    count: number,
    leafSize: number,
    keyOf: (i: number) => number,
    writeLeaf: (page: Buffer, off: number, i: number) => void,
  ): { bid: number; ib: number; depth: number; pages: number } {
    const l = this.g.layout;
    const leafMax = Math.floor(l.btEntriesLen / leafSize);
    const btMax = Math.floor(l.btEntriesLen / l.btEntrySize);
    let level: { key: number; bid: number; ib: number }[] = [];
    let pages = 0;
    for (let i = 0; i < Math.max(count, 1); i += leafMax) {
      const n = Math.min(leafMax, count - i);
      const ref = this.putPage((p) => {
        for (let k = 0; k < n; k++) writeLeaf(p, k * leafSize, i + k);
        btHeader(p, l, n, leafMax, leafSize, 0);
      }, ptype);
      level.push({ key: count > 0 ? keyOf(i) : 0, ...ref });
      pages++;
    }
    let depth = 0;
    while (level.length > 1) {
      depth++;
      const next: typeof level = [];
      for (let i = 0; i < level.length; i += btMax) {
        const part = level.slice(i, i + btMax);
        const ref = this.putPage((p) => {
          part.forEach((e, k) => {
            const o = k * l.btEntrySize;
            writeId(p, o, e.key, l.id);
            writeId(p, o + l.id, e.bid, l.id);
            writeId(p, o + 2 * l.id, e.ib, l.id);
          });
          btHeader(p, l, part.length, btMax, l.btEntrySize, depth);
        }, ptype);
        next.push({ key: part[0]!.key, ...ref });
        pages++;
      }
      level = next;
    }
    return { bid: level[0]!.bid, ib: level[0]!.ib, depth, pages };
  }

  /** Closes and deletes a store that could not be completed, so no half-written file is left behind. */
  abort(): void {
    if (!this.closed) {
      this.closed = true;
      try {
        this.file.close();
      } catch {
        // closing can fail on a full disk; the file is removed all the same
      }
    }
    fs.rmSync(this.path, { force: true });
  }

  // ---- finish -----------------------------------------------------------------------------------------------------

  /** Writes B-trees, maps and header, and closes the file. */
  finish(): NdbStats {
    if (this.closed) throw new Error('PST writer already finished');
    const l = this.g.layout;
    const id = l.id;
    const nodes = [...this.nodes].sort((a, b) => a.nid - b.nid);
    for (let i = 1; i < nodes.length; i++) if (nodes[i]!.nid === nodes[i - 1]!.nid) throw new Error(`duplicate NID 0x${nodes[i]!.nid.toString(16)}`);
    const nbt = this.buildTree(PTYPE.NBT, nodes.length, l.nbtEntrySize, (i) => nodes[i]!.nid, (p, o, i) => {
      const e = nodes[i]!;
      writeId(p, o, e.nid, id);
      writeId(p, o + id, e.bidData, id);
      writeId(p, o + 2 * id, e.bidSub, id);
      p.writeUInt32LE(e.parent, o + 3 * id);
    });
    const b = this.blocks;
    const bbt = this.buildTree(PTYPE.BBT, b.n, l.bbtEntrySize, (i) => b.bid(i), (p, o, i) => {
      writeId(p, o, b.bid(i), id);
      writeId(p, o + id, b.ib(i), id);
      p.writeUInt16LE(b.cb(i), o + 2 * id);
      p.writeUInt16LE(CREF, o + 2 * id + 2);
    });
    this.flush();
    this.file.drain();
    const regions = this.amaps.length;
    const eof = l.amapFirst + regions * l.amapSpan;
    const amapFree = writeMaps(this.fd, l, this.amaps, l.format === 'unicode' ? this.nextPage++ * 4 : 0, !!this.v.withoutFMaps, (r) => this.mapsInFile[r] === true);
    fs.ftruncateSync(this.fd, eof);
    const header = buildHeader(this.v, this.g, {
      eof,
      amapLast: l.amapFirst + (regions - 1) * l.amapSpan,
      amapFree,
      nbt,
      bbt,
      bidNextB: this.nextBlock * 4,
      bidNextP: this.nextPage * 4,
      dwUnique: this.dwUnique,
      nidHigh: this.nidHigh,
    });
    fs.writeSync(this.fd, header, 0, header.length, 0);
    if (this.durable) fs.fsyncSync(this.fd);
    this.closed = true;
    this.file.close();
    return {
      blocks: b.n,
      dataBytes: this.dataBytes,
      nodes: nodes.length,
      nbtPages: nbt.pages,
      bbtPages: bbt.pages,
      nbtDepth: nbt.depth + 1,
      bbtDepth: bbt.depth + 1,
      fileBytes: eof,
    };
  }
}

/**
 * Zeros [from, to) of `buf`. A block's tail (padding and trailer, under 100 bytes) is zeroed by a plain loop: a
 * Buffer.fill call per block cost more than the bytes it writes (~0.4 µs, ~50 ms of a 1 GB repair).
 */
function zero(buf: Buffer, from: number, to: number): void {
  if (to - from > 256) buf.fill(0, from, to);
  else for (let i = from; i < to; i++) buf[i] = 0;
}
