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

/**
 * Fills `page` (zeroed, one page) with map page `p` of a region whose AMap bits are `bits`: the AMap, or the PMap and
 * FPMap, which say "nothing free" (an FMap needs the other regions: writeMaps() writes those).
 */
export function fillMapPage(page: Buffer, l: Layout, p: MapPage, bits: Uint8Array): void {
  const pad = l.id === 4 ? 4 : 0; // ANSI map pages start with 4 bytes of padding
  if (p.name === 'AMap') page.set(bits, pad);
  else page.fill(0xff, pad, pad + l.amapBitmapLen);
  pageTrailer(page, l, p.ptype, 0, p.ib); // map pages carry their own offset as BID and a zero signature
}

/** The map pages of region `region` that fillMapPage() fills, as the store keeps them. */
export function ownMapPages(l: Layout, region: number, withoutFMaps = false): MapPage[] {
  return mapPagesOf(l, region).filter((p) => p.name !== 'FMap' && (!withoutFMaps || keptWithoutFMaps(p)));
}

/**
 * Writes the map pages not in the file yet — those of regions `inFile` does not name, and every FMap — and the
 * Unicode density list (page BID `dlistBid`); returns ROOT.cbAMapFree.
 */
export function writeMaps(fd: number, l: Layout, amaps: Uint8Array[], dlistBid: number, withoutFMaps: boolean, inFile: (region: number) => boolean): number {
  const page = Buffer.alloc(l.pageSize);
  const pad = l.id === 4 ? 4 : 0;
  let free = 0;
  const fmap: number[] = [];
  amaps.forEach((bits, r) => {
    const run = longestFreeRun(bits);
    free += run.free * l.amapUnit;
    fmap.push(Math.min(255, run.longest));
    if (inFile(r)) return;
    for (const p of ownMapPages(l, r, withoutFMaps)) {
      page.fill(0);
      fillMapPage(page, l, p, bits);
      fs.writeSync(fd, page, 0, l.pageSize, p.ib);
    }
  });
  if (l.format === 'unicode4k') return free;
  if (!withoutFMaps) {
    amaps.forEach((_bits, r) => {
      for (const p of mapPagesOf(l, r)) {
        if (p.name !== 'FMap') continue;
        // The longest free run (in 64-byte units) of each of the next 496 AMaps.
        page.fill(0);
        for (let k = 0; k < 496 && r + k < fmap.length; k++) page[pad + k] = fmap[r + k]!;
        pageTrailer(page, l, p.ptype, 0, p.ib);
        fs.writeSync(fd, page, 0, l.pageSize, p.ib);
      }
    });
  }
  if (l.format === 'unicode') {
    // Density list ([MS-PST] 2.2.2.7.4): backfill complete, no entries (the AMaps are filled in file order).
    const dl = Buffer.alloc(512);
    dl[0] = 0x01;
    pageTrailer(dl, l, PTYPE.DLIST, computeSig(DLIST, dlistBid), dlistBid);
    fs.writeSync(fd, dl, 0, 512, DLIST);
  }
  return free;
}
