import fs from 'node:fs';
import { WriteBehind, type Window } from './write-behind.ts';

// The file a store is written to. A durable store (the repair's output, fsynced before it is renamed into place)
// writes its bulk — the blocks, appended in 4 MiB windows — with direct I/O where the file system allows it: the bytes
// go from the writer's memory to the disk without passing through the page cache, on a thread of their own while the
// writer fills the next window (write-behind.ts). A buffered write copies every byte into a fresh page-cache page
// (measured on the 2-core development VM: 1.6–2.9 s of kernel time for a 1.1 GB output, more than the disk needs to
// write it), and the final fsync then waits for the disk on top. Databases write their files the same way for the same
// reason; the user's own cached files are not evicted by a multi-GB output either. Everything else (allocation maps,
// header, the few reads) goes through an ordinary descriptor of the same file, and one fsync at the end makes both
// durable. Where direct I/O is not available (Windows, macOS, some file systems) or a direct write is refused, every
// write is an ordinary one: the output is the same.

/** Direct I/O needs offsets, lengths and memory aligned to the device's block size; 4096 covers 512-byte and 4K disks. */
const ALIGN = 4096;
/** Windows in flight: one being filled while the other is written. */
const WINDOWS = 2;

export interface StoreFileOptions {
  /** Refuse an existing file (O_EXCL). */
  exclusive?: boolean;
  /** Try direct I/O for the bulk writes. */
  direct?: boolean;
}

export class StoreFile {
  /** Ordinary descriptor (read-write): maps, header, reads, truncate and fsync. */
  readonly fd: number;
  /** Descriptor opened with O_DIRECT, while direct writes are possible. */
  private dfd: number | null = null;
  private behind: WriteBehind | null = null;

  private constructor(
    readonly path: string,
    opts: StoreFileOptions,
  ) {
    this.fd = fs.openSync(path, opts.exclusive ? 'wx+' : 'w+');
    // A second descriptor for the direct writes, opened on the file just created (an open with O_DIRECT that the file
    // system refuses fails with EINVAL, and only after creating the file: so never as the first open).
    const O_DIRECT = fs.constants.O_DIRECT;
    if (opts.direct && O_DIRECT) {
      try {
        this.dfd = fs.openSync(path, fs.constants.O_WRONLY | O_DIRECT);
      } catch {
        this.dfd = null;
      }
    }
  }

  static open(path: string, opts: StoreFileOptions = {}): StoreFile {
    return new StoreFile(path, opts);
  }

  /** True while bulk writes go to the disk directly (the caller then need not ask for writeback). */
  get direct(): boolean {
    return this.behind !== null;
  }

  /** The alignment bulk writes keep: window starts are rounded down to it (1 when writes are ordinary). */
  get align(): number {
    return this.behind !== null ? ALIGN : 1;
  }

  /**
   * The first window to fill (zeroed, `size` bytes); submit() hands out the next ones. For direct I/O the memory must
   * be aligned and shared with the writing thread. JavaScript cannot ask for alignment: each window is cut at the
   * first offset from which the kernel takes a direct write (of one aligned block of zeros at the start of the file,
   * which the header overwrites at the end). No such offset, or no thread: ordinary writes.
   */
  bulkBuffer(size: number): Buffer {
    if (this.dfd !== null && !mayWaitHere()) this.closeDirect();
    if (this.dfd !== null) {
      const windows: Window[] = [];
      for (let k = 0; k < WINDOWS && this.dfd !== null; k++) {
        const sab = new SharedArrayBuffer(size + ALIGN);
        const offset = this.alignedOffset(Buffer.from(sab));
        if (offset === null) this.closeDirect();
        else windows.push({ sab, offset, length: size });
      }
      if (this.dfd !== null) {
        try {
          this.behind = new WriteBehind(this.dfd, windows);
          return this.behind.filling;
        } catch {
          this.closeDirect();
        }
      }
    }
    return Buffer.alloc(size);
  }

  /**
   * Writes the `len` bytes of the window `buf` (the one being filled) at `pos` (aligned to `align`) and returns the
   * window to fill next (not cleared: it holds what it held before). A direct write covers whole aligned blocks: the
   * bytes after `len` up to the next boundary go along, so they must be zeros or data that belongs there.
   */
  submit(buf: Buffer, len: number, pos: number): Buffer {
    if (this.behind) {
      try {
        return this.behind.submit(len, Math.ceil(len / ALIGN) * ALIGN, pos);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EINVAL') throw err;
        this.fallBack();
        return buf;
      }
    }
    writeAll(this.fd, buf, len, pos);
    return buf;
  }

  /** Waits until every submitted window is on the disk (direct) or in the file (ordinary); raises a write's error. */
  drain(): void {
    if (!this.behind) return;
    const err = this.behind.settleAll();
    if (!err) return;
    if (err.code !== 'EINVAL') throw err;
    this.fallBack();
  }

  /** Reads what the file holds at [pos, pos + len) into `buf` (zeros past its end), after the writes submitted. */
  readAt(buf: Buffer, len: number, pos: number): void {
    this.drain();
    let got = 0;
    while (got < len) {
      const n = fs.readSync(this.fd, buf, got, len - got, pos + got);
      if (n === 0) break;
      got += n;
    }
    buf.fill(0, got, len);
  }

  /** Closes the file (after the writes submitted; their errors are for drain()). */
  close(): void {
    this.closeDirect();
    fs.closeSync(this.fd);
  }

  /**
   * A direct write the file system would not take (an alignment larger than ALIGN, a mode it does not support): the
   * windows that failed are written again, oldest first and each with exactly its own bytes (so a later window that
   * shares a block is not overwritten), and every write from here on is an ordinary one.
   */
  private fallBack(): void {
    const behind = this.behind!;
    const err = behind.settleAll();
    if (err && err.code !== 'EINVAL') throw err;
    for (const w of behind.failed()) writeAll(this.fd, w.buf, w.len, w.pos);
    this.closeDirect();
  }

  /** The offset into `buf` from which a direct write of one aligned block succeeds; null when none does. */
  private alignedOffset(buf: Buffer): number | null {
    for (let at = 0; at < ALIGN; at += 16) {
      try {
        fs.writeSync(this.dfd!, buf, at, ALIGN, 0);
        return at;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EINVAL') return null;
      }
    }
    return null;
  }

  private closeDirect(): void {
    this.behind?.stop();
    this.behind = null;
    if (this.dfd === null) return;
    const d = this.dfd;
    this.dfd = null;
    try {
      fs.closeSync(d);
    } catch {
      // nothing was left to write through it
    }
  }
}

/**
 * Whether this thread may block in Atomics.wait (the hand-over with the writing thread needs it). Node's threads may;
 * an embedder can forbid it on its main thread (browsers do), and then the call throws before it looks at the value.
 */
function mayWaitHere(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

/** write() until every byte is written: a write may be short (near a file-size limit); the next one then fails. */
function writeAll(fd: number, buf: Buffer, len: number, pos: number): void {
  let done = 0;
  while (done < len) done += fs.writeSync(fd, buf, done, len - done, pos + done);
}
