/**
 * Token bucket per client address: `burst` requests at once, refilled at `perMinute`. Bounded memory: the
 * least recently seen clients are dropped past `maxClients`.
 */
export class RateLimiter {
  private buckets = new Map<string, { tokens: number; at: number }>();
  constructor(
    private readonly perMinute = 120,
    private readonly burst = 30,
    private readonly maxClients = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** true when the request may go ahead. */
  take(client: string): boolean {
    const t = this.now();
    const b = this.buckets.get(client) ?? { tokens: this.burst, at: t };
    b.tokens = Math.min(this.burst, b.tokens + ((t - b.at) / 60_000) * this.perMinute);
    b.at = t;
    this.buckets.delete(client);
    this.buckets.set(client, b);
    if (this.buckets.size > this.maxClients) this.buckets.delete(this.buckets.keys().next().value as string);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }
}
