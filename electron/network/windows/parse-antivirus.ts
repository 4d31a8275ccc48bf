import { asArray, fail, isRecord, ok, parseJson, type Parsed } from '../parsed.ts';
import type { AntivirusProduct, FirewallComponent } from '../schema.ts';

/**
 * Decodes WSC productState. Undocumented as a whole; the masks follow WSC_SECURITY_PRODUCT_STATE
 * (0xF000: 0 off, 1 on, 2 snoozed, 3 expired) and the community reading of 0xF0 (0x10 = signatures
 * out of date) and 0xF00 (0x100 = Microsoft product).
 * https://learn.microsoft.com/windows/win32/api/iwscapi/ne-iwscapi-wsc_security_product_state
 */
export function decodeProductState(state: number): Pick<AntivirusProduct, 'state' | 'upToDate' | 'microsoft'> {
  const s = (state >> 12) & 0xf;
  return {
    state: s === 1 ? 'on' : s === 0 ? 'off' : s === 2 ? 'snoozed' : s === 3 ? 'expired' : 'unknown',
    upToDate: (state & 0xf0) === 0,
    microsoft: (state & 0xf00) === 0x100,
  };
}

/** Get-CimInstance -Namespace root/SecurityCenter2 -ClassName AntiVirusProduct | Select displayName,productState | ConvertTo-Json */
export function parseAntivirusProducts(text: string): Parsed<AntivirusProduct[]> {
  if (text.trim() === '') return ok([]);
  const j = parseJson(text);
  if (!j.ok) return fail(`AntiVirusProduct: ${j.error}`);
  const out: AntivirusProduct[] = [];
  for (const p of asArray(j.value).slice(0, 100)) {
    if (!isRecord(p) || typeof p.displayName !== 'string') return fail('AntiVirusProduct: an entry has no displayName');
    const n = typeof p.productState === 'number' ? p.productState : Number(p.productState);
    const known = Number.isInteger(n) && n >= 0;
    out.push({
      name: p.displayName,
      ...(known ? decodeProductState(n) : { state: 'unknown' as const, upToDate: null, microsoft: null }),
      productState: known ? n : null,
      source: 'SecurityCenter2',
    });
  }
  return ok(out);
}

/** SecurityCenter2 FirewallProduct (same shape): third-party firewalls that block SMTP without any Windows Firewall rule. */
export function parseFirewallProducts(text: string): Parsed<FirewallComponent[]> {
  const p = parseAntivirusProducts(text);
  if (!p.ok) return fail(p.error.replace('AntiVirusProduct', 'FirewallProduct'));
  return ok(
    p.value.map((x) => ({
      source: 'third-party' as const,
      name: x.name,
      enabled: x.state === 'on' ? true : x.state === 'unknown' ? null : false,
      defaultOutbound: null,
    })),
  );
}
