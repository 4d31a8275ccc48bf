import { lines, ok, fail, type Parsed } from '../parsed.ts';
import { vpnKindFromProfileType } from '../vpn-names.ts';
import type { VpnConnection } from '../schema.ts';

/** Splits one `nmcli -t` line on unescaped ':' and undoes "\:" and "\\" escapes. */
export function splitTerse(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\' && i + 1 < line.length) cur += line[++i];
    else if (c === ':') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/** `nmcli -t -f NAME,UUID,TYPE,DEVICE connection show --active` → the active VPN connections. */
export function parseNmcliActive(text: string): Parsed<VpnConnection[]> {
  const out: VpnConnection[] = [];
  for (const l of lines(text)) {
    if (l.trim() === '') continue;
    const f = splitTerse(l);
    if (f.length !== 4) return fail(`nmcli: expected NAME:UUID:TYPE:DEVICE, got "${l.slice(0, 80)}"`);
    const [name, , type, device] = f;
    if (type !== 'vpn' && type !== 'wireguard') continue;
    out.push({
      name,
      kind: type === 'wireguard' ? 'wireguard' : vpnKindFromProfileType(name),
      connected: true,
      server: null,
      device: device || null,
      splitTunneling: null,
    });
  }
  return ok(out);
}
