import { f64, orderBy, u16, u32 } from './columns.ts';

// Compact, sorted indexes of the two B-trees' leaf entries, one typed column per field (20 bytes per BBT entry,
// 24 per NBT entry), so a multi-GB store with millions of blocks stays within tens of MB instead of GBs of JS objects.

export interface BbtEntry {
  bid: number;
  ib: number;
  cb: number;
  cRef: number;
}

export interface NbtEntry {
  nid: number;
  bidData: number;
  bidSub: number;
  nidParent: number;
}

/** BID with the reserved low bit cleared: the lookup key ([MS-PST] 2.2.2.2). */
export function bidKey(bid: number): number {
  return bid - (bid % 2);
}

export function isInternalBid(bid: number): boolean {
  return Math.floor(bid / 2) % 2 === 1;
}

/** Binary search over a sorted key column; -1 when absent. */
function search(n: number, key: (i: number) => number, k: number): number {
  let lo = 0;
  let hi = n - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = key(mid);
    if (v === k) return mid;
    if (v < k) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

export class BbtIndex {
  private bid = f64();
  private ib = f64();
  // cb and cRef are 16-bit fields on disk (BBT entries and block trailers alike).
  private cb = u16();
  private cRef = u16();
  private sorted = true;

  get size(): number {
    return this.bid.n;
  }

  /** Bytes held by the columns (the memory test checks they stay proportional to the entry count). */
  get bytes(): number {
    return this.bid.bytes + this.ib.bytes + this.cb.bytes + this.cRef.bytes;
  }

  add(e: BbtEntry): void {
    const k = bidKey(e.bid);
    if (this.bid.n > 0 && k <= this.bid.get(this.bid.n - 1)) this.sorted = false;
    this.bid.push(k);
    this.ib.push(e.ib);
    this.cb.push(e.cb);
    this.cRef.push(e.cRef);
  }

  at(i: number): BbtEntry {
    return { bid: this.bid.get(i), ib: this.ib.get(i), cb: this.cb.get(i), cRef: this.cRef.get(i) };
  }

  // Field accessors for hot loops (no entry object per call).
  bidAt(i: number): number {
    return this.bid.get(i);
  }

  ibAt(i: number): number {
    return this.ib.get(i);
  }

  cbAt(i: number): number {
    return this.cb.get(i);
  }

  cRefAt(i: number): number {
    return this.cRef.get(i);
  }

  /** Sorts by BID if entries came out of order (damaged tree or recovered entries); keeps the first of duplicates. */
  finish(): void {
    if (this.sorted) return;
    const idx = orderBy(this.size, (i) => this.bid.get(i));
    const next = new BbtIndex();
    let last = -1;
    for (const i of idx) {
      if (this.bid.get(i) === last) continue;
      last = this.bid.get(i);
      next.add(this.at(i));
    }
    Object.assign(this, { bid: next.bid, ib: next.ib, cb: next.cb, cRef: next.cRef, sorted: true });
  }

  indexOf(bid: number): number {
    // Inlined binary search: called once per reference of the store (about once per block), so no closure per call.
    const k = bidKey(bid);
    let lo = 0;
    let hi = this.bid.n - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = this.bid.get(mid);
      if (v === k) return mid;
      if (v < k) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  find(bid: number): BbtEntry | null {
    const i = this.indexOf(bid);
    return i < 0 ? null : this.at(i);
  }

  /** Entry indexes ordered by file offset (for the sequential block pass). */
  byOffset(): Uint32Array {
    // Stores written in one go are often already in offset order: skip the sort (and its temporary copy) then.
    let inOrder = true;
    for (let i = 1; i < this.size && inOrder; i++) inOrder = this.ib.get(i - 1) <= this.ib.get(i);
    if (inOrder) return Uint32Array.from({ length: this.size }, (_, i) => i);
    return orderBy(this.size, (i) => this.ib.get(i));
  }
}

export class NbtIndex {
  private nid = u32();
  private bidData = f64();
  private bidSub = f64();
  private parent = u32();
  private sorted = true;

  get size(): number {
    return this.nid.n;
  }

  add(e: NbtEntry): void {
    if (this.nid.n > 0 && e.nid <= this.nid.get(this.nid.n - 1)) this.sorted = false;
    this.nid.push(e.nid);
    this.bidData.push(e.bidData);
    this.bidSub.push(e.bidSub);
    this.parent.push(e.nidParent);
  }

  at(i: number): NbtEntry {
    return { nid: this.nid.get(i), bidData: this.bidData.get(i), bidSub: this.bidSub.get(i), nidParent: this.parent.get(i) };
  }

  // Field accessors for hot loops (no entry object per call).
  nidAt(i: number): number {
    return this.nid.get(i);
  }

  bidDataAt(i: number): number {
    return this.bidData.get(i);
  }

  bidSubAt(i: number): number {
    return this.bidSub.get(i);
  }

  finish(): void {
    if (this.sorted) return;
    const idx = orderBy(this.size, (i) => this.nid.get(i));
    const next = new NbtIndex();
    let last = -1;
    for (const i of idx) {
      if (this.nid.get(i) === last) continue;
      last = this.nid.get(i);
      next.add(this.at(i));
    }
    Object.assign(this, { nid: next.nid, bidData: next.bidData, bidSub: next.bidSub, parent: next.parent, sorted: true });
  }

  find(nid: number): NbtEntry | null {
    const i = search(this.size, (j) => this.nid.get(j), nid);
    return i < 0 ? null : this.at(i);
  }

  *entries(): Generator<NbtEntry> {
    for (let i = 0; i < this.size; i++) yield this.at(i);
  }
}
