import type { PstHeader } from './header.ts';
import { DLIST_OFFSET as DLIST, hex } from './layout.ts';
import { mapPagesOf, type MapPage } from './map-pages.ts';
import { checkPageTrailer, PTYPE } from './page.ts';
import type { ProblemLog } from './problems.ts';
import type { PstSource } from './source.ts';

// Allocation maps ([MS-PST] 2.2.2.7.2–2.2.2.7.6): every AMap, PMap, FMap and FPMap page where map-pages.ts places
// it (trailer, CRC, AMap self-offset), the density list, and that every block and page in use is marked allocated.

/** The density list (one page; the AMap, PMap, FMap and FPMap pages are checked by AmapCursor per region). */
export async function checkAllocationMaps(src: PstSource, h: PstHeader, log: ProblemLog): Promise<void> {
  const l = h.layout;
  if (l.id !== 8 || l.format === 'unicode4k') return; // DList placement for 4K stores is not documented in [MS-PST].
  const page = await src.read(DLIST, l.pageSize);
  // Every fixture with a density list stores CRC 0 for it, so a zero CRC is not treated as damage.
  if (page.length === l.pageSize && page[l.ptypeOff] === PTYPE.DLIST && page.readUInt32LE(l.pageCrcOff) !== 0) {
    const defects = checkPageTrailer(page, l, DLIST, PTYPE.DLIST, null);
    if (defects.length > 0) log.add({ structure: 'dlist', offset: DLIST, detail: `density list page: ${defects.join('; ')}`, severity: 'warning' });
  }
}

/**
 * Checks every AMap page (trailer, CRC, self-offset) and that allocations in use are marked allocated. Allocations
 * arrive in file order, so each AMap page is read once through the source's read-ahead window and one bitmap is held
 * at a time; AMaps of regions without allocations are checked in finish().
 */
export class AmapCursor {
  private region = -1;
  private bits: Buffer | null = null;
  private marked = 0;
  private examples: string[] = [];
  private readonly checked = new Set<number>();
  private badPages = 0;

  constructor(
    private readonly src: PstSource,
    private readonly h: PstHeader,
    private readonly log: ProblemLog,
  ) {}

  private checkPage(p: MapPage, page: Buffer): void {
    const l = this.h.layout;
    const defects = checkPageTrailer(page, l, p.ib, p.ptype, null);
    // AMap pages carry their own offset as the trailer BID; map pages' wSig is 0.
    if (p.name === 'AMap' && page.length === l.pageSize && page.readUInt32LE(l.pageBidOff) !== p.ib % 0x100000000) {
      defects.push(`trailer back-pointer ${hex(page.readUInt32LE(l.pageBidOff))} is not the page's own offset`);
    }
    if (defects.length === 0 || this.badPages++ >= 50) return;
    // Only the AMaps guard what Outlook allocates; PMap/FMap/FPMap are deprecated but must be present and valid.
    const deprecated = p.name !== 'AMap';
    this.log.add({
      structure: p.name.toLowerCase(),
      offset: p.ib,
      detail: `${p.name} page: ${defects.join('; ')}${deprecated ? ' (deprecated, but [MS-PST] requires it present and valid)' : ''}`,
      severity: deprecated ? 'warning' : 'error',
    });
  }

  /** Checks every map page of `region` in `pages` (the bytes from the region's start); returns the AMap page. */
  private checkRegion(region: number, bytes: Buffer): Buffer {
    const l = this.h.layout;
    const maps = mapPagesOf(l, region);
    for (const [k, p] of maps.entries()) {
      if (p.ib >= Math.min(this.src.size, this.h.ibFileEof)) break;
      this.checkPage(p, bytes.subarray(k * l.pageSize, (k + 1) * l.pageSize));
    }
    return bytes.subarray(0, l.pageSize);
  }

  private async load(region: number): Promise<void> {
    const l = this.h.layout;
    const ib = l.amapFirst + region * l.amapSpan;
    this.region = region;
    this.bits = null;
    if (ib >= Math.min(this.src.size, this.h.ibFileEof)) return;
    // The region's PMap/FMap/FPMap follow its AMap, so one read through the read-ahead window covers them all.
    const page = Buffer.from(this.checkRegion(region, await this.src.view(ib, mapPagesOf(l, region).length * l.pageSize)));
    this.checked.add(region);
    // ANSI AMap pages start with 4 bytes of padding before the bitmap ([MS-PST] 2.2.2.7.2.1).
    const pad = l.id === 4 ? 4 : 0;
    if (page.length === l.pageSize) this.bits = page.subarray(pad, pad + l.amapBitmapLen);
  }

  /**
   * check() without a promise when the allocation lies inside the AMap region already loaded (nearly always, since
   * allocations arrive in file order): awaiting per block cost more than the check. False: call check() instead.
   */
  checkLoaded(ib: number, span: number, what: () => string): boolean {
    const l = this.h.layout;
    if (ib < l.amapFirst) return true;
    const region = Math.floor((ib - l.amapFirst) / l.amapSpan);
    if (region !== this.region || Math.floor((ib + span - 1 - l.amapFirst) / l.amapSpan) !== region) return false;
    if (!this.bits || this.h.fAMapValid === 0) return true;
    const base = l.amapFirst + region * l.amapSpan;
    let free = 0;
    for (let a = ib; a < ib + span; a += l.amapUnit) {
      const unit = Math.floor((a - base) / l.amapUnit);
      if ((this.bits[unit >>> 3]! & (0x80 >>> (unit & 7))) === 0) free++;
    }
    if (free > 0) {
      this.marked++;
      if (this.examples.length < 5) this.examples.push(what());
    }
    return true;
  }

  /** `what` names the allocation; a function is only called when the allocation has to be listed. */
  async check(ib: number, span: number, what: string | (() => string)): Promise<void> {
    const l = this.h.layout;
    if (ib < l.amapFirst) return;
    let free = 0;
    for (let a = ib; a < ib + span; a += l.amapUnit) {
      const region = Math.floor((a - l.amapFirst) / l.amapSpan);
      if (region !== this.region) await this.load(region);
      // fAMapValid = 0 says the maps are stale by design: their pages are checked, their bits are not.
      if (!this.bits || this.h.fAMapValid === 0) return;
      const unit = Math.floor((a - l.amapFirst - region * l.amapSpan) / l.amapUnit);
      if ((this.bits[unit >>> 3]! & (0x80 >>> (unit & 7))) === 0) free++;
    }
    if (free > 0) {
      this.marked++;
      if (this.examples.length < 5) this.examples.push(typeof what === 'string' ? what : what());
    }
  }

  /** Checks the AMaps no allocation led to, ROOT.ibAMapLast, and emits one summary for allocations marked free. */
  async finish(): Promise<void> {
    const l = this.h.layout;
    const end = Math.min(this.src.size, this.h.ibFileEof);
    let last = -1;
    const pending: number[] = [];
    for (let r = 0, ib = l.amapFirst; ib < end; r++, ib += l.amapSpan) {
      last = ib;
      if (!this.checked.has(r)) pending.push(ib);
    }
    for (let i = 0; i < pending.length; i += 32) {
      const batch = pending.slice(i, i + 32);
      const regions = batch.map((ib) => (ib - l.amapFirst) / l.amapSpan);
      const pages = await Promise.all(regions.map((r, k) => this.src.read(batch[k]!, mapPagesOf(l, r).length * l.pageSize)));
      regions.forEach((r, k) => this.checkRegion(r, pages[k]!));
    }
    if (last >= 0 && this.h.ibAMapLast !== last && this.h.ibFileEof <= this.src.size) {
      this.log.add({ structure: 'amap', offset: null, detail: `ROOT.ibAMapLast is ${hex(this.h.ibAMapLast)} but the last AMap before ibFileEof is at ${hex(last)}`, severity: 'warning' });
    }
    if (this.marked === 0) return;
    this.log.add({
      structure: 'amap',
      offset: null,
      detail: `${this.marked} allocation(s) in use are marked free in the AMap (e.g. ${this.examples.join(', ')}); Outlook could overwrite them — rebuild the allocation maps`,
      severity: 'error',
    });
  }
}
