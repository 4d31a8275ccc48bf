import { isIP } from 'node:net';
import type { BlockRule, NetworkSection, VpnKind } from './schema.ts';
import { nftHandleFromEcho } from './linux/parse-nft.ts';

// Fixes as pure plans: the fix mechanism (electron/fixes/) previews, applies, journals and undoes them.
// Never a plan that turns a firewall or antivirus off: only a narrow allow rule, or guided steps.

export interface PlanCommand {
  cmd: string;
  args: string[];
}

export interface FixPlan {
  id: string;
  title: string;
  kind: 'commands' | 'guided';
  platform: NodeJS.Platform;
  needsAdmin: boolean;
  /** What will change, in words the user can check before saying yes. */
  preview: string;
  /** Must hold before apply; the mechanism re-checks them (and refuses) when it can. */
  preconditions: string[];
  apply: PlanCommand[];
  /** Run in order to undo. "{handle}" is filled from the apply output (see `capture`). */
  undo: PlanCommand[];
  /** nft prints the new rule's handle with --echo --handle; undo deletes exactly that rule. */
  capture: { applyIndex: number; what: 'nft-handle'; placeholder: '{handle}' } | null;
  /** Guided plans: the exact settings to change, in order. */
  steps: string[];
}

const COMMENT = (port: number) => `mailmedic allow SMTP ${port}`;

function base(p: Partial<FixPlan> & Pick<FixPlan, 'id' | 'title' | 'platform' | 'preview'>): FixPlan {
  return { kind: 'commands', needsAdmin: true, preconditions: [], apply: [], undo: [], capture: null, steps: [], ...p };
}

/** nftables: an accept rule inserted right before the blocking rule, in the same chain (an accept in another chain would not win). */
export function nftAllowPlan(rule: BlockRule, port: number, address: string | null): FixPlan | null {
  const loc = rule.location;
  if (rule.source !== 'nftables' || !loc) return null;
  const v = address ? isIP(address) : 0;
  const daddr = v === 4 && loc.family !== 'ip6' ? ['ip', 'daddr', address as string] : v === 6 && loc.family !== 'ip' ? ['ip6', 'daddr', address as string] : [];
  const where = loc.handle !== null ? ['position', String(loc.handle)] : [];
  const args = ['--echo', '--handle', 'insert', 'rule', loc.family, loc.table, loc.chain, ...where, ...daddr, 'tcp', 'dport', String(port), 'accept', 'comment', `"${COMMENT(port)}"`];
  const scope = daddr.length ? `to ${address} ` : '';
  return base({
    id: `network.allow-out.nft.${port}`,
    title: `Allow outgoing mail on TCP ${port} ${scope}in nftables`,
    platform: 'linux',
    preview:
      `Insert one rule into nftables chain ${loc.family} ${loc.table} ${loc.chain}, just before the rule "${rule.name}":\n` +
      `  + ${daddr.join(' ')}${daddr.length ? ' ' : ''}tcp dport ${port} accept comment "${COMMENT(port)}"\n` +
      `The blocking rule stays in place; all other traffic is filtered as before. This change lasts until the ruleset is reloaded.`,
    preconditions: [`nftables chain ${loc.family} ${loc.table} ${loc.chain} exists`, loc.handle !== null ? `rule handle ${loc.handle} is still in that chain` : 'the chain is a base chain'],
    apply: [{ cmd: 'nft', args }],
    undo: [{ cmd: 'nft', args: ['delete', 'rule', loc.family, loc.table, loc.chain, 'handle', '{handle}'] }],
    capture: { applyIndex: 0, what: 'nft-handle', placeholder: '{handle}' },
  });
}

/** iptables: an ACCEPT at the top of OUTPUT ends the filter-table walk before any DROP in OUTPUT or its sub-chains. */
export function iptablesAllowPlan(port: number, address: string | null): FixPlan {
  const dest = address && isIP(address) === 4 ? ['-d', address] : [];
  const spec = ['OUTPUT', '-p', 'tcp', ...dest, '--dport', String(port), '-m', 'comment', '--comment', COMMENT(port), '-j', 'ACCEPT'];
  return base({
    id: `network.allow-out.iptables.${port}`,
    title: `Allow outgoing mail on TCP ${port}${dest.length ? ` to ${address}` : ''} in iptables`,
    platform: 'linux',
    preview: `Insert at the top of the filter OUTPUT chain:\n  + -A ${spec.join(' ')}\nNothing else changes; it lasts until the rules are reloaded.`,
    preconditions: ['iptables can list the filter table'],
    apply: [{ cmd: 'iptables', args: ['-I', ...spec.slice(0, 1), '1', ...spec.slice(1)] }],
    undo: [{ cmd: 'iptables', args: ['-D', ...spec] }],
  });
}

/** ufw: an "allow out" rule inserted first, so it is matched before the deny rule. */
export function ufwAllowPlan(port: number, address: string | null): FixPlan {
  const to = address && isIP(address) ? address : 'any';
  const rule = ['allow', 'out', 'proto', 'tcp', 'to', to, 'port', String(port)];
  return base({
    id: `network.allow-out.ufw.${port}`,
    title: `Allow outgoing mail on TCP ${port}${to !== 'any' ? ` to ${to}` : ''} in ufw`,
    platform: 'linux',
    preview: `Add a ufw rule in first position:\n  + ufw ${rule.join(' ')} comment '${COMMENT(port)}'\nThe deny rule stays; ufw stays enabled.`,
    preconditions: ['ufw is active and has at least one rule (position 1 exists)'],
    apply: [{ cmd: 'ufw', args: ['insert', '1', ...rule, 'comment', COMMENT(port)] }],
    undo: [{ cmd: 'ufw', args: ['delete', ...rule] }],
  });
}

/** Windows Firewall: an Allow rule for the mail program. It only helps when the profile's default outbound action is Block. */
export function windowsAllowPlan(port: number, address: string | null, program: string | null): FixPlan {
  const name = `MailMedic-Allow-SMTP-${port}`;
  const q = (s: string) => `'${s.replace(/'/g, "''")}'`;
  const parts = [
    'New-NetFirewallRule',
    `-Name ${q(name)}`,
    `-DisplayName ${q(`MailMedic: allow SMTP ${port}${program ? ` for ${program.split(/[\\/]/).pop()}` : ''}`)}`,
    '-Direction Outbound -Action Allow -Protocol TCP',
    `-RemotePort ${port}`,
    ...(address && isIP(address) ? [`-RemoteAddress ${q(address)}`] : []),
    ...(program ? [`-Program ${q(program)}`] : []),
  ];
  return base({
    id: `network.allow-out.windows.${port}`,
    title: `Allow ${program ? 'the mail program' : 'outgoing mail'} on TCP ${port} in Windows Firewall`,
    platform: 'win32',
    preview:
      `Add one outbound Allow rule named ${name}: TCP to remote port ${port}` +
      `${address ? ` at ${address}` : ''}${program ? `, only for ${program}` : ''}.\n` +
      'Windows Firewall stays on. Note: an explicit Block rule still wins over any Allow rule.',
    preconditions: ['a firewall profile has DefaultOutboundAction = Block', `no rule named ${name} exists yet`],
    apply: [{ cmd: 'powershell.exe', args: ['-NoProfile', '-NonInteractive', '-Command', parts.join(' ')] }],
    undo: [{ cmd: 'powershell.exe', args: ['-NoProfile', '-NonInteractive', '-Command', `Remove-NetFirewallRule -Name ${q(name)}`] }],
  });
}

/** Windows: explicit Block rules beat Allow rules, so the only narrow fix is the rule's owner changing it. */
export function windowsBlockRuleGuide(rule: BlockRule, port: number): FixPlan {
  return base({
    id: `network.guide.windows-block-rule.${port}`,
    title: `Ask for an exception to the firewall rule "${rule.name}"`,
    kind: 'guided',
    platform: 'win32',
    needsAdmin: true,
    preview: `The outbound rule "${rule.name}" blocks TCP ${port}. In Windows Firewall a Block rule overrides every Allow rule.`,
    steps: [
      'Press Win+R, type wf.msc and press Enter (Windows Defender Firewall with Advanced Security).',
      `Select "Outbound Rules" and find "${rule.name}".`,
      `If it was set by your organisation (Group Policy), ask IT to exempt TCP ${port} to your mail server; otherwise open Properties ▸ "Protocols and Ports" and remove ${port} from "Remote port".`,
    ],
  });
}

const VPN_STEPS: Partial<Record<VpnKind, string[]>> = {
  wireguard: [
    'Open the WireGuard app and select the tunnel ▸ Edit.',
    'In [Peer] AllowedIPs, replace 0.0.0.0/0 with the networks that must go through the tunnel (or add an exclusion for the mail server).',
    'Windows: untick "Block untunneled traffic (kill-switch)" only if you changed AllowedIPs.',
  ],
  openvpn: ['Add the line `route <mail-server-ip> 255.255.255.255 net_gateway` to the .ovpn profile, then reconnect.'],
  anyconnect: [
    'Split tunnelling is set by your VPN administrator (ASA/FTD group policy "split-tunnel-policy excludespecified").',
    'Ask them to exclude the mail server, or to permit SMTP through the tunnel.',
  ],
  globalprotect: ['Ask your administrator to add the mail server to the gateway\'s Split Tunnel ▸ "Exclude" access routes (Network ▸ GlobalProtect ▸ Gateways ▸ Agent ▸ Client Settings).'],
  forticlient: ['Ask your administrator to enable "Split Tunneling" in the SSL-VPN portal (VPN ▸ SSL-VPN Portals) or to allow SMTP through the tunnel.'],
  pulse: ['Ask your administrator for a split-tunnelling exclusion for the mail server (Users ▸ Resource Policies ▸ Split-Tunneling Networks).'],
  nordvpn: ['NordVPN ▸ Settings ▸ Split tunneling: turn it on and add your mail program.'],
  expressvpn: ['ExpressVPN ▸ Options ▸ General ▸ Split tunneling: "Do not allow selected apps to use the VPN" and add your mail program.'],
  protonvpn: ['Proton VPN ▸ Settings ▸ Split tunneling: turn it on and add your mail program (or the mail server address).'],
  tailscale: ['Tailscale menu ▸ Exit node ▸ None (or keep it and tick "Allow local network access").'],
  'windows-builtin': ['Settings ▸ Network & internet ▸ VPN ▸ your VPN ▸ Advanced options, or in PowerShell: Set-VpnConnection -Name "<name>" -SplitTunneling $true.'],
};

export function vpnSplitTunnelGuide(kind: VpnKind, iface: string, host: string | null, platform: NodeJS.Platform): FixPlan {
  return base({
    id: `network.guide.vpn-split-tunnel.${kind}`,
    title: `Send mail outside the VPN (${kind})`,
    kind: 'guided',
    platform,
    needsAdmin: false,
    preview: `Traffic to ${host ?? 'the mail server'} goes through the VPN interface ${iface}. Split tunnelling lets mail go directly while the VPN stays on.`,
    steps: VPN_STEPS[kind] ?? ['Open your VPN client\'s settings and look for "Split tunneling"; exclude the mail server or your mail program.', 'Or ask your VPN administrator whether SMTP is allowed through the tunnel.'],
  });
}

const AV_STEPS: Array<[RegExp, string, string[]]> = [
  [/avast/i, 'avast', ['Avast ▸ Menu ▸ Settings ▸ Protection ▸ Core Shields ▸ Configure shield settings ▸ Mail Shield.', 'Untick "Scan outbound emails (SMTP)", or keep it and untick "Scan emails sent and received via SSL/TLS".']],
  [/avg/i, 'avg', ['AVG ▸ Menu ▸ Settings ▸ Basic Protection ▸ Email Shield.', 'Untick "Scan outbound emails (SMTP)", or keep it and untick "Scan SSL/TLS connections".']],
  [/eset/i, 'eset', ['ESET ▸ Setup ▸ Advanced setup (F5) ▸ Protections ▸ SSL/TLS.', 'Under "List of SSL/TLS filtered applications", set your mail program to "Ignore" (keep "Enable SSL/TLS protocol filtering" on).']],
  [/kaspersky/i, 'kaspersky', ['Kaspersky ▸ Settings ▸ Network settings ▸ Encrypted connections scanning.', 'Under "Manage exclusions" add the mail server (keep scanning on for everything else).']],
  [/norton|symantec/i, 'norton', ['Norton ▸ Settings ▸ Antivirus ▸ Scans and Risks ▸ "Email Antivirus Scan" ▸ Configure.', 'Untick "Scan Outgoing Email (SMTP)".']],
  [/bitdefender/i, 'bitdefender', ['Bitdefender ▸ Protection ▸ Online Threat Prevention ▸ Settings.', 'Turn off "Encrypted web scan" for the mail program, or add the mail server under Exceptions.']],
];

/** Mail shield exception for the antivirus named; never "turn the antivirus off". */
export function antivirusShieldGuide(product: string, port: number, platform: NodeJS.Platform): FixPlan {
  const hit = AV_STEPS.find(([re]) => re.test(product));
  const slug = hit ? hit[1] : product.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'antivirus';
  return base({
    id: `network.guide.av-mail-shield.${slug}`,
    title: `Exempt mail from ${product}'s mail shield`,
    kind: 'guided',
    platform,
    needsAdmin: false,
    preview: `${product} intercepts the TLS connection on port ${port}. An exception for the mail server keeps the antivirus on and lets the mail client see the server's real certificate.`,
    steps: hit ? hit[2] : [`Open ${product}'s settings and look for "Mail shield", "Email protection" or "SSL/TLS scanning".`, 'Add an exception for your mail server or mail program; leave real-time protection on.'],
  });
}

/** Every plan the current network state calls for, keyed by id (what findings reference). */
export function plansFor(section: NetworkSection, opts: { address?: string | null; program?: string | null; failedPorts?: number[] } = {}): FixPlan[] {
  const address = opts.address ?? null;
  const plans = new Map<string, FixPlan>();
  const add = (p: FixPlan | null) => {
    if (p && !plans.has(p.id)) plans.set(p.id, p);
  };
  const rules = section.firewall.details.blockRules;
  const ufwPorts = new Set(rules.filter((r) => r.source === 'ufw').flatMap((r) => r.ports));
  const iptPorts = new Set(rules.filter((r) => r.source === 'iptables').flatMap((r) => r.ports));
  // A table iptables-nft manages is changed with iptables, or iptables refuses to read it afterwards.
  const iptablesOwned = (r: BlockRule) => iptPorts.size > 0 && /^ip6?$/.test(r.location?.family ?? '') && /^(filter|mangle|raw|security|nat)$/.test(r.location?.table ?? '');
  for (const r of rules) {
    for (const port of r.ports) {
      if (opts.failedPorts && !opts.failedPorts.includes(port)) continue;
      if (r.source === 'ufw') add(ufwAllowPlan(port, address));
      // ufw's own rules also show up in nft/iptables; the ufw plan is the one to use then.
      else if (r.source === 'nftables' && !ufwPorts.has(port) && !(iptPorts.has(port) && iptablesOwned(r))) add(nftAllowPlan(r, port, address));
      else if (r.source === 'iptables' && !ufwPorts.has(port)) add(iptablesAllowPlan(port, address));
      else if (r.source === 'windows-firewall') add(windowsBlockRuleGuide(r, port));
    }
  }
  const winDefaultBlock = section.firewall.details.components.some((c) => c.source === 'windows-firewall' && c.enabled && c.defaultOutbound === 'block');
  if (winDefaultBlock) for (const port of opts.failedPorts ?? [587]) add(windowsAllowPlan(port, address, opts.program ?? null));
  const iface = section.route.details.interface;
  if (section.route.details.viaVpn && iface) add(vpnSplitTunnelGuide(vpnKindOf(section, iface), iface, section.route.details.host, platformOf(section)));
  return [...plans.values()];
}

function platformOf(section: NetworkSection): NodeJS.Platform {
  return section.platform === 'win32' || section.platform === 'darwin' ? section.platform : 'linux';
}

/** The VPN kind behind an interface: the interface's own, or the connected profile that uses it. */
export function vpnKindOf(section: NetworkSection, iface: string): VpnKind {
  const v = section.vpn.details;
  return v.connections.find((c) => c.device === iface)?.kind ?? v.interfaces.find((i) => i.name === iface)?.kind ?? 'other';
}

/**
 * The undo commands with placeholders filled from what apply printed (nft's new rule handle).
 * null when the apply output does not carry what undo needs: the mechanism must then refuse to journal.
 */
export function resolveUndo(plan: FixPlan, applyStdout: string[]): PlanCommand[] | null {
  if (!plan.capture) return plan.undo;
  const handle = nftHandleFromEcho(applyStdout[plan.capture.applyIndex] ?? '');
  if (handle === null) return null;
  const placeholder = plan.capture.placeholder;
  return plan.undo.map((c) => ({ cmd: c.cmd, args: c.args.map((a) => (a === placeholder ? String(handle) : a)) }));
}
