import fs from 'node:fs';
import { computeSig } from '../../../electron/pst/crc.ts';
import type { Layout } from '../../../electron/pst/layout.ts';
import { pageTrailer, PTYPE } from './pages.ts';

// Allocation maps ([MS-PST] 2.2.2.7.2–2.2.2.7.6). AMaps record what the writer allocated; the deprecated PMap,
// FMap and FPMap pages are still placed and checksummed because Outlook expects them at fixed positions.
// FMap/FPMap placement (after the AMap and PMap of their region) follows [MS-PST] 1.3.2 and is not covered by any
// public sample: no fixture is large enough to hold one.

/** FMap pages start after the 128 AMaps the header's rgbFM covers, then one per 496 AMaps. */
const FMAP_FIRST_REGION = 128;
const FMAP_EVERY = 496;
/** FPMap likewise for PMaps: after 128 × 8 AMaps, then one per 496 × 8. */
const FPMAP_FIRST_REGION = 128 * 8;
const FPMAP_EVERY = 496 * 8;
const DLIST = 0x4200;

const hasPMap = (region: number) => region % 8 === 0;
const hasFMap = (region: number) => region >= FMAP_FIRST_REGION && (region - FMAP_FIRST_REGION) % FMAP_EVERY === 0;
const hasFPMap = (region: number) => region >= FPMAP_FIRST_REGION && (region - FPMAP_FIRST_REGION) % FPMAP_EVERY === 0;

/** Map pages at the start of AMap region `region` (the 4K format has AMaps only: the others are undocumented). */
export function reservedPages(l: Layout, region: number): number {
  if (l.format === 'unicode4k') return 1;
  return 1 + (hasPMap(region) ? 1 : 0) + (hasFMap(region) ? 1 : 0) + (hasFPMap(region) ? 1 : 0);
}

function longestFreeRun(bits: Uint8Array): { free: number; longest: number } {
  let free = 0;
  let run = 0;
  let longest = 0;
  for (let u = 0; u < bits.length * 8; u++) {
    if ((bits[u >>> 3]! & (0x80 >>> (u & 7))) === 0) {
      free++;
      longest = Math.max(longest, ++run);
    } else run = 0;
  }
  return { free, longest };
}

/** Writes every map page (and the Unicode density list, page BID `dlistBid`); returns ROOT.cbAMapFree. */
export function writeMaps(fd: number, l: Layout, amaps: Uint8Array[], dlistBid: number): number {
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
    let at = l.amapFirst + r * l.amapSpan + l.pageSize;
    if (hasPMap(r)) {
      put(at, PTYPE.PMAP, () => page.fill(0xff, pad, pad + l.amapBitmapLen)); // every page counted as allocated
      at += l.pageSize;
    }
    if (hasFMap(r)) {
      // The longest free run (in 64-byte units) of each of the next 496 AMaps.
      put(at, PTYPE.FMAP, () => {
        for (let k = 0; k < FMAP_EVERY && r + k < fmap.length; k++) page[pad + k] = fmap[r + k]!;
      });
      at += l.pageSize;
    }
    if (hasFPMap(r)) put(at, PTYPE.FPMAP, () => page.fill(0xff, pad, pad + l.amapBitmapLen));
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
