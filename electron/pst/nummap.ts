import { f64, u32, type Column } from './columns.ts';

// A number → number(s) map in typed arrays, iterated in insertion order like Map. A JS Map spends ~30–40 bytes of
// heap per entry plus a doubled table while it grows; block-parent links of a 4 GB store are ~530 000 entries, so
// the links alone took ~40 MB. Here an entry costs 4 bytes per column (8 once any key or value needs more than 32
// bits, which sane stores never do) plus ≤ 8 bytes of hash slots.

const EMPTY = 0;

function hash(k: number): number {
  const lo = k >>> 0;
  const hi = Math.floor(k / 4294967296) >>> 0;
  let h = Math.imul(lo ^ Math.imul(hi, 0x27d4eb2f), 0x9e3779b1);
  h ^= h >>> 15;
  return Math.imul(h, 0x85ebca6b) ^ (h >>> 13);
}

type Col = Column<Float64Array> | Column<Uint32Array>;

const fits32 = (v: number) => v >= 0 && v <= 0xffffffff && Number.isInteger(v);

export class NumMap {
  private keys: Col = u32();
  private cols: Col[];
  private wide = false;
  /** Open addressing, linear probing: entry index + 1 per slot (0 = empty); kept at most 70 % full. */
  private slots = new Uint32Array(16);

  constructor(width = 1) {
    this.cols = Array.from({ length: width }, () => u32());
  }

  get size(): number {
    return this.keys.n;
  }

  /** Entry index of `k`, or -1. */
  indexOf(k: number): number {
    const mask = this.slots.length - 1;
    for (let s = hash(k) & mask; ; s = (s + 1) & mask) {
      const e = this.slots[s]!;
      if (e === EMPTY) return -1;
      if (this.keys.get(e - 1) === k) return e - 1;
    }
  }

  has(k: number): boolean {
    return this.indexOf(k) >= 0;
  }

  /** First value column of `k`. */
  get(k: number): number | undefined {
    const i = this.indexOf(k);
    return i < 0 ? undefined : this.cols[0]!.get(i);
  }

  value(i: number, col: number): number {
    return this.cols[col]!.get(i);
  }

  keyAt(i: number): number {
    return this.keys.get(i);
  }

  /** Sets `k`'s values (one per column); an existing key keeps its position, as with Map. */
  set(k: number, ...values: number[]): void {
    if (!this.wide && !(fits32(k) && values.every(fits32))) this.widen();
    const i = this.indexOf(k);
    if (i >= 0) {
      values.forEach((v, c) => this.cols[c]!.set(i, v));
      return;
    }
    if ((this.keys.n + 1) * 10 > this.slots.length * 7) this.grow();
    this.keys.push(k);
    for (let c = 0; c < this.cols.length; c++) this.cols[c]!.push(values[c] ?? 0);
    this.place(k, this.keys.n);
  }

  *[Symbol.iterator](): Generator<[number, number]> {
    for (let i = 0; i < this.keys.n; i++) yield [this.keys.get(i), this.cols[0]!.get(i)];
  }

  /** Switches every column to 64-bit floats (once, keeping order) for a key or value beyond 32 bits. */
  private widen(): void {
    const copy = (c: Col) => {
      const w = f64();
      for (let i = 0; i < c.n; i++) w.push(c.get(i));
      return w;
    };
    this.keys = copy(this.keys);
    this.cols = this.cols.map(copy);
    this.wide = true;
  }

  private place(k: number, entry: number): void {
    const mask = this.slots.length - 1;
    let s = hash(k) & mask;
    while (this.slots[s] !== EMPTY) s = (s + 1) & mask;
    this.slots[s] = entry;
  }

  private grow(): void {
    this.slots = new Uint32Array(this.slots.length * 2);
    for (let i = 0; i < this.keys.n; i++) this.place(this.keys.get(i), i + 1);
  }
}

/** SL-entry BID → the subnode it belongs to and the SLBLOCK listing it (for attribution). */
export class SlOwnerMap {
  private readonly m = new NumMap(2);

  get size(): number {
    return this.m.size;
  }

  set(bid: number, o: { subnid: number; slBid: number }): void {
    this.m.set(bid, o.subnid, o.slBid);
  }

  get(bid: number): { subnid: number; slBid: number } | undefined {
    const i = this.m.indexOf(bid);
    return i < 0 ? undefined : { subnid: this.m.value(i, 0), slBid: this.m.value(i, 1) };
  }

  *[Symbol.iterator](): Generator<[number, { subnid: number; slBid: number }]> {
    for (let i = 0; i < this.m.size; i++) yield [this.m.keyAt(i), { subnid: this.m.value(i, 0), slBid: this.m.value(i, 1) }];
  }
}
