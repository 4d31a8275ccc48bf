/**
 * Fix ids offered by recent results of this server. A fix call must name one of them: a remote caller cannot
 * apply a fix the machine's own scan did not propose (or one proposed long ago, on a state that has changed).
 */
export class FreshFixIds {
  private seen = new Map<string, number>();
  constructor(
    private readonly maxAgeMs = 30 * 60_000,
    private readonly max = 5000,
    private readonly now: () => number = Date.now,
  ) {}

  rememberFrom(result: unknown): void {
    const t = this.now();
    const findings = (result as { findings?: unknown })?.findings;
    if (Array.isArray(findings)) {
      for (const f of findings) for (const fix of (f as { fixes?: { id?: unknown }[] }).fixes ?? []) if (typeof fix.id === 'string') this.add(fix.id, t);
    }
    const fixes = (result as { fixes?: unknown })?.fixes;
    if (Array.isArray(fixes)) for (const fix of fixes as { id?: unknown }[]) if (typeof fix.id === 'string') this.add(fix.id, t);
  }

  has(id: string): boolean {
    const at = this.seen.get(id);
    return at !== undefined && this.now() - at <= this.maxAgeMs;
  }

  private add(id: string, t: number) {
    this.seen.delete(id);
    this.seen.set(id, t);
    if (this.seen.size > this.max) this.seen.delete(this.seen.keys().next().value as string);
  }
}
