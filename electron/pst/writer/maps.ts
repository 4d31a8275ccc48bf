import fs from 'node:fs';
import { computeSig } from '../crc.ts';
import { DLIST_OFFSET as DLIST, type Layout } from '../layout.ts';
import { mapPageCount, mapPagesOf, type MapPage } from '../map-pages.ts';
import { PTYPE } from '../page.ts';
import { pageTrailer } from './pages.ts';

// Allocation maps ([MS-PST] 2.2.2.7.2–2.2.2.7.6). AMaps record what the writer allocated; the deprecated PMap,
// FMap and FPMap pages are still placed and checksummed because Outlook expects them at fixed positions. Placement
// is the scanner's own rule (electron/pst/map-pages.ts), so writer and scanner cannot drift apart.

/** Map pages at the start of AMap region `region` (only AMap and PMap for a store written `withoutFMaps`). */
export function reservedPages(l: Layout, region: number, withoutFMaps = false): number {
  return withoutFMaps ? mapPagesOf(l, region).filter(keptWithoutFMaps).length : mapPageCount(l, region);
}

const keptWithoutFMaps = (p: MapPage) => p.name === 'AMap' || p.name === 'PMap';

export function longestFreeRun(bits: Uint8Array): { free: number; longest: number } {
  let free = 0;
  let run = 0;
  let longest = 0;
  for (let i = 0; i < bits.length; i++) {
    const byte = bits[i]!;
    // Whole bytes first: a filled store's maps are almost all 0xFF, a fresh region's all 0x00.
    if (byte === 0xff) {
      run = 0;
      continue;
    }
    if (byte === 0) {
      free += 8;
      run += 8;
      longest = Math.max(longest, run);
      continue;
    }
    for (let b = 0; b < 8; b++) {
      if ((byte & (0x80 >>> b)) === 0) {
        free++;
        longest = Math.max(longest, ++run);
      } else run = 0;
    }
  }
  return { free, longest };
}

/** Writes every map page (and the Unicode density list, page BID `dlistBid`); returns ROOT.cbAMapFree. */
export function writeMaps(fd: number, l: Layout, amaps: Uint8Array[], dlistBid: number, withoutFMaps = false): number {
  const page = Buffer.alloc(l.pageSize);
  const pad = l.id === 4 ? 4 : 0; // ANSI map pages start with 4 bytes of padding
  const put = (at: number, ptype: number, fill: () => void) => {
    page.fill(0);
    fill();
    pageTrailer(page, l, ptype, 0, at); // map pages carry their own offset as BID and a zero signature
    fs.writeSync(fd, page, 0, l.pageSize, at);
  };
  let free = 0;
  const fmap: number[] = [];
  amaps.forEach((bits, r) => {
    const start = l.amapFirst + r * l.amapSpan;
    put(start, PTYPE.AMAP, () => page.set(bits, pad));
    const run = longestFreeRun(bits);
    free += run.free * l.amapUnit;
    fmap.push(Math.min(255, run.longest));
  });
  if (l.format === 'unicode4k') return free;
  amaps.forEach((_bits, r) => {
    for (const p of mapPagesOf(l, r)) {
      if (withoutFMaps && !keptWithoutFMaps(p)) continue;
      if (p.name === 'PMap' || p.name === 'FPMap') put(p.ib, p.ptype, () => page.fill(0xff, pad, pad + l.amapBitmapLen)); // nothing free
      // The longest free run (in 64-byte units) of each of the next 496 AMaps.
      if (p.name === 'FMap') put(p.ib, p.ptype, () => {
        for (let k = 0; k < 496 && r + k < fmap.length; k++) page[pad + k] = fmap[r + k]!;
      });
    }
  });
  if (l.format === 'unicode') {
    // Density list ([MS-PST] 2.2.2.7.4): backfill complete, no entries (the AMaps are filled in file order).
    const dl = Buffer.alloc(512);
    dl[0] = 0x01;
    pageTrailer(dl, l, PTYPE.DLIST, computeSig(DLIST, dlistBid), dlistBid);
    fs.writeSync(fd, dl, 0, 512, DLIST);
  }
  return free;
}
