import { asArray, fail, isRecord, ok, parseJson, str, type Parsed } from '../parsed.ts';
import { vpnKindFromDescription, vpnKindFromProfileType } from '../vpn-names.ts';
import type { VpnConnection, VpnInterface } from '../schema.ts';

/** Get-NetAdapter -IncludeHidden | Select Name,InterfaceDescription,Status,MediaType,ifIndex | ConvertTo-Json */
export function parseNetAdapters(text: string): Parsed<VpnInterface[]> {
  const j = parseJson(text);
  if (!j.ok) return fail(`Get-NetAdapter: ${j.error}`);
  const out: VpnInterface[] = [];
  for (const a of asArray(j.value).slice(0, 1000)) {
    if (!isRecord(a) || typeof a.Name !== 'string') return fail('Get-NetAdapter: an entry has no Name');
    const description = str(a.InterfaceDescription) ?? '';
    const kind = vpnKindFromDescription(description);
    if (!kind) continue;
    // Status is "Up"/"Disconnected"/"Disabled"/"Not Present"; 1 is Up when the enum is not cast.
    const up = a.Status === 'Up' || a.Status === 1;
    out.push({ name: a.Name, kind, up, description, addresses: [] });
  }
  return ok(out);
}

/** Get-VpnConnection [-AllUserConnection] | ConvertTo-Json: Windows' own VPN profiles. */
export function parseVpnConnections(text: string): Parsed<VpnConnection[]> {
  if (text.trim() === '') return ok([]);
  const j = parseJson(text);
  if (!j.ok) return fail(`Get-VpnConnection: ${j.error}`);
  const out: VpnConnection[] = [];
  for (const c of asArray(j.value).slice(0, 1000)) {
    if (!isRecord(c) || typeof c.Name !== 'string') return fail('Get-VpnConnection: an entry has no Name');
    const tunnel = str(c.TunnelType);
    out.push({
      name: c.Name,
      kind: tunnel && /[a-z]/i.test(tunnel) ? vpnKindFromProfileType(tunnel) : 'windows-builtin',
      connected: c.ConnectionStatus === 'Connected' || c.ConnectionStatus === 1,
      server: str(c.ServerAddress),
      device: null,
      splitTunneling: typeof c.SplitTunneling === 'boolean' ? c.SplitTunneling : null,
    });
  }
  return ok(out);
}

export interface WindowsRoute {
  interface: string | null;
  sourceAddress: string | null;
  gateway: string | null;
}

/** Find-NetRoute -RemoteIPAddress X | Select InterfaceAlias,IPAddress,NextHop | ConvertTo-Json (two objects). */
export function parseFindNetRoute(text: string): Parsed<WindowsRoute> {
  const j = parseJson(text);
  if (!j.ok) return fail(`Find-NetRoute: ${j.error}`);
  const items = asArray(j.value).filter(isRecord);
  const alias = items.map((i) => str(i.InterfaceAlias)).find((x) => x) ?? null;
  if (!alias) return fail('Find-NetRoute: no InterfaceAlias in the output');
  const hop = items.map((i) => str(i.NextHop)).find((x) => x && x !== '0.0.0.0' && x !== '::') ?? null;
  return ok({ interface: alias, sourceAddress: items.map((i) => str(i.IPAddress)).find((x) => x) ?? null, gateway: hop });
}
