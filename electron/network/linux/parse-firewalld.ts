import { lines, ok, fail, type Parsed } from '../parsed.ts';
import { clip, type FirewallFacts } from '../firewall-result.ts';
import type { BlockRule } from '../schema.ts';
import { iptBlock, parseIptRule, tokenize } from './parse-iptables.ts';

/** `firewall-cmd --state`: "running" (exit 0) or "not running" (exit 252). */
export function parseFirewalldState(text: string): Parsed<boolean> {
  const t = text.trim();
  if (t === 'running') return ok(true);
  if (t === 'not running') return ok(false);
  return fail(`firewall-cmd --state: unexpected output "${clip(t, 60)}"`);
}

/**
 * `firewall-cmd --direct --get-all-rules`: "ipv4 filter OUTPUT 0 -p tcp --dport 25 -j DROP" per line.
 * Direct rules are where admins put outbound blocks in firewalld.
 */
export function parseFirewalldDirect(text: string, running: boolean): Parsed<FirewallFacts> {
  const blockRules: BlockRule[] = [];
  for (const l of lines(text)) {
    const t = tokenize(l.trim());
    if (t.length === 0) continue;
    if (t.length < 5 || !/^(ipv4|ipv6|eb)$/.test(t[0])) return fail(`firewall-cmd --direct: unexpected line "${clip(l, 80)}"`);
    const [family, table, chain] = t;
    const rule = { ...parseIptRule(t.slice(4)), chain };
    const b = table === 'filter' && /^OUTPUT/.test(chain) ? iptBlock(rule) : null;
    if (b) {
      blockRules.push({
        source: 'firewalld',
        name: rule.comment ?? `direct ${family} ${chain} priority ${t[3]}`,
        ...b,
        location: { family, table, chain, handle: null },
        text: clip(l),
      });
    }
  }
  return ok({ components: [{ source: 'firewalld', name: 'firewalld', enabled: running, defaultOutbound: null }], blockRules });
}
