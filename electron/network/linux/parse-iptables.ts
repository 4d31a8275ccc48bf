import { fail, lines, ok, type Parsed } from '../parsed.ts';
import { smtpPortsIn } from '../ports.ts';
import { clip, type FirewallFacts } from '../firewall-result.ts';
import type { BlockRule } from '../schema.ts';

// Reads `iptables-save` (and firewalld's `--direct --get-all-rules`, which uses the same rule syntax).

/** Splits an iptables rule into words, keeping "quoted comments" whole. */
export function tokenize(line: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line)) !== null && out.length < 500) out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]);
  return out;
}

export interface IptRule {
  chain: string;
  protocol: string | null;
  dports: string | null;
  destination: string | null;
  outInterface: string | null;
  target: string | null;
  comment: string | null;
  negatedPort: boolean;
}

/** One "-A CHAIN …" rule (or the part after "-A") as fields. */
export function parseIptRule(tokens: string[]): IptRule {
  const r: IptRule = { chain: '', protocol: null, dports: null, destination: null, outInterface: null, target: null, comment: null, negatedPort: false };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const next = tokens[i + 1] ?? null;
    if (t === '-A' || t === '-I') r.chain = next ?? '';
    else if (t === '-p' || t === '--protocol') r.protocol = next;
    else if (t === '--dport' || t === '--dports' || t === '--destination-port' || t === '--destination-ports') {
      r.dports = next;
      if (tokens[i - 1] === '!') r.negatedPort = true;
    } else if (t === '-d' || t === '--destination') r.destination = next;
    // "! -o eth0" means every interface but one: treated as any.
    else if ((t === '-o' || t === '--out-interface') && tokens[i - 1] !== '!') r.outInterface = next;
    else if (t === '-j' || t === '-g') r.target = next;
    else if (t === '--comment') r.comment = next;
  }
  return r;
}

/** The block a rule makes, when it drops/rejects TCP to an SMTP port. */
export function iptBlock(r: IptRule): Pick<BlockRule, 'action' | 'ports' | 'addresses' | 'interfaces'> | null {
  const action = r.target === 'DROP' ? 'drop' : r.target === 'REJECT' ? 'reject' : null;
  if (!action || !r.dports || r.negatedPort) return null;
  if (r.protocol !== null && r.protocol !== 'tcp' && r.protocol !== '6') return null;
  const ports = smtpPortsIn(r.dports);
  if (ports.length === 0) return null;
  return { action, ports, addresses: r.destination ? [r.destination] : [], interfaces: r.outInterface ? [r.outInterface] : [] };
}

export function parseIptablesSave(text: string): Parsed<FirewallFacts> {
  const all = lines(text);
  if (!all.some((l) => l.startsWith('*'))) {
    // An empty ruleset prints nothing at all; anything else without a table header is not iptables-save.
    if (text.trim() === '' || all.every((l) => l.trim() === '' || l.startsWith('#'))) {
      return ok({ components: [{ source: 'iptables', name: 'iptables', enabled: false, defaultOutbound: null }], blockRules: [] });
    }
    return fail('iptables-save: no "*table" header in the output');
  }
  let table = '';
  const policies = new Map<string, string>();
  const rules: Array<{ table: string; rule: IptRule; text: string }> = [];
  let committed = false;
  for (const l of all) {
    if (l.startsWith('*')) {
      table = l.slice(1).trim();
      committed = false;
    } else if (l.startsWith(':') && table === 'filter') {
      const [name, policy] = l.slice(1).split(/\s+/);
      policies.set(name, policy);
    } else if (l.startsWith('-A ')) rules.push({ table, rule: parseIptRule(tokenize(l)), text: l });
    else if (l.trim() === 'COMMIT') committed = true;
  }
  if (!committed) return fail('iptables-save: output ends without COMMIT (cut off?)');
  // Chains reachable from OUTPUT in the filter table (ufw and firewalld hang their own chains there).
  const reach = new Set(['OUTPUT']);
  for (let depth = 0; depth < 16; depth++) {
    const before = reach.size;
    for (const { table: t, rule } of rules) {
      if (t === 'filter' && reach.has(rule.chain) && rule.target && policies.has(rule.target)) reach.add(rule.target);
    }
    if (reach.size === before) break;
  }
  const blockRules: BlockRule[] = [];
  for (const { table: t, rule, text: raw } of rules) {
    if (t !== 'filter' || !reach.has(rule.chain)) continue;
    const b = iptBlock(rule);
    if (!b) continue;
    blockRules.push({
      source: 'iptables',
      name: rule.comment ?? `${rule.chain}: ${clip(raw.slice(3 + rule.chain.length), 80)}`,
      ...b,
      location: { family: 'ip', table: 'filter', chain: rule.chain, handle: null },
      text: clip(raw),
    });
  }
  const outPolicy = policies.get('OUTPUT');
  return ok({
    components: [
      {
        source: 'iptables',
        name: 'iptables',
        enabled: rules.length > 0 || [...policies.values()].some((p) => p === 'DROP'),
        defaultOutbound: outPolicy === 'DROP' ? 'block' : outPolicy ? 'allow' : null,
      },
    ],
    blockRules,
  });
}
