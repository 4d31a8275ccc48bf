import { open, type FileHandle } from 'node:fs/promises';

/**
 * Read-only positional access to a store. The file is opened with 'r' only, so nothing here can write it;
 * every read is bounded by the caller (pages ≤ 4 KiB, blocks ≤ 64 KiB, windows ≤ 1 MiB).
 */
export class PstSource {
  private constructor(
    private readonly fh: FileHandle,
    readonly path: string,
    readonly size: number,
  ) {}

  static async open(path: string): Promise<PstSource> {
    const fh = await open(path, 'r');
    try {
      const st = await fh.stat();
      if (!st.isFile()) throw new Error(`${path} is not a regular file`);
      return new PstSource(fh, path, st.size);
    } catch (e) {
      await fh.close();
      throw e;
    }
  }

  /** Reads up to `len` bytes at `pos`; the result is shorter when the file ends first (truncation is data, not an error). */
  async read(pos: number, len: number): Promise<Buffer> {
    if (pos < 0 || pos >= this.size || len <= 0) return Buffer.alloc(0);
    const n = Math.min(len, this.size - pos);
    const buf = Buffer.allocUnsafe(n);
    let got = 0;
    while (got < n) {
      const { bytesRead } = await this.fh.read(buf, got, n - got, pos + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return got === n ? buf : buf.subarray(0, got);
  }

  async close(): Promise<void> {
    await this.fh.close();
  }
}
