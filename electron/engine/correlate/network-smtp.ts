import { finding, type Finding } from '../../core/finding.ts';
import type { PortResult, SmtpSection } from '../../smtp/schema.ts';
import type { AntivirusProduct, BlockRule, NetworkSection } from '../../network/schema.ts';
import { antivirusShieldGuide, plansFor, vpnKindOf, vpnSplitTunnelGuide } from '../../network/fix-plans.ts';
import { bestRule, fixRefs, slug } from '../../network/findings.ts';
import { addressCovers, interfaceCovers } from '../../network/addresses.ts';

// Findings that join what the network collectors saw with what the SMTP probe saw, each with evidence
// from both sides. Pure: unit tests build both sections by hand.

const FAILED = new Set(['timeout', 'refused', 'reset', 'unreachable', 'no-banner']);

const OUTCOME_TEXT: Record<string, string> = {
  timeout: 'timed out',
  refused: 'was refused',
  reset: 'was reset',
  unreachable: 'found the host unreachable',
  'no-banner': 'got no greeting',
};

function probeEvidence(p: PortResult) {
  return { port: p.port, security: p.security, outcome: p.outcome, phase: p.phase, lastTranscript: p.transcript.slice(-3) };
}

/** Does the rule apply to this server address and the interface mail leaves by? Empty/absent lists = any. */
function ruleHits(rule: BlockRule, address: string | null, iface: string | null): boolean {
  const addressOk = rule.addresses.length === 0 || address === null || rule.addresses.some((a) => addressCovers(a, address));
  const ifaces = rule.interfaces ?? [];
  const ifaceOk = ifaces.length === 0 || iface === null || ifaces.some((i) => interfaceCovers(i, iface));
  return addressOk && ifaceOk;
}

/** What a rule's action predicts the client sees; a mismatch hints at a second blocker. */
function consistent(rule: BlockRule, outcome: string): boolean {
  return rule.action === 'drop' ? outcome === 'timeout' : outcome === 'refused' || outcome === 'reset';
}

function blockFindings(net: NetworkSection, smtp: SmtpSection, failed: PortResult[]): Finding[] {
  const out: Finding[] = [];
  const plans = plansFor(net, { address: smtp.address, failedPorts: failed.map((p) => p.port) });
  for (const p of failed) {
    // The route was asked for this server only when its target is the server's address.
    const iface = net.route.details.target === smtp.address ? net.route.details.interface : null;
    const rules = net.firewall.details.blockRules.filter((r) => r.ports.includes(p.port) && ruleHits(r, smtp.address, iface));
    const rule = bestRule(rules);
    const fixes = fixRefs(plans.filter((x) => x.id.endsWith(`.${p.port}`)));
    if (rule) {
      out.push(
        finding({
          id: `network.blocked-by-rule.${p.port}`,
          area: 'network',
          severity: 'error',
          title: `An outbound rule "${rule.name}" blocks TCP ${p.port}, and the probe ${OUTCOME_TEXT[p.outcome]} on ${p.port}`,
          detail:
            `${rule.source} ${rule.action === 'drop' ? 'drops' : 'rejects'} outgoing TCP ${p.port}; the connection to ${smtp.host} on ${p.port} ${OUTCOME_TEXT[p.outcome]}.` +
            (consistent(rule, p.outcome) ? '' : ` A ${rule.action} rule would normally give ${rule.action === 'drop' ? 'a timeout' : 'a refusal'}: something else on the path may block as well.`),
          evidence: { host: smtp.host, rule: { source: rule.source, name: rule.name, action: rule.action, text: rule.text }, otherRules: rules.length - 1, probe: probeEvidence(p) },
          fixes,
        }),
      );
      continue;
    }
    const defaultBlock = net.firewall.details.components.find((c) => c.enabled && c.defaultOutbound === 'block');
    if (defaultBlock) {
      out.push(
        finding({
          id: `network.blocked-by-default-policy.${p.port}`,
          area: 'network',
          severity: 'warning',
          title: `${defaultBlock.name} blocks outgoing connections by default, and the probe ${OUTCOME_TEXT[p.outcome]} on ${p.port}`,
          detail: `No rule names port ${p.port}, but ${defaultBlock.source} blocks what is not explicitly allowed.`,
          evidence: { host: smtp.host, component: defaultBlock, probe: probeEvidence(p) },
          fixes: fixes.filter((x) => x.id === `network.allow-out.windows.${p.port}`),
        }),
      );
    } else if (!net.firewall.checked) {
      out.push(
        finding({
          id: `network.firewall-unknown.${p.port}`,
          area: 'network',
          severity: 'info',
          title: `The probe ${OUTCOME_TEXT[p.outcome]} on ${p.port}, and the local firewall could not be checked`,
          detail: `${net.firewall.reason ?? 'The firewall state is unknown.'} A local block on ${p.port} is not ruled out.`,
          evidence: { host: smtp.host, firewall: { checked: false, reason: net.firewall.reason }, probe: probeEvidence(p) },
        }),
      );
    }
  }
  return out;
}

function vpnFindings(net: NetworkSection, smtp: SmtpSection, failed: PortResult[]): Finding[] {
  const rt = net.route.details;
  if (!rt.viaVpn || !rt.interface || failed.length === 0) return [];
  // The route is only about this server when it was asked for this server's address.
  if (smtp.address && rt.target && rt.target !== smtp.address) return [];
  const okPorts = smtp.ports.filter((p) => p.outcome === 'ok').map((p) => p.port);
  const failedList = failed.map((p) => `${p.port} (${p.outcome})`).join(', ');
  const guide = vpnSplitTunnelGuide(vpnKindOf(net, rt.interface), rt.interface, smtp.host, net.platform === 'win32' || net.platform === 'darwin' ? net.platform : 'linux');
  return [
    finding({
      id: `network.vpn-route.${slug(rt.interface)}`,
      area: 'network',
      severity: 'warning',
      title: `Traffic to ${smtp.host} leaves through the VPN interface ${rt.interface}; the probe failed on ${failed.map((p) => p.port).join(', ')}`,
      detail:
        `The route to ${smtp.address ?? smtp.host} goes via ${rt.interface}, and the probe failed on ${failedList}` +
        (okPorts.length ? ` but worked on ${okPorts.join(', ')}: the VPN (or the network behind it) filters those ports.` : ': the VPN or the network behind it may not carry SMTP.'),
      evidence: { host: smtp.host, route: { target: rt.target, interface: rt.interface, table: rt.table, gateway: rt.gateway }, failed: failed.map(probeEvidence), okPorts },
      fixes: fixRefs([guide]),
    }),
  ];
}

/** The antivirus whose name shows in a certificate issuer ("Avast Web/Mail Shield Root" → Avast). */
function issuerProduct(issuer: string, products: AntivirusProduct[]): AntivirusProduct | null {
  const i = issuer.toLowerCase();
  return products.find((a) => {
    const vendor = a.name.toLowerCase().split(/\s+/)[0];
    return vendor.length >= 3 && i.includes(vendor);
  }) ?? null;
}

function avFindings(net: NetworkSection, smtp: SmtpSection): Finding[] {
  const out: Finding[] = [];
  const active = net.antivirus.filter((a) => a.state === 'on');
  for (const p of smtp.ports) {
    if (!p.tls) continue;
    const byIssuer = p.tls.issuer ? issuerProduct(p.tls.issuer, active) : null;
    const named = p.tls.interceptedBy ? (active.find((a) => issuerProduct(p.tls?.interceptedBy ?? '', [a])) ?? null) : null;
    const product = byIssuer ?? named;
    if (!product && !p.tls.interceptedBy) continue;
    const name = product?.name ?? (p.tls.interceptedBy as string);
    const platform = net.platform === 'win32' || net.platform === 'darwin' ? net.platform : 'linux';
    out.push(
      finding({
        id: `network.av-intercepts-tls.${p.port}`,
        area: 'network',
        severity: 'warning',
        title: product
          ? `${name} is active and the certificate on ${p.port} was issued by it: its mail shield intercepts TLS`
          : `The certificate on ${p.port} was issued by ${name}: a mail shield intercepts TLS`,
        detail: `The mail client sees ${name}'s certificate instead of ${smtp.host}'s, which many clients reject.` + (product ? '' : ' The product was not found among the installed antivirus products.'),
        evidence: { host: smtp.host, antivirus: product, certificate: { issuer: p.tls.issuer, subject: p.tls.subject, trusted: p.tls.trusted, interceptedBy: p.tls.interceptedBy }, probe: probeEvidence(p) },
        fixes: fixRefs([antivirusShieldGuide(name, p.port, platform)]),
      }),
    );
  }
  return out;
}

function proxyFindings(net: NetworkSection, smtp: SmtpSection): Finding[] {
  const all = smtp.ports;
  if (all.length === 0 || net.proxy.details.settings.length === 0 || !all.every((p) => p.outcome === 'timeout')) return [];
  return [
    finding({
      id: 'network.proxy-only-network',
      area: 'network',
      severity: 'info',
      title: 'Every SMTP port timed out and a proxy is configured',
      detail: 'Networks that send web traffic through a proxy often block everything else, SMTP included. Ask the network administrator whether outgoing mail is allowed.',
      evidence: { host: smtp.host, proxy: net.proxy.details.settings, ports: all.map((p) => ({ port: p.port, outcome: p.outcome })) },
    }),
  ];
}

export function correlateNetworkWithSmtp(net: NetworkSection, smtp: SmtpSection): Finding[] {
  // A name that did not resolve never reached the firewall: nothing to join.
  const failed = smtp.ports.filter((p) => FAILED.has(p.outcome) && p.phase !== 'dns');
  return [...blockFindings(net, smtp, failed), ...vpnFindings(net, smtp, failed), ...avFindings(net, smtp), ...proxyFindings(net, smtp)];
}
