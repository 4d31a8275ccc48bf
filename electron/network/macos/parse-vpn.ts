import { fail, lines, ok, type Parsed } from '../parsed.ts';
import { vpnKindFromInterface, vpnKindFromProfileType } from '../vpn-names.ts';
import type { VpnConnection, VpnInterface } from '../schema.ts';

// `scutil --nc list` row: `* (Connected)  UUID  VPN (com.wireguard.macos) "WireGuard Home"  [VPN/com.wireguard.macos]`.
// The column layout is not documented, so only the stable tokens are used:
// the "(Status)", the quoted name, and the trailing [Type] bracket.
const NC_ROW = /^\s*\*?\s*\((\w[\w ]*)\)\s+[0-9A-F-]{36}\s+.*?"((?:[^"\\]|\\.)*)"\s*(?:\[([^\]]*)\])?/i;

export function parseScutilNcList(text: string): Parsed<VpnConnection[]> {
  const all = lines(text).filter((l) => l.trim() !== '');
  if (all.length === 0) return fail('scutil --nc list: empty output');
  if (!/network connection services/i.test(all[0]) && !NC_ROW.test(all[0])) return fail(`scutil --nc list: unexpected header "${all[0].slice(0, 80)}"`);
  const out: VpnConnection[] = [];
  for (const l of all) {
    const m = NC_ROW.exec(l);
    if (!m) continue;
    const [, status, name, type] = m;
    out.push({
      name,
      kind: vpnKindFromProfileType(`${type ?? ''} ${name}`),
      connected: status === 'Connected',
      server: null,
      device: null,
      splitTunneling: null,
    });
  }
  return ok(out);
}

/** `ifconfig` (all interfaces): tunnel-like interfaces with their IPv4/IPv6 addresses. */
export function parseIfconfig(text: string): Parsed<VpnInterface[]> {
  if (!/^\S+: flags=/m.test(text)) return fail('ifconfig: no "<name>: flags=" lines');
  const out: VpnInterface[] = [];
  let cur: VpnInterface | null = null;
  for (const l of lines(text)) {
    const head = /^(\S+): flags=\w+<([^>]*)>/.exec(l);
    if (head) {
      const kind = vpnKindFromInterface(head[1]);
      cur = kind ? { name: head[1], kind, up: head[2].split(',').includes('UP'), description: null, addresses: [] } : null;
      if (cur) out.push(cur);
      continue;
    }
    const addr = /^\s+inet6?\s+([0-9a-f.:]+)(?:%\S+)?/i.exec(l);
    if (cur && addr && !addr[1].startsWith('fe80')) cur.addresses.push(addr[1]);
  }
  return ok(out);
}

export interface MacRoute {
  interface: string | null;
  gateway: string | null;
}

/** `route -n get <addr|default>`: "gateway: 192.168.1.1" and "interface: utun5" lines. */
export function parseRouteGet(text: string): Parsed<MacRoute> {
  const iface = /^\s*interface:\s*(\S+)/m.exec(text)?.[1] ?? null;
  if (!iface) return fail(`route -n get: no "interface:" line in "${text.trim().slice(0, 80)}"`);
  return ok({ interface: iface, gateway: /^\s*gateway:\s*(\S+)/m.exec(text)?.[1] ?? null });
}
