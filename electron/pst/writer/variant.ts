import { ANSI, blockDataMax, UNICODE, UNICODE4K, type Layout, type PstFormat } from '../layout.ts';

// What differs between the store flavours the writer can produce. Byte layouts come from the scanner's layout table
// so writer and scanner cannot drift apart silently.

export type Encoding = 'none' | 'permute' | 'cyclic';

export interface Variant {
  format: PstFormat;
  encoding: Encoding;
  /** OST flavour: wMagicClient "SO" and wVerClient 12, as in the one public OST sample. */
  ost: boolean;
  /**
   * Imitates converters that never reserve the FMap/FPMap pages: data blocks land where Outlook keeps its FMap
   * (a store that is readable today, but that Outlook overwrites when it updates the map).
   */
  withoutFMaps?: boolean;
  /**
   * Deflate every block that gets smaller by it, as Outlook 2013+ may in Unicode-4K OSTs (cb = stored bytes, the
   * trailer keeps the inflated size). Unicode-4K only: the other trailers have no field for it.
   */
  compress?: boolean;
}

export interface Geometry {
  layout: Layout;
  wVer: number;
  /** Most data bytes one block may hold. */
  blockDataMax: number;
  /** Size of heap pages and table-row blocks: 8 KiB blocks as Outlook and every reader expect. */
  pageDataMax: number;
  cryptByte: number;
  /** Unicode strings (PT_UNICODE) or 8-bit strings (PT_STRING8, ANSI stores). */
  unicodeStrings: boolean;
}

export function geometry(v: Variant): Geometry {
  if (v.compress && v.format !== 'unicode4k') throw new Error(`compressed blocks exist only in unicode4k stores, not ${v.format}`);
  const layout = v.format === 'ansi' ? ANSI : v.format === 'unicode' ? UNICODE : UNICODE4K;
  return {
    layout,
    wVer: layout.wVer,
    blockDataMax: blockDataMax(layout),
    // Heap pages and row blocks stay 8 KiB blocks even in 4K stores, as Outlook and every reader expect.
    pageDataMax: blockDataMax(v.format === 'ansi' ? ANSI : UNICODE),
    cryptByte: v.encoding === 'none' ? 0 : v.encoding === 'permute' ? 1 : 2,
    unicodeStrings: v.format !== 'ansi',
  };
}
