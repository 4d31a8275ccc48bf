import fs from 'node:fs';

// The file a store is written to. A durable store (the repair's output, fsynced before it is renamed into place)
// writes its bulk — the blocks, appended in 4 MiB windows — with direct I/O where the file system allows it: the bytes
// go from the writer's buffer to the disk without passing through the page cache. A buffered write copies every byte
// into a fresh page-cache page (measured on the 2-core development VM: 1.6–2.9 s of kernel time for a 1.1 GB output,
// more than the disk needs to write it), and the final fsync then waits for the disk on top. Databases write their
// files the same way for the same reason; the user's own cached files are not evicted by a multi-GB output either.
// Everything else (allocation maps, header, the few reads) goes through an ordinary descriptor of the same file, and
// one fsync at the end makes both durable. Where direct I/O is not available (Windows, macOS, tmpfs, some network
// file systems) or a direct write is refused, every write is an ordinary one: the output is the same.

/** Direct I/O needs offsets, lengths and memory aligned to the device's block size; 4096 covers 512-byte and 4K disks. */
const ALIGN = 4096;

export interface StoreFileOptions {
  /** Refuse an existing file (O_EXCL). */
  exclusive?: boolean;
  /** Try direct I/O for the bulk writes. */
  direct?: boolean;
}

export class StoreFile {
  /** Ordinary descriptor (read-write): maps, header, reads, truncate and fsync. */
  readonly fd: number;
  private dfd: number | null = null;

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
    return this.dfd !== null;
  }

  /** The alignment bulk writes keep: window starts are rounded down to it (1 when writes are ordinary). */
  get align(): number {
    return this.dfd !== null ? ALIGN : 1;
  }

  /**
   * A zeroed buffer of `size` bytes for writeBulk(). For direct I/O its memory must be aligned, which JavaScript cannot
   * ask for: the buffer is cut at the first offset from which the kernel takes a direct write (of one aligned block
   * of zeros at the start of the file, which the header overwrites at the end). No such offset: ordinary writes.
   */
  bulkBuffer(size: number): Buffer {
    if (this.dfd === null) return Buffer.alloc(size);
    const raw = Buffer.alloc(size + ALIGN);
    for (let at = 0; at < ALIGN; at += 16) {
      try {
        fs.writeSync(this.dfd, raw, at, ALIGN, 0);
        return raw.subarray(at, at + size);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EINVAL') throw err;
      }
    }
    this.dropDirect();
    return raw.subarray(0, size);
  }

  /**
   * Writes `len` bytes of `buf` at `pos` (`pos` aligned to `align`). A direct write covers whole aligned blocks: the
   * bytes of `buf` after `len` up to the next boundary go along, so they must be zeros or data that belongs there.
   */
  writeBulk(buf: Buffer, len: number, pos: number): void {
    if (len <= 0) return;
    if (this.dfd !== null) {
      const whole = Math.ceil(len / ALIGN) * ALIGN;
      try {
        writeAll(this.dfd, buf, whole, pos);
        return;
      } catch (err) {
        // A direct write the file system will not take (alignment it needs larger, a mode it does not support):
        // from here on every write is an ordinary one, starting with this one again.
        if ((err as NodeJS.ErrnoException).code !== 'EINVAL') throw err;
        this.dropDirect();
      }
    }
    writeAll(this.fd, buf, len, pos);
  }

  /** Reads what the file holds at [pos, pos + len) into `buf` (zeros past its end). */
  readAt(buf: Buffer, len: number, pos: number): void {
    let got = 0;
    while (got < len) {
      const n = fs.readSync(this.fd, buf, got, len - got, pos + got);
      if (n === 0) break;
      got += n;
    }
    buf.fill(0, got, len);
  }

  close(): void {
    this.dropDirect();
    fs.closeSync(this.fd);
  }

  private dropDirect(): void {
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

/** write() until every byte is written: a write may be short (near a file-size limit); the next one then fails. */
function writeAll(fd: number, buf: Buffer, len: number, pos: number): void {
  let done = 0;
  while (done < len) done += fs.writeSync(fd, buf, done, len - done, pos + done);
}
