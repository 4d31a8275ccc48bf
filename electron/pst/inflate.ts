import { inflateRawSync, inflateSync } from 'node:zlib';
import type { Layout } from './layout.ts';

// Deflate-compressed blocks of Unicode-4K stores (Outlook 2013+ OSTs). The 24-byte 4K trailer holds the inflated size
// at +18; cb (BBT and trailer) and the CRC cover the stored, compressed bytes. Following libpff
// (libpff_data_block_read_file_io_handle, github.com/libyal/libpff): a block is compressed when that size is non-zero
// and differs from cb, it is inflated with zlib's uncompress() right after the CRC check, and only then decrypted
// (libpff_data_block_decrypt_data). So encoded data is decoded after inflating, never before. Checked by experiment
// too: pffexport 20180714 reads every message of a written store whose blocks were encoded then deflated, and opens
// none when they were deflated then encoded ("unable to decompress data block data").

/** The inflated size a 4K block's trailer declares, or null for a block stored as is. `alloc` = the whole allocation. */
export function declaredSize(alloc: Buffer, l: Layout, cb: number): number | null {
  // A cut-off block has no trailer to read (that defect is reported by checkBlock).
  if (l.blockTrailer !== 24 || alloc.length < cb + l.blockTrailer) return null;
  const size = alloc.readUInt16LE(alloc.length - l.blockTrailer + 18);
  return size === 0 || size === cb ? null : size;
}

export type BlockPayload = { data: Buffer; defect: null } | { data: null; defect: string };

/**
 * A block's logical bytes (still encoded: decode them after this): its stored bytes, or those inflated when the 4K
 * trailer says it is compressed. Inflation is bounded by the declared size, and must reach it exactly.
 */
export function blockPayload(alloc: Buffer, l: Layout, cb: number): BlockPayload {
  const stored = alloc.subarray(0, cb);
  const size = declaredSize(alloc, l, cb);
  return size === null ? { data: stored, defect: null } : inflateBlock(stored, size);
}

/** RFC 1950 header: CM = 8 (deflate) and the 16-bit header a multiple of 31. */
function hasZlibHeader(b: Buffer): boolean {
  return b.length >= 2 && (b[0]! & 0x0f) === 8 && ((b[0]! << 8) | b[1]!) % 31 === 0;
}

export function inflateBlock(stored: Buffer, size: number): BlockPayload {
  const fail = (why: string): BlockPayload => ({ data: null, defect: `compressed block does not inflate: ${why}` });
  try {
    // zlib format is what libpff's uncompress() reads; raw deflate is accepted for a stream without the zlib header.
    const opts = { maxOutputLength: size };
    const out = hasZlibHeader(stored) ? inflateSync(stored, opts) : inflateRawSync(stored, opts);
    if (out.length !== size) return fail(`${stored.length} stored bytes give ${out.length}, the trailer declares ${size}`);
    return { data: out, defect: null };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ERR_BUFFER_TOO_LARGE') return fail(`${stored.length} stored bytes give more than the ${size} the trailer declares`);
    return fail(`${e.message} (${stored.length} stored bytes, ${size} declared)`);
  }
}
