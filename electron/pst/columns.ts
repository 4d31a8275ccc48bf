// Append-only numeric columns stored in fixed-size typed-array chunks. Unlike a doubling array, growing never copies
// and never holds two generations at once, and the unused tail is at most one chunk — so a store with millions of
// blocks costs its entry width in bytes per entry and nothing more (the peak-RSS goal at 4 GB depends on it).

const SHIFT = 14;
const CHUNK = 1 << SHIFT;
const MASK = CHUNK - 1;
const FIRST = 256;

type Typed = Float64Array | Uint32Array | Uint16Array;

export class Column<T extends Typed> {
  private readonly chunks: T[] = [];
  n = 0;
  constructor(private readonly make: (len: number) => T) {}

  push(v: number): void {
    const c = this.n >>> SHIFT;
    if (c === this.chunks.length) this.chunks.push(this.make(c === 0 ? FIRST : CHUNK));
    else if (c === 0 && this.n === this.chunks[0]!.length) {
      // The first chunk grows by doubling up to CHUNK: most stores are small, and zero-filling full chunks for
      // every column of every file would be a visible share of scanning many small stores.
      const grown = this.make(Math.min(CHUNK, this.n * 2));
      grown.set(this.chunks[0]!);
      this.chunks[0] = grown;
    }
    this.chunks[c]![this.n & MASK] = v;
    this.n++;
  }

  get(i: number): number {
    return this.chunks[i >>> SHIFT]![i & MASK]!;
  }

  set(i: number, v: number): void {
    this.chunks[i >>> SHIFT]![i & MASK] = v;
  }

  /** Bytes held (for the memory tests and the bench). */
  get bytes(): number {
    return this.chunks.reduce((a, c) => a + c.byteLength, 0);
  }
}

export const f64 = (): Column<Float64Array> => new Column((n) => new Float64Array(n));
export const u32 = (): Column<Uint32Array> => new Column((n) => new Uint32Array(n));
export const u16 = (): Column<Uint16Array> => new Column((n) => new Uint16Array(n));

/** Entry indexes 0..n-1 ordered by `key(i)` (stable), as one Uint32Array instead of an array of boxed numbers. */
export function orderBy(n: number, key: (i: number) => number): Uint32Array {
  const idx = new Uint32Array(n);
  // Fast path: (key, index) packed into one float64 and sorted natively (no comparator call per comparison, which
  // would be the largest share of building a file-order index). Exact while key < 2^32 and n ≤ 2^21: the product stays
  // below 2^53. Stable, because the index breaks ties.
  if (n <= PACK) {
    const packed = new Float64Array(n);
    let fits = true;
    for (let i = 0; i < n && fits; i++) {
      const k = key(i);
      fits = k >= 0 && k < 2 ** 32 && Number.isInteger(k);
      packed[i] = k * PACK + i;
    }
    if (fits) {
      packed.sort();
      for (let i = 0; i < n; i++) idx[i] = packed[i]! % PACK;
      return idx;
    }
  }
  for (let i = 0; i < n; i++) idx[i] = i;
  return idx.sort((x, y) => key(x) - key(y) || x - y);
}

const PACK = 2 ** 21;
