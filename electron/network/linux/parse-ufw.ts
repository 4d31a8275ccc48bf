import { fail, lines, ok, type Parsed } from '../parsed.ts';
import { smtpPortsIn } from '../ports.ts';
import { clip, type FirewallFacts } from '../firewall-result.ts';
import type { BlockRule } from '../schema.ts';

// Reads `ufw status verbose`, run with LC_ALL=C by the collector (ufw translates its status lines).

const RULE = /^(.+?)\s{2,}(ALLOW|DENY|REJECT|LIMIT)(?: (IN|OUT|FWD))?\s{2,}(.+?)(?:\s+#\s*(.*))?$/;

/** "192.0.2.1 25/tcp (v6)" → address and port spec; "Anywhere" → no address. */
function splitTarget(to: string): { address: string | null; portSpec: string | null; tcp: boolean; iface: string | null } {
  const iface = / on (\S+)/.exec(to)?.[1] ?? null;
  const words = to.replace(/\(v6\)/g, '').replace(/ on \S+/, '').trim().split(/\s+/);
  let address: string | null = null;
  let portSpec: string | null = null;
  let tcp = true;
  for (const w of words) {
    const pm = /^([\d,:]+)(?:\/(tcp|udp))?$/.exec(w);
    if (pm) {
      portSpec = pm[1];
      tcp = pm[2] !== 'udp';
    } else if (w !== 'Anywhere' && /[\d:.]/.test(w)) address = w;
  }
  return { address, portSpec, tcp, iface };
}

export function parseUfwStatus(text: string): Parsed<FirewallFacts> {
  const all = lines(text);
  const status = all.find((l) => /^Status:/.test(l));
  if (!status) return fail('ufw status: no "Status:" line (localized or cut-off output)');
  const active = /^Status:\s*active/.test(status);
  const def = all.find((l) => /^Default:/.test(l)) ?? '';
  const outgoing = /(\w+) \(outgoing\)/.exec(def)?.[1] ?? null;
  const blockRules: BlockRule[] = [];
  for (const l of all) {
    const m = RULE.exec(l.trim());
    if (!m || m[1] === 'To') continue;
    const [, to, verb, dir, , comment] = m;
    if (dir !== 'OUT' || (verb !== 'DENY' && verb !== 'REJECT')) continue;
    const target = splitTarget(to);
    if (!target.portSpec || !target.tcp) continue;
    const ports = smtpPortsIn(target.portSpec);
    if (ports.length === 0) continue;
    const name = comment?.trim() || `${to.trim()} ${verb} OUT`;
    // ufw lists an IPv4 and an IPv6 copy of each rule; one is enough for the report.
    if (blockRules.some((b) => b.name === name.replace(' (v6)', '') || b.text === clip(l.replace(/ \(v6\)/g, '')))) continue;
    blockRules.push({
      source: 'ufw',
      name: name.replace(/ \(v6\)/g, ''),
      action: verb === 'DENY' ? 'drop' : 'reject',
      ports,
      addresses: target.address ? [target.address] : [],
      interfaces: target.iface ? [target.iface] : [],
      location: null,
      text: clip(l.replace(/ \(v6\)/g, '')),
    });
  }
  return ok({
    components: [
      {
        source: 'ufw',
        name: 'ufw',
        enabled: active,
        defaultOutbound: !active ? null : outgoing === 'deny' || outgoing === 'reject' ? 'block' : outgoing === 'allow' ? 'allow' : null,
      },
    ],
    blockRules: active ? blockRules : [],
  });
}
