import { z } from 'zod';

// The `network` report section. Each part says whether it could be checked at all:
// "not checked" must never read as "all clear".

export const CheckState = z.object({
  checked: z.boolean(),
  /** Why it could not be checked (missing command, needs administrator, could not parse), or what was partly missed. */
  reason: z.string().nullable(),
});
export type CheckState = z.infer<typeof CheckState>;

/** One command a collector ran, and what came of it. */
export const SourceCheck = z.object({
  /** The command as the user could type it, e.g. "nft -j list ruleset". */
  command: z.string(),
  status: z.enum(['ok', 'not-found', 'denied', 'failed', 'unparsable', 'timeout']),
  reason: z.string().nullable(),
});
export type SourceCheck = z.infer<typeof SourceCheck>;

export const FirewallSource = z.enum(['windows-firewall', 'nftables', 'iptables', 'ufw', 'firewalld', 'macos-app-firewall', 'pf', 'third-party']);
export type FirewallSource = z.infer<typeof FirewallSource>;

/** A firewall (or one Windows profile) and whether it is on. */
export const FirewallComponent = z.object({
  source: FirewallSource,
  name: z.string(),
  /** null = present but its state could not be told. */
  enabled: z.boolean().nullable(),
  defaultOutbound: z.enum(['allow', 'block']).nullable(),
});
export type FirewallComponent = z.infer<typeof FirewallComponent>;

/** An outbound rule that drops or rejects TCP to at least one SMTP port. */
export const BlockRule = z.object({
  source: FirewallSource,
  /** Rule name, comment, or "table/chain #handle" when it has none. */
  name: z.string(),
  /** drop → the client waits (timeout); reject → the client is refused at once. */
  action: z.enum(['drop', 'reject']),
  /** The SMTP ports (25/465/587/2525) it blocks. */
  ports: z.array(z.number().int()),
  /** Remote addresses it is limited to; empty = any. */
  addresses: z.array(z.string()),
  /** Outgoing interfaces it is limited to ("eth+"/"eth*" are prefixes); empty = any. */
  interfaces: z.array(z.string()).optional(),
  /** Where the rule lives, so a fix can be placed right before it. */
  location: z
    .object({ family: z.string(), table: z.string(), chain: z.string(), handle: z.number().int().nullable() })
    .nullable(),
  /** The rule as the tool printed it (trimmed). */
  text: z.string(),
});
export type BlockRule = z.infer<typeof BlockRule>;

export const FirewallDetails = z.object({
  components: z.array(FirewallComponent),
  blockRules: z.array(BlockRule),
  sources: z.array(SourceCheck),
});
export type FirewallDetails = z.infer<typeof FirewallDetails>;

export const VpnKind = z.enum([
  'wireguard',
  'openvpn',
  'anyconnect',
  'globalprotect',
  'forticlient',
  'pulse',
  'tailscale',
  'zerotier',
  'nordvpn',
  'expressvpn',
  'protonvpn',
  'ipsec',
  'ppp',
  'windows-builtin',
  'tun',
  'other',
]);
export type VpnKind = z.infer<typeof VpnKind>;

/** A network interface that looks like a tunnel. */
export const VpnInterface = z.object({
  name: z.string(),
  kind: VpnKind,
  up: z.boolean(),
  description: z.string().nullable(),
  addresses: z.array(z.string()),
});
export type VpnInterface = z.infer<typeof VpnInterface>;

/** A configured VPN profile (Windows VPN, scutil --nc, NetworkManager). */
export const VpnConnection = z.object({
  name: z.string(),
  kind: VpnKind,
  connected: z.boolean(),
  server: z.string().nullable(),
  device: z.string().nullable(),
  splitTunneling: z.boolean().nullable(),
});
export type VpnConnection = z.infer<typeof VpnConnection>;

export const VpnDetails = z.object({
  /** true when a tunnel is up or a VPN profile is connected; null when nothing could be checked. */
  active: z.boolean().nullable(),
  interfaces: z.array(VpnInterface),
  connections: z.array(VpnConnection),
  sources: z.array(SourceCheck),
});
export type VpnDetails = z.infer<typeof VpnDetails>;

export const AntivirusProduct = z.object({
  name: z.string(),
  state: z.enum(['on', 'off', 'snoozed', 'expired', 'unknown']),
  upToDate: z.boolean().nullable(),
  microsoft: z.boolean().nullable(),
  /** Raw WSC productState, when Windows reported one. */
  productState: z.number().int().nullable(),
  source: z.string(),
});
export type AntivirusProduct = z.infer<typeof AntivirusProduct>;

export const ProxySetting = z.object({
  source: z.enum(['env', 'winhttp', 'wininet', 'scutil', 'gsettings']),
  kind: z.enum(['http', 'https', 'socks', 'ftp', 'all', 'pac', 'auto-detect']),
  value: z.string(),
});
export type ProxySetting = z.infer<typeof ProxySetting>;

export const ProxyDetails = z.object({
  settings: z.array(ProxySetting),
  bypass: z.array(z.string()),
  sources: z.array(SourceCheck),
});
export type ProxyDetails = z.infer<typeof ProxyDetails>;

export const RouteDetails = z.object({
  /** The address the route was asked for (the SMTP server's, or a public one for the default route). */
  target: z.string().nullable(),
  /** The host name the target was resolved from, when any. */
  host: z.string().nullable(),
  interface: z.string().nullable(),
  gateway: z.string().nullable(),
  sourceAddress: z.string().nullable(),
  table: z.string().nullable(),
  /** The outgoing interface is one of vpn.interfaces (or a connected VPN's device). */
  viaVpn: z.boolean().nullable(),
  sources: z.array(SourceCheck),
});
export type RouteDetails = z.infer<typeof RouteDetails>;

export const NetworkSection = z.object({
  platform: z.string(),
  firewall: CheckState.extend({ details: FirewallDetails }),
  vpn: CheckState.extend({ details: VpnDetails }),
  antivirus: z.array(AntivirusProduct),
  /** Whether `antivirus` could be listed: an empty list means "none found" only when checked. */
  antivirusCheck: CheckState.extend({ sources: z.array(SourceCheck) }),
  proxy: CheckState.extend({ details: ProxyDetails }),
  route: CheckState.extend({ details: RouteDetails }),
});
export type NetworkSection = z.infer<typeof NetworkSection>;
