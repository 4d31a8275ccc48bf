import type { PstHeader } from './header.ts';
import { hex } from './layout.ts';
import { checkPageTrailer, PTYPE } from './page.ts';
import type { ProblemLog } from './problems.ts';
import type { PstSource } from './source.ts';

// Allocation maps ([MS-PST] 2.2.2.7.2–2.2.2.7.4): every AMap page (trailer, CRC, self-offset), the PMap pages and
// the density list, and that every block and page in use is marked allocated.

const PMAP_FIRST = 0x4600;
const PMAP_SPAN = 253_952 * 8;
const DLIST = 0x4200;

/** PMap pages and the density list (few pages; the AMaps are checked by AmapCursor during the block pass). */
export async function checkAllocationMaps(src: PstSource, h: PstHeader, log: ProblemLog): Promise<void> {
  const l = h.layout;
  const end = Math.min(src.size, h.ibFileEof);
  if (l.format === 'unicode4k') return; // PMap/DList placement for 4K stores is not documented in [MS-PST].
  for (let ib = PMAP_FIRST; ib < end; ib += PMAP_SPAN) {
    const page = await src.read(ib, l.pageSize);
    const defects = checkPageTrailer(page, l, ib, PTYPE.PMAP, null);
    if (defects.length > 0) log.add({ structure: 'pmap', offset: ib, detail: `PMap page: ${defects.join('; ')}`, severity: 'warning' });
  }
  if (l.id === 8) {
    const page = await src.read(DLIST, l.pageSize);
    // Every fixture with a density list stores CRC 0 for it, so a zero CRC is not treated as damage.
    if (page.length === l.pageSize && page[l.ptypeOff] === PTYPE.DLIST && page.readUInt32LE(l.pageCrcOff) !== 0) {
      const defects = checkPageTrailer(page, l, DLIST, PTYPE.DLIST, null);
      if (defects.length > 0) log.add({ structure: 'dlist', offset: DLIST, detail: `density list page: ${defects.join('; ')}`, severity: 'warning' });
    }
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

  private checkPage(ib: number, page: Buffer): void {
    const l = this.h.layout;
    // AMap pages carry their own offset as the trailer BID; their wSig is 0.
    const defects = checkPageTrailer(page, l, ib, PTYPE.AMAP, null);
    if (page.length === l.pageSize && page.readUInt32LE(l.pageBidOff) !== ib % 0x100000000) defects.push(`trailer back-pointer ${hex(page.readUInt32LE(l.pageBidOff))} is not the page's own offset`);
    if (defects.length > 0 && this.badPages++ < 50) this.log.add({ structure: 'amap', offset: ib, detail: `AMap page: ${defects.join('; ')}`, severity: 'error' });
  }

  private async load(region: number): Promise<void> {
    const l = this.h.layout;
    const ib = l.amapFirst + region * l.amapSpan;
    this.region = region;
    this.bits = null;
    if (ib >= Math.min(this.src.size, this.h.ibFileEof)) return;
    const page = Buffer.from(await this.src.view(ib, l.pageSize));
    this.checked.add(region);
    this.checkPage(ib, page);
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
      const pages = await Promise.all(batch.map((ib) => this.src.read(ib, l.pageSize)));
      batch.forEach((ib, k) => this.checkPage(ib, pages[k]!));
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
