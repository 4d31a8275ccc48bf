import { asArray, fail, isRecord, ok, parseJson, str, type Parsed } from '../parsed.ts';
import { vpnKindFromInterface } from '../vpn-names.ts';
import type { VpnInterface, VpnKind } from '../schema.ts';

// iproute2 JSON (`ip -d -j addr show`, `ip -j route get ADDR`): stable field names, no localization.

const KIND_FROM_LINKINFO: Record<string, VpnKind> = { wireguard: 'wireguard', tun: 'tun', ppp: 'ppp', xfrm: 'ipsec', vti: 'ipsec' };

/** Devices the kernel creates by itself when a tunnel module loads: never a VPN. */
const KERNEL_FALLBACK = /^(tunl0|gre0|gretap0|erspan0|ip_vti0|ip6_vti0|sit0|ip6tnl0|ip6gre0)$/;

/** Interfaces that look like tunnels, by kernel link kind first and by name second. */
export function parseIpAddr(text: string): Parsed<VpnInterface[]> {
  const j = parseJson(text);
  if (!j.ok) return fail(`ip -j addr: ${j.error}`);
  if (!Array.isArray(j.value)) return fail('ip -j addr: expected a JSON array');
  const out: VpnInterface[] = [];
  for (const link of j.value.slice(0, 10_000)) {
    if (!isRecord(link) || typeof link.ifname !== 'string') continue;
    if (KERNEL_FALLBACK.test(link.ifname)) continue;
    const info = isRecord(link.linkinfo) ? str(link.linkinfo.info_kind) : null;
    const nameKind = vpnKindFromInterface(link.ifname);
    const infoKind = info ? KIND_FROM_LINKINFO[info] : undefined;
    // A "tun" named like a known client (wg0, tailscale0, cscotun0) says more than "tun" does.
    const kind = infoKind && infoKind !== 'tun' ? infoKind : (nameKind ?? infoKind ?? null);
    if (!kind) continue;
    const flags = asArray(link.flags).filter((f): f is string => typeof f === 'string');
    const addresses = asArray(link.addr_info)
      .filter(isRecord)
      .map((a) => (a.local !== undefined ? `${String(a.local)}/${String(a.prefixlen)}` : null))
      .filter((a): a is string => a !== null);
    out.push({ name: link.ifname, kind, up: flags.includes('UP'), description: info ? `link kind ${info}` : null, addresses });
  }
  return ok(out);
}

export interface RouteGet {
  target: string;
  interface: string | null;
  gateway: string | null;
  sourceAddress: string | null;
  table: string | null;
}

export function parseIpRouteGet(text: string): Parsed<RouteGet> {
  const j = parseJson(text);
  if (!j.ok) return fail(`ip -j route get: ${j.error}`);
  const first = asArray(j.value)[0];
  if (!isRecord(first) || typeof first.dst !== 'string') return fail('ip -j route get: no route object with "dst"');
  return ok({
    target: first.dst,
    interface: str(first.dev),
    gateway: str(first.gateway),
    sourceAddress: str(first.prefsrc),
    table: str(first.table),
  });
}
