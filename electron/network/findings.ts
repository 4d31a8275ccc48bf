import { finding, type Finding, type FixRef } from '../core/finding.ts';
import type { BlockRule, CheckState, NetworkSection, SourceCheck } from './schema.ts';
import { plansFor, type FixPlan } from './fix-plans.ts';

// Findings about the network state alone. Anything that could not be checked says so: it is never
// silently treated as "nothing found".

export const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'x';

export const fixRefs = (plans: FixPlan[]): FixRef[] => plans.map((p) => ({ id: p.id, title: p.title }));

const PART_LABEL = { firewall: 'the firewall', vpn: 'VPN connections', proxy: 'proxy settings', route: 'the route to the mail server', antivirusCheck: 'antivirus products' } as const;

function partFindings(part: keyof typeof PART_LABEL, state: CheckState, sources: SourceCheck[]): Finding[] {
  if (!state.checked) {
    return [
      finding({
        id: `network.not-checked.${part === 'antivirusCheck' ? 'antivirus' : part}`,
        area: 'network',
        severity: 'info',
        title: `Could not check ${PART_LABEL[part]}`,
        detail: `${state.reason ?? 'No command answered.'} This is not an all clear: ${PART_LABEL[part]} may still affect mail.`,
        evidence: { sources },
      }),
    ];
  }
  const partial = sources.filter((s) => s.status === 'denied' || s.status === 'failed' || s.status === 'timeout');
  if (partial.length === 0) return [];
  return [
    finding({
      id: `network.partly-checked.${part === 'antivirusCheck' ? 'antivirus' : part}`,
      area: 'network',
      severity: 'info',
      title: `Checked ${PART_LABEL[part]} only in part`,
      detail: partial.map((s) => `${s.command}: ${s.reason}`).join('; '),
      evidence: { sources: partial },
    }),
  ];
}

function unparsable(all: SourceCheck[]): Finding[] {
  return all
    .filter((s) => s.status === 'unparsable')
    .map((s) =>
      finding({
        id: `network.could-not-parse.${slug(s.command)}`,
        area: 'network',
        severity: 'info',
        title: `Could not parse the output of ${s.command}`,
        detail: `${s.reason ?? ''} What this command reports is left out of the diagnosis.`,
        evidence: { command: s.command, reason: s.reason },
      }),
    );
}

/** The rule to name for a port: a front-end's own rule (ufw, Windows) reads better than its nft translation. */
export function bestRule(rules: BlockRule[]): BlockRule | null {
  // iptables before nftables: iptables-nft rules keep their comment only in the iptables view.
  const order = ['windows-firewall', 'ufw', 'firewalld', 'pf', 'iptables', 'nftables', 'third-party', 'macos-app-firewall'];
  return [...rules].sort((a, b) => order.indexOf(a.source) - order.indexOf(b.source))[0] ?? null;
}

export function sectionFindings(s: NetworkSection, plans: FixPlan[] = plansFor(s)): Finding[] {
  return [
    ...partFindings('firewall', s.firewall, s.firewall.details.sources),
    ...partFindings('vpn', s.vpn, s.vpn.details.sources),
    ...partFindings('antivirusCheck', s.antivirusCheck, s.antivirusCheck.sources),
    ...partFindings('proxy', s.proxy, s.proxy.details.sources),
    ...partFindings('route', s.route, s.route.details.sources),
    ...unparsable([...s.firewall.details.sources, ...s.vpn.details.sources, ...s.antivirusCheck.sources, ...s.proxy.details.sources, ...s.route.details.sources]),
    ...firewallFindings(s, plans),
    ...vpnFindings(s),
    ...routeFindings(s),
    ...antivirusFindings(s),
    ...proxyFindings(s),
  ];
}

/** One finding per blocked TCP port (naming the best rule), and one per firewall that blocks outgoing by default. */
function firewallFindings(s: NetworkSection, plans: FixPlan[]): Finding[] {
  const out: Finding[] = [];
  const ports = [...new Set(s.firewall.details.blockRules.flatMap((r) => r.ports))].sort((a, b) => a - b);
  for (const port of ports) {
    const rules = s.firewall.details.blockRules.filter((r) => r.ports.includes(port));
    const r = bestRule(rules) as BlockRule;
    out.push(
      finding({
        id: `network.firewall.blocks.${port}`,
        area: 'network',
        severity: 'warning',
        title: `An outbound firewall rule "${r.name}" blocks TCP ${port}`,
        detail: `${r.source} ${r.action === 'drop' ? 'drops' : 'rejects'} outgoing TCP ${port}${r.addresses.length ? ` to ${r.addresses.join(', ')}` : ''}. A mail client using port ${port} ${r.action === 'drop' ? 'will time out' : 'will be refused at once'}.`,
        evidence: { rules: rules.map((x) => ({ source: x.source, name: x.name, action: x.action, addresses: x.addresses, text: x.text })) },
        fixes: fixRefs(plans.filter((p) => p.id.endsWith(`.${port}`))),
      }),
    );
  }
  for (const c of s.firewall.details.components.filter((c) => c.enabled && c.defaultOutbound === 'block')) {
    out.push(
      finding({
        id: `network.firewall.default-outbound-block.${slug(`${c.source}-${c.name}`)}`,
        area: 'network',
        severity: 'warning',
        title: `${c.name} (${c.source}) blocks outgoing connections by default`,
        detail: 'Only programs and ports with an explicit allow rule can connect out, so mail needs an allow rule.',
        evidence: { component: c },
        fixes: fixRefs(plans.filter((p) => p.id.startsWith('network.allow-out.'))),
      }),
    );
  }
  return out;
}

function vpnFindings(s: NetworkSection): Finding[] {
  const v = s.vpn.details;
  if (!v.active) return [];
  const names = [...v.interfaces.filter((i) => i.up).map((i) => `${i.name} (${i.kind})`), ...v.connections.filter((c) => c.connected).map((c) => `"${c.name}" (${c.kind})`)];
  return [
    finding({
      id: 'network.vpn.active',
      area: 'network',
      severity: 'info',
      title: `A VPN is active: ${names.join(', ')}`,
      detail: 'VPNs often carry all traffic, and many block or redirect outgoing SMTP.',
      evidence: { interfaces: v.interfaces.filter((i) => i.up), connections: v.connections.filter((c) => c.connected) },
    }),
  ];
}

/** No route to the mail server at all, or a route through a VPN interface. */
function routeFindings(s: NetworkSection): Finding[] {
  const out: Finding[] = [];
  const rt = s.route.details;
  if (s.route.checked && rt.interface === null) {
    out.push(
      finding({
        id: 'network.route.none',
        area: 'network',
        severity: 'warning',
        title: `No route to ${rt.host ?? rt.target}: this computer has no network path to it`,
        detail: 'The routing table has no entry for this address (no default gateway?). Check the network connection first.',
        evidence: { target: rt.target, sources: rt.sources },
      }),
    );
  }
  if (rt.viaVpn && rt.interface) {
    out.push(
      finding({
        id: 'network.route.via-vpn',
        area: 'network',
        severity: 'info',
        title: `Traffic to ${rt.host ?? rt.target} leaves through the VPN interface ${rt.interface}`,
        detail: `The system routes ${rt.target} via ${rt.interface}${rt.table ? ` (routing table ${rt.table})` : ''}, so the VPN decides whether mail gets out.`,
        evidence: { route: { target: rt.target, interface: rt.interface, gateway: rt.gateway, sourceAddress: rt.sourceAddress, table: rt.table } },
      }),
    );
  }
  return out;
}

function antivirusFindings(s: NetworkSection): Finding[] {
  return s.antivirus
    .filter((a) => a.state === 'on')
    .map((av) =>
      finding({
        id: `network.antivirus.active.${slug(av.name)}`,
        area: 'network',
        severity: 'info',
        title: `${av.name} is active`,
        detail: `Antivirus mail shields can proxy SMTP and replace the server's TLS certificate with their own.${av.upToDate === false ? ' Its signatures are out of date.' : ''}`,
        evidence: { product: av },
      }),
    );
}

function proxyFindings(s: NetworkSection): Finding[] {
  if (s.proxy.details.settings.length === 0) return [];
  return [
    finding({
      id: 'network.proxy.set',
      area: 'network',
      severity: 'info',
      title: `A proxy is configured (${s.proxy.details.settings.map((p) => `${p.kind} ${p.value}`).join(', ')})`,
      detail: 'Mail clients do not send SMTP through an HTTP proxy: they connect directly, so a network that only lets the proxy out blocks mail.',
      evidence: { settings: s.proxy.details.settings, bypass: s.proxy.details.bypass },
    }),
  ];
}
