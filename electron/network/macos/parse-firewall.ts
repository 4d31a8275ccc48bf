import { fail, lines, ok, type Parsed } from '../parsed.ts';
import { smtpPortsIn } from '../ports.ts';
import { clip } from '../firewall-result.ts';
import type { BlockRule, FirewallComponent } from '../schema.ts';

/** `socketfilterfw --getglobalstate`: "Firewall is enabled. (State = 1)"; 2 = block all incoming. Inbound only. */
export function parseSocketFilterState(text: string): Parsed<FirewallComponent> {
  const m = /\(State = (\d)\)/.exec(text) ?? /Firewall is (enabled|disabled)/i.exec(text);
  if (!m) return fail(`socketfilterfw: unexpected output "${clip(text, 80)}"`);
  const enabled = m[1] === 'enabled' || m[1] === '1' || m[1] === '2';
  return ok({ source: 'macos-app-firewall', name: 'Application Firewall (inbound only)', enabled, defaultOutbound: null });
}

/** `pfctl -s info` first line: "Status: Enabled for 0 days 03:12:44  Debug: Urgent" or "Status: Disabled". */
export function parsePfInfo(text: string): Parsed<FirewallComponent> {
  const m = /^Status:\s*(Enabled|Disabled)/m.exec(text);
  if (!m) return fail(`pfctl -s info: no "Status:" line in "${clip(text, 80)}"`);
  return ok({ source: 'pf', name: 'pf', enabled: m[1] === 'Enabled', defaultOutbound: null });
}

/**
 * `pfctl -s rules` (loaded rules, lists already expanded): "block drop out quick proto tcp from any to
 * 192.0.2.1 port = 25", "block return out proto tcp from any to any port = smtp", ranges "port 1:1024".
 */
export function parsePfRules(text: string): Parsed<BlockRule[]> {
  const out: BlockRule[] = [];
  for (const l of lines(text)) {
    const t = l.trim();
    if (t === '' || /^(scrub|anchor|nat|rdr|load|table|set|antispoof|pass|match|binat)\b/.test(t)) continue;
    if (!t.startsWith('block')) {
      if (/^[a-z-]+ /.test(t)) continue;
      return fail(`pfctl -s rules: unexpected line "${clip(t, 80)}"`);
    }
    if (!/\bout\b/.test(t) && /\bin\b/.test(t)) continue;
    if (/\bproto (udp|icmp)/.test(t)) continue;
    // The destination port is the last "port" after "to".
    const toPart = t.split(/\bto\b/)[1] ?? '';
    const pm = /port\s*(?:=\s*(\w+)|(\w+)\s*:\s*(\w+)|(\w+)\s*><\s*(\w+)|\{([^}]*)\})/.exec(toPart);
    if (!pm) continue;
    const spec = pm[1] ?? (pm[2] ? `${pm[2]}-${pm[3]}` : pm[4] ? `${Number(pm[4]) + 1}-${Number(pm[5]) - 1}` : (pm[6] ?? '').trim().split(/[\s,]+/).join(','));
    const ports = smtpPortsIn(spec);
    if (ports.length === 0) continue;
    const addr = /^\s*(\S+)\s+port/.exec(toPart)?.[1];
    const iface = /\bon (\w+)/.exec(t.split(/\bfrom\b/)[0])?.[1];
    out.push({
      source: 'pf',
      name: /label "([^"]+)"/.exec(t)?.[1] ?? clip(t, 80),
      action: /block return/.test(t) ? 'reject' : 'drop',
      ports,
      addresses: addr && addr !== 'any' ? [addr] : [],
      interfaces: iface ? [iface] : [],
      location: null,
      text: clip(t),
    });
  }
  return ok(out);
}
