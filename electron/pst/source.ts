import { createHash } from 'node:crypto';
import { constants, readSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { checkCancel } from './problems.ts';

/** O_NONBLOCK where the platform has it (not on Windows, where a path cannot name a FIFO that blocks an open). */
const NONBLOCK: number = (constants as { O_NONBLOCK?: number }).O_NONBLOCK ?? 0;

/**
 * Read-only positional access to a store. The file is opened with 'r' only, so nothing here can write it;
 * every read is bounded by the caller (pages ≤ 4 KiB, blocks ≤ 64 KiB, windows ≤ 4 MiB).
 */
export class PstSource {
  private constructor(
    private readonly fh: FileHandle,
    readonly path: string,
    readonly size: number,
    /** The file's last-modified time when it was opened (ms), to tell whether another program wrote it since. */
    private readonly mtimeMs: number,
  ) {}

  static async open(path: string): Promise<PstSource> {
    // Non-blocking: opening a FIFO (named pipe) for reading would otherwise wait for a writer forever; it is then
    // refused below like every other file that is not a regular one. Reads of a regular file do not change.
    const fh = await open(path, constants.O_RDONLY | NONBLOCK).catch((err: NodeJS.ErrnoException) => {
      throw err.code === 'EBUSY' ? inUse(err) : err;
    });
    try {
      // The size and the first bytes are asked for at once, so the two thread-pool round trips overlap: per-file
      // latency is most of the cost of scanning many small stores. FIRST stays well below WINDOW: a 4 MiB buffer per
      // file churned the garbage collector on a batch of small stores.
      const first = Buffer.allocUnsafe(PstSource.FIRST);
      const [st, got] = await Promise.all([fh.stat(), fh.read(first, 0, first.length, 0).then((r) => r.bytesRead, () => -1)]);
      if (!st.isFile()) throw new Error(`${path} is not a regular file`);
      const src = new PstSource(fh, path, st.size, st.mtimeMs);
      // A short read (possible on some network file systems) is simply not used: view() reads the window again.
      if (got > 0 && got === Math.min(st.size, first.length)) await src.adoptFirst(first.subarray(0, got));
      return src;
    } catch (e) {
      await fh.close();
      throw e;
    }
  }

  private static readonly FIRST = 512 * 1024;

  /** Makes the first window from the bytes read at open: the whole store when it is small, else completed to WINDOW. */
  private async adoptFirst(head: Buffer): Promise<void> {
    if (head.length === this.size) {
      this.window = { pos: 0, buf: head, store: 0 };
      return;
    }
    const buf = (this.stores[0] = Buffer.allocUnsafe(Math.min(PstSource.WINDOW, this.size)));
    head.copy(buf);
    const rest = await this.readInto(buf.subarray(head.length), head.length, buf.length - head.length);
    this.window = { pos: 0, buf: buf.subarray(0, head.length + rest.length), store: 0 };
  }

  // Small random reads (pages, blocks, headers) are served from an LRU of small aligned chunks: B-tree pages and a
  // node's blocks often sit close together, and each async read costs far more than a copy. Chunks stay small so a
  // B-tree walk over a multi-GB file does not read megabytes per page. Bounded: CHUNKS × CHUNK bytes.
  private static readonly CHUNK = 64 * 1024;
  private static readonly CHUNKS = 64;
  /**
   * Forward-only window for the sequential block pass (one large read instead of many small ones). A store no bigger
   * than this is read in full at open and every later read is a copy: on the 23 shared fixtures that cut 44
   * scattered reads of one 4 MB OST to two.
   */
  private static readonly WINDOW = 4 * 1024 * 1024;
  /** Bytes two consecutive windows share: more than the largest block or page. */
  private static readonly OVERLAP = 128 * 1024;
  private window: { pos: number; buf: Buffer; store: 0 | 1 } | null = null;
  private ahead: { pos: number; store: 0 | 1; done: Promise<Buffer | null> } | null = null;
  /** Two buffers reused for every window (current and read-ahead), so a multi-GB pass leaves no trail of garbage. */
  private readonly stores: (Buffer | undefined)[] = [undefined, undefined];
  private readonly cache = new Map<number, Buffer>();
  /** Chunk reads in flight: the B-tree walk asks for pages concurrently, often several in one chunk. */
  private readonly pending = new Map<number, Promise<Buffer>>();

  /**
   * Copies [start, end) of chunk `index` out of the cache. Evicted chunk buffers are reused for the next miss: a
   * B-tree walk over a multi-GB store misses tens of thousands of times, and a fresh 64 KiB buffer per miss piled up
   * ~80 MB of garbage outside the JS heap before the GC noticed. The copy is made before this function yields, and a
   * buffer is only refilled after it left the cache, so no caller ever sees a buffer being overwritten.
   */
  private async chunkCopy(index: number, start: number, end: number, scratch?: ScratchArena): Promise<Buffer> {
    const hit = this.cache.get(index);
    if (hit) {
      this.cache.delete(index);
      this.cache.set(index, hit);
      return copyOut(hit.subarray(start, Math.min(end, hit.length)), scratch);
    }
    const inFlight = this.pending.get(index);
    if (inFlight) {
      const buf = await inFlight;
      return copyOut(buf.subarray(start, Math.min(end, buf.length)), scratch);
    }
    const loading = this.loadChunk(index);
    this.pending.set(index, loading);
    try {
      const buf = await loading;
      return copyOut(buf.subarray(start, Math.min(end, buf.length)), scratch);
    } finally {
      this.pending.delete(index);
    }
  }

  /** Reads chunk `index` into a free or evicted buffer and caches it. */
  private async loadChunk(index: number): Promise<Buffer> {
    let store: Buffer | undefined;
    if (this.cache.size >= PstSource.CHUNKS) {
      const [oldest, buf] = this.cache.entries().next().value!;
      this.cache.delete(oldest);
      store = buf.buffer.byteLength === PstSource.CHUNK ? Buffer.from(buf.buffer, 0, PstSource.CHUNK) : undefined;
    }
    const buf = await this.readInto(store ?? Buffer.allocUnsafeSlow(PstSource.CHUNK), index * PstSource.CHUNK, PstSource.CHUNK);
    this.cache.set(index, buf);
    if (this.cache.size > PstSource.CHUNKS) this.cache.delete(this.cache.keys().next().value!);
    return buf;
  }

  /**
   * Reads up to `len` bytes at `pos` into memory of the caller's own (a fresh buffer, or one taken from `scratch`); the
   * result is shorter when the file ends first (truncation is data, not an error).
   */
  async read(pos: number, len: number, scratch?: ScratchArena): Promise<Buffer> {
    if (pos < 0 || pos >= this.size || len <= 0) return Buffer.alloc(0);
    // Inside the read-ahead window (e.g. the whole of a small store after the header read): a copy, no I/O.
    const w = this.viewCached(pos, len);
    if (w) return copyOut(w, scratch);
    const C = PstSource.CHUNK;
    if (len <= 64 * 1024) {
      const first = Math.floor(pos / C);
      const last = Math.floor((Math.min(pos + len, this.size) - 1) / C);
      if (first === last) return this.chunkCopy(first, pos - first * C, pos - first * C + len, scratch);
    }
    return this.readDirect(pos, len, scratch);
  }

  /**
   * Gives up the sequential pass's read-ahead windows (8 MiB) once it is over: later reads are random and go through
   * the chunk cache.
   */
  async releaseWindows(): Promise<void> {
    await this.ahead?.done;
    this.ahead = null;
    this.window = null;
    this.stores[0] = undefined;
    this.stores[1] = undefined;
  }

  /**
   * For callers that walk the file in increasing offsets: may return a view into a shared read-ahead window (no copy);
   * the caller must not keep or modify it.
   */
  async view(pos: number, len: number): Promise<Buffer> {
    if (pos < 0 || pos >= this.size || len <= 0) return Buffer.alloc(0);
    const W = PstSource.WINDOW;
    const start = pos - (pos % 4096);
    if (pos - start + len > W) return this.readDirect(pos, len);
    const w = this.window;
    if (!w || pos < w.pos || pos + len > w.pos + w.buf.length) await this.moveWindow(pos, len, start);
    const cur = this.window!;
    return cur.buf.subarray(pos - cur.pos, Math.min(pos - cur.pos + len, cur.buf.length));
  }

  /**
   * Double buffering for the sequential pass: while the caller checks one window, the next one is already being
   * read, so the disk and the CRC work overlap (on a 171 MiB store the NDB pass waited ~25 % of its time for reads).
   * Windows overlap by OVERLAP so that a block straddling the end of one lies wholly inside the next.
   */
  private async moveWindow(pos: number, len: number, start: number): Promise<void> {
    const W = PstSource.WINDOW;
    const ahead = this.ahead;
    this.ahead = null;
    if (ahead && pos >= ahead.pos && pos + len <= ahead.pos + W) {
      const buf = await ahead.done;
      if (buf) {
        this.window = { pos: ahead.pos, buf, store: ahead.store };
        this.prefetch(ahead.pos + W - PstSource.OVERLAP, ahead.store === 0 ? 1 : 0);
        return;
      }
    } else if (ahead) await ahead.done; // both buffers are free once it is done
    const mine: 0 | 1 = ahead ? ahead.store : (this.window?.store ?? 0);
    const buf = (this.stores[mine] ??= Buffer.allocUnsafe(Math.min(W, this.size)));
    this.window = { pos: start, buf: await this.readInto(buf, start, W), store: mine };
    if (this.size > W) this.prefetch(start + W - PstSource.OVERLAP, mine === 0 ? 1 : 0);
  }

  private prefetch(pos: number, store: 0 | 1): void {
    if (pos >= this.size) return;
    const buf = (this.stores[store] ??= Buffer.allocUnsafe(PstSource.WINDOW));
    // A failed read-ahead is retried as a normal read, which then reports the error to the caller.
    this.ahead = { pos, store, done: this.readInto(buf, pos, PstSource.WINDOW).catch(() => null) };
  }

  /** view() without a promise: the bytes when they lie inside the current read-ahead window, else null. */
  viewCached(pos: number, len: number): Buffer | null {
    const w = this.window;
    if (!w || pos < w.pos || pos + len > w.pos + w.buf.length) return null;
    return w.buf.subarray(pos - w.pos, pos - w.pos + len);
  }

  private async readDirect(pos: number, len: number, scratch?: ScratchArena): Promise<Buffer> {
    if (pos >= this.size) return Buffer.alloc(0);
    const n = Math.min(len, this.size - pos);
    return this.readInto(scratch ? scratch.take(n) : Buffer.allocUnsafe(n), pos, len);
  }

  /** Fills `buf` from `pos` (at most `len` bytes); returns the filled part. */
  /** Fills `buf` from `pos` (into the caller's own buffer, for readers that reuse one); the filled part. */
  async readAt(buf: Buffer, pos: number): Promise<Buffer> {
    return this.readInto(buf, pos, buf.length);
  }

  /**
   * Read on the calling thread instead of the thread pool. For one reader that needs each block before it can go on
   * (the repair's walk and copy, a node at a time): a thread-pool round trip costs ~70 µs per read, several times the
   * read itself from the page cache. The event loop is still let through every YIELD_MS, so progress and a cancel
   * from outside are seen. The scan's block pass keeps its asynchronous read-ahead, where reads overlap the checks.
   */
  syncReads = false;
  private lastYield = 0;
  private static readonly YIELD_MS = 50;

  private async readInto(buf: Buffer, pos: number, len: number): Promise<Buffer> {
    if (pos >= this.size) return buf.subarray(0, 0);
    if (this.syncReads) {
      const now = performance.now();
      if (now - this.lastYield >= PstSource.YIELD_MS) {
        this.lastYield = now;
        await new Promise<void>((r) => setImmediate(r));
      }
    }
    const n = Math.min(len, this.size - pos, buf.length);
    let got = 0;
    while (got < n) {
      const bytesRead = this.syncReads ? readSync(this.fh.fd, buf, got, n - got, pos + got) : (await this.fh.read(buf, got, n - got, pos + got)).bytesRead;
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return got === buf.length ? buf : buf.subarray(0, got);
  }

  /**
   * SHA-256 of the whole file, hex. A store read in full at open is hashed from memory; a bigger one in one
   * sequential pass of WINDOW-sized reads (the only extra read a readiness scan makes).
   */
  async sha256(opts: { signal?: AbortSignal; onBytes?: (done: number) => void } = {}): Promise<string> {
    const h = createHash('sha256');
    const w = this.window;
    if (w && w.pos === 0 && w.buf.length === this.size) return h.update(w.buf).digest('hex');
    await this.ahead?.done;
    const buf = Buffer.allocUnsafe(Math.min(PstSource.WINDOW, this.size));
    let pos = 0;
    while (pos < this.size) {
      checkCancel(opts.signal);
      const got = await this.readInto(buf, pos, buf.length);
      if (got.length === 0) break;
      h.update(got);
      pos += got.length;
      opts.onBytes?.(pos);
    }
    return h.digest('hex');
  }

  /**
   * What changed since the file was opened, or null. A program that has the store open (Outlook, unless Windows' file
   * sharing keeps everyone else out) may write it at any time; what was read before and after such a write need not
   * agree, so a result built on both would report damage that is not there.
   */
  async changedSinceOpen(): Promise<string | null> {
    const st = await this.fh.stat();
    if (st.size !== this.size) return `its size went from ${this.size} to ${st.size} bytes`;
    if (st.mtimeMs !== this.mtimeMs) return `it was modified at ${new Date(st.mtimeMs).toISOString()}`;
    return null;
  }

  async close(): Promise<void> {
    await this.ahead?.done;
    await this.fh.close();
  }
}

/**
 * The error for a store another program holds open without sharing it: on Windows, Outlook opens its data files that
 * way, and every other open fails with a sharing violation (EBUSY in Node).
 */
function inUse(err: NodeJS.ErrnoException): NodeJS.ErrnoException {
  const e: NodeJS.ErrnoException = new Error('the file is in use by another program (Outlook keeps its data files open while it runs): close that program and try again');
  e.code = err.code;
  return e;
}

/**
 * One reusable region that reads are copied into instead of a fresh Buffer each, for a reader that is done with
 * everything it read before it calls reset() (the repair, a message at a time). Fresh buffers per block were most
 * of the copy's short-lived memory outside the JS heap, which V8 collects late: the peak RSS of a multi-GB repair
 * went up and down with it. A read that does not fit any more gets a fresh buffer as before.
 */
export class ScratchArena {
  private used = 0;
  private readonly buf: Buffer;

  constructor(bytes: number) {
    this.buf = Buffer.allocUnsafeSlow(bytes);
  }

  /** `n` bytes of the region (8-byte aligned), or a fresh buffer when the region is used up. */
  take(n: number): Buffer {
    if (this.used + n > this.buf.length) return Buffer.allocUnsafe(n);
    const b = this.buf.subarray(this.used, this.used + n);
    this.used += (n + 7) & ~7;
    return b;
  }

  /** Everything taken so far may be overwritten from now on. */
  reset(): void {
    this.used = 0;
  }
}

function copyOut(bytes: Buffer, scratch: ScratchArena | undefined): Buffer {
  if (!scratch) return Buffer.from(bytes);
  const b = scratch.take(bytes.length);
  bytes.copy(b);
  return b;
}
