import type { Layout } from './layout.ts';
import { PTYPE } from './page.ts';

// Where the allocation-map pages of an AMap region sit ([MS-PST] 2.2.2.7.2–2.2.2.7.6). Every region starts with its
// AMap; the deprecated PMap, FMap and FPMap pages follow it, in that order, in the regions that carry them:
// - PMap: one per 8 AMaps (2,031,616 bytes), first at 0x4600.
// - FMap: one byte per AMap; the header's rgbFM covers the first 128 AMaps (32 MB), then one FMap per 496 AMaps.
// - FPMap: one bit per PMap; the header's rgbFP covers the first 128 × 8 PMaps (2 GB), then one per 496 × 8 PMaps.
// No public sample is large enough to hold an FMap or FPMap; the placement follows [MS-PST] 1.3.2.7–1.3.2.8, and
// FMap and FPMap regions never coincide (≡ 128 vs ≡ 256 mod 496). The 4K format documents its AMaps only.
// Shared by the scanner and the test-suite's PST writer, so both agree on one rule.

const PMAP_EVERY = 8;
const FMAP_FIRST = 128;
const FMAP_EVERY = 496;
const FPMAP_FIRST = 128 * 8 * PMAP_EVERY;
const FPMAP_EVERY = 496 * 8 * PMAP_EVERY;

export interface MapPage {
  ib: number;
  ptype: number;
  name: 'AMap' | 'PMap' | 'FMap' | 'FPMap';
}

const hasPMap = (region: number) => region % PMAP_EVERY === 0;
const hasFMap = (region: number) => region >= FMAP_FIRST && (region - FMAP_FIRST) % FMAP_EVERY === 0;
const hasFPMap = (region: number) => region >= FPMAP_FIRST && (region - FPMAP_FIRST) % FPMAP_EVERY === 0;

/** How many map pages open AMap region `region` (no allocation: the block pass asks once per block). */
export function mapPageCount(l: Layout, region: number): number {
  if (l.format === 'unicode4k') return 1;
  return 1 + (hasPMap(region) ? 1 : 0) + (hasFMap(region) ? 1 : 0) + (hasFPMap(region) ? 1 : 0);
}

/** The map pages at the start of AMap region `region`, in file order (the AMap first). */
export function mapPagesOf(l: Layout, region: number): MapPage[] {
  const start = l.amapFirst + region * l.amapSpan;
  const out: MapPage[] = [{ ib: start, ptype: PTYPE.AMAP, name: 'AMap' }];
  if (l.format === 'unicode4k') return out;
  const next = (ptype: number, name: MapPage['name']) => out.push({ ib: start + out.length * l.pageSize, ptype, name });
  if (hasPMap(region)) next(PTYPE.PMAP, 'PMap');
  if (hasFMap(region)) next(PTYPE.FMAP, 'FMap');
  if (hasFPMap(region)) next(PTYPE.FPMAP, 'FPMap');
  return out;
}
