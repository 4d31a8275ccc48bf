/** What every pure parser returns: a value, or why the text could not be read (never a throw). */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

export const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
export const fail = <T = never>(error: string): Parsed<T> => ({ ok: false, error });

/** JSON.parse without throwing; PowerShell and iproute2 JSON that was cut off ends up here. */
export function parseJson(text: string): Parsed<unknown> {
  const t = text.trim();
  if (t === '') return fail('empty output');
  try {
    return ok(JSON.parse(t) as unknown);
  } catch (e) {
    return fail(`not valid JSON (${(e as Error).message.slice(0, 120)})`);
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** ConvertTo-Json prints a lone object instead of a one-element array; this evens it out. */
export function asArray(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (v === null || v === undefined) return [];
  return [v];
}

export function str(v: unknown): string | null {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null;
}

/** Splits command output into lines, bounded so a runaway output cannot stall a parser. */
export function lines(text: string, max = 20_000): string[] {
  return text.split(/\r?\n/, max);
}
