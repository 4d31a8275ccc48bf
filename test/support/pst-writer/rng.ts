// Deterministic PRNG (mulberry32): the writer's output must be a pure function of its options and seed.

export class Rng {
  private s: number;

  constructor(seed: number) {
    this.s = seed >>> 0 || 0x9e3779b9;
  }

  /** Uniform 32-bit unsigned integer. */
  u32(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Integer in [min, max] (inclusive). */
  int(min: number, max: number): number {
    return min + (this.u32() % (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[this.u32() % items.length]!;
  }

  /** An independent stream derived from this one (so adding data to one item does not shift the next). */
  fork(): Rng {
    return new Rng(this.u32());
  }

  fill(buf: Uint8Array): void {
    let i = 0;
    for (; i + 4 <= buf.length; i += 4) {
      const v = this.u32();
      buf[i] = v & 0xff;
      buf[i + 1] = (v >>> 8) & 0xff;
      buf[i + 2] = (v >>> 16) & 0xff;
      buf[i + 3] = v >>> 24;
    }
    for (; i < buf.length; i++) buf[i] = this.u32() & 0xff;
  }
}
