// Compact, sorted indexes of the two B-trees' leaf entries. Typed arrays keep memory at ~30 bytes per entry, so a
// multi-GB store with millions of blocks stays within a few hundred MB instead of GBs of JS objects.

class Grow {
  a: Float64Array;
  n = 0;
  constructor(cap = 256) {
    this.a = new Float64Array(cap);
  }
  push(v: number): void {
    if (this.n === this.a.length) {
      const b = new Float64Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = v;
  }
  get(i: number): number {
    return this.a[i]!;
  }
}

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

export class BbtIndex {
  private bid = new Grow();
  private ib = new Grow();
  private cb = new Grow();
  private cRef = new Grow();
  private sorted = true;

  get size(): number {
    return this.bid.n;
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

  /** Sorts by BID if entries came out of order (damaged tree or recovered entries); keeps the first of duplicates. */
  finish(): void {
    if (this.sorted) return;
    const idx = Array.from({ length: this.size }, (_, i) => i).sort((x, y) => this.bid.get(x) - this.bid.get(y));
    const next = new BbtIndex();
    let last = -1;
    for (const i of idx) {
      if (this.bid.get(i) === last) continue;
      last = this.bid.get(i);
      next.add(this.at(i));
    }
    Object.assign(this, { bid: next.bid, ib: next.ib, cb: next.cb, cRef: next.cRef, sorted: true });
  }

  find(bid: number): BbtEntry | null {
    const k = bidKey(bid);
    let lo = 0;
    let hi = this.size - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = this.bid.get(mid);
      if (v === k) return this.at(mid);
      if (v < k) lo = mid + 1;
      else hi = mid - 1;
    }
    return null;
  }

  /** Entry indexes ordered by file offset (for the sequential block pass). */
  byOffset(): number[] {
    return Array.from({ length: this.size }, (_, i) => i).sort((x, y) => this.ib.get(x) - this.ib.get(y));
  }
}

export class NbtIndex {
  private nid = new Grow();
  private bidData = new Grow();
  private bidSub = new Grow();
  private parent = new Grow();
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

  finish(): void {
    if (this.sorted) return;
    const idx = Array.from({ length: this.size }, (_, i) => i).sort((x, y) => this.nid.get(x) - this.nid.get(y));
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
    let lo = 0;
    let hi = this.size - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = this.nid.get(mid);
      if (v === nid) return this.at(mid);
      if (v < nid) lo = mid + 1;
      else hi = mid - 1;
    }
    return null;
  }

  *entries(): Generator<NbtEntry> {
    for (let i = 0; i < this.size; i++) yield this.at(i);
  }
}
