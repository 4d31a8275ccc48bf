import type { VpnKind } from './schema.ts';

// Heuristics: VPN clients are recognised by interface name (Linux/macOS)
// or adapter description (Windows). Order matters: the first match wins.

const IFACE_PATTERNS: ReadonlyArray<[RegExp, VpnKind]> = [
  [/^wg\d*/i, 'wireguard'],
  [/^nordlynx$/i, 'nordvpn'],
  [/^tailscale\d*$/i, 'tailscale'],
  [/^zt[a-z0-9]+$/i, 'zerotier'],
  [/^proton\d*$/i, 'protonvpn'],
  [/^cscotun\d*$/i, 'anyconnect'],
  [/^gpd\d*$/i, 'globalprotect'],
  [/^(fctvpn|ftun)\w*$/i, 'forticlient'],
  [/^ppp\d*$/i, 'ppp'],
  [/^ipsec\d*$/i, 'ipsec'],
  [/^(tun|tap)(\d+|[-_].*)$/i, 'tun'],
  // macOS: utun is any NetworkExtension tunnel (also iCloud Private Relay), so it is proof of nothing alone.
  [/^utun\d+$/i, 'tun'],
];

/** Linux/macOS interface name → VPN kind, or null when it does not look like a tunnel. */
export function vpnKindFromInterface(name: string): VpnKind | null {
  for (const [re, kind] of IFACE_PATTERNS) if (re.test(name)) return kind;
  return null;
}

const DESCRIPTION_PATTERNS: ReadonlyArray<[RegExp, VpnKind]> = [
  [/TAP-Windows|OpenVPN|ovpn-dco/i, 'openvpn'],
  [/WireGuard|Wintun/i, 'wireguard'],
  [/NordLynx/i, 'nordvpn'],
  [/AnyConnect|Cisco Secure Client/i, 'anyconnect'],
  [/PANGP|GlobalProtect/i, 'globalprotect'],
  [/Fortinet/i, 'forticlient'],
  [/Juniper|Pulse Secure|Ivanti/i, 'pulse'],
  [/Tailscale/i, 'tailscale'],
  [/ZeroTier/i, 'zerotier'],
  [/ExpressVPN/i, 'expressvpn'],
  [/ProtonVPN|Proton VPN/i, 'protonvpn'],
  [/WAN Miniport \((IKEv2|SSTP|L2TP|PPTP)\)/i, 'windows-builtin'],
];

/** Windows adapter description (Get-NetAdapter InterfaceDescription) → VPN kind, or null. */
export function vpnKindFromDescription(description: string): VpnKind | null {
  for (const [re, kind] of DESCRIPTION_PATTERNS) if (re.test(description)) return kind;
  return null;
}

/** VPN kind from a profile's type string (nmcli TYPE, scutil bracket, Windows TunnelType). */
export function vpnKindFromProfileType(type: string): VpnKind {
  const t = type.toLowerCase();
  if (t.includes('wireguard')) return 'wireguard';
  if (t.includes('openvpn')) return 'openvpn';
  if (t.includes('anyconnect') || t.includes('openconnect') || t.includes('cisco')) return 'anyconnect';
  if (t.includes('globalprotect') || t.includes('paloalto')) return 'globalprotect';
  if (t.includes('forti')) return 'forticlient';
  if (t.includes('tailscale')) return 'tailscale';
  if (t.includes('nord')) return 'nordvpn';
  if (t.includes('expressvpn')) return 'expressvpn';
  if (t.includes('proton')) return 'protonvpn';
  if (/ipsec|ikev2|l2tp|strongswan|libreswan/.test(t)) return 'ipsec';
  if (t.includes('pptp') || t.includes('ppp')) return 'ppp';
  return 'other';
}
