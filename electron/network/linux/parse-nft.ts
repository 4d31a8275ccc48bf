import { fail, isRecord, ok, parseJson, type Parsed } from '../parsed.ts';
import { SMTP_PORTS } from '../ports.ts';
import { clip, type FirewallFacts } from '../firewall-result.ts';
import type { BlockRule } from '../schema.ts';

// Reads `nft -j list ruleset`. The JSON form is stable across nft versions, unlike the text form.
// No npm library models nft JSON rule expressions, so the few shapes that matter are walked here.

type Json = Record<string, unknown>;

interface Chain {
  family: string;
  table: string;
  name: string;
  hook: string | null;
  policy: string | null;
}
interface Rule {
  family: string;
  table: string;
  chain: string;
  handle: number | null;
  comment: string | null;
  expr: unknown[];
}

const key = (family: unknown, table: unknown, name: unknown) => `${String(family)}/${String(table)}/${String(name)}`;

/** Ports a match's right-hand side covers: 25, {set:[…]}, {range:[a,b]}, "@named_set". */
function portsOf(right: unknown, sets: Map<string, unknown[]>, family: string, table: string, depth = 0): number[] {
  if (depth > 4) return [];
  if (typeof right === 'number') return (SMTP_PORTS as readonly number[]).includes(right) ? [right] : [];
  if (typeof right === 'string') {
    if (right.startsWith('@')) {
      const elems = sets.get(key(family, table, right.slice(1))) ?? [];
      return elems.flatMap((e) => portsOf(e, sets, family, table, depth + 1));
    }
    const n = Number(right);
    return Number.isInteger(n) ? portsOf(n, sets, family, table, depth + 1) : [];
  }
  if (Array.isArray(right)) return right.flatMap((e) => portsOf(e, sets, family, table, depth + 1));
  if (isRecord(right)) {
    if (Array.isArray(right.set)) return right.set.flatMap((e) => portsOf(e, sets, family, table, depth + 1));
    if (Array.isArray(right.range) && typeof right.range[0] === 'number' && typeof right.range[1] === 'number') {
      const [lo, hi] = right.range as [number, number];
      return SMTP_PORTS.filter((p) => p >= lo && p <= hi);
    }
    if (isRecord(right.elem)) return portsOf(right.elem.val, sets, family, table, depth + 1);
  }
  return [];
}

function addressText(right: unknown): string[] {
  if (typeof right === 'string') return [right];
  if (isRecord(right) && isRecord(right.prefix)) return [`${String(right.prefix.addr)}/${String(right.prefix.len)}`];
  if (isRecord(right) && Array.isArray(right.set)) return right.set.flatMap(addressText);
  return [];
}

/** Inspects one rule: which SMTP ports it matches with a drop/reject verdict, or null. */
function blockOf(rule: Rule, sets: Map<string, unknown[]>): Omit<BlockRule, 'name' | 'text' | 'location' | 'source'> | null {
  let ports: number[] | null = null;
  let protoOk = true;
  const addresses: string[] = [];
  const interfaces: string[] = [];
  let action: 'drop' | 'reject' | null = null;
  for (const e of rule.expr.slice(0, 200)) {
    if (!isRecord(e)) continue;
    if ('drop' in e) action = 'drop';
    if ('reject' in e) action = 'reject';
    // iptables-nft rules show their REJECT target as an opaque xt expression.
    if (isRecord(e.xt) && e.xt.type === 'target' && e.xt.name === 'REJECT') action = 'reject';
    const m = e.match;
    if (!isRecord(m)) continue;
    const left = isRecord(m.left) ? m.left : null;
    const op = typeof m.op === 'string' ? m.op : '==';
    if (!left) continue;
    const payload = isRecord(left.payload) ? left.payload : null;
    const meta = isRecord(left.meta) ? left.meta : null;
    if (payload && payload.field === 'dport') {
      if (payload.protocol === 'udp' || op === '!=') return null;
      ports = portsOf(m.right, sets, rule.family, rule.table);
    } else if (payload && payload.field === 'daddr' && op !== '!=') {
      addresses.push(...addressText(m.right));
    } else if (meta && (meta.key === 'oifname' || meta.key === 'oif') && op === '==') {
      interfaces.push(...addressText(m.right));
    } else if (meta && meta.key === 'l4proto') {
      // "meta l4proto udp" with a transport-header dport match is not TCP mail traffic.
      if (m.right === 'udp' || m.right === 17) protoOk = false;
    }
  }
  if (!action || !ports || ports.length === 0 || !protoOk) return null;
  return { action, ports: [...new Set(ports)].sort((a, b) => a - b), addresses, interfaces };
}

/** Chains that output traffic passes: base chains on the output hook and what they jump/goto to. */
function outputChains(chains: Chain[], rules: Rule[]): Set<string> {
  const seen = new Set(chains.filter((c) => c.hook === 'output').map((c) => key(c.family, c.table, c.name)));
  let frontier = [...seen];
  for (let depth = 0; depth < 16 && frontier.length > 0; depth++) {
    const next: string[] = [];
    for (const r of rules) {
      if (!frontier.includes(key(r.family, r.table, r.chain))) continue;
      for (const e of r.expr) {
        const target = isRecord(e) ? ((isRecord(e.jump) && e.jump.target) || (isRecord(e.goto) && e.goto.target)) : null;
        const k = typeof target === 'string' ? key(r.family, r.table, target) : null;
        if (k && !seen.has(k)) {
          seen.add(k);
          next.push(k);
        }
      }
    }
    frontier = next;
  }
  return seen;
}

function ruleText(rule: Rule): string {
  return clip(JSON.stringify(rule.expr));
}

export function parseNftRuleset(text: string): Parsed<FirewallFacts> {
  const j = parseJson(text);
  if (!j.ok) return fail(`nft -j list ruleset: ${j.error}`);
  if (!isRecord(j.value) || !Array.isArray(j.value.nftables)) return fail('nft -j list ruleset: no "nftables" array');
  const chains: Chain[] = [];
  const rules: Rule[] = [];
  const sets = new Map<string, unknown[]>();
  for (const item of j.value.nftables.slice(0, 100_000)) {
    if (!isRecord(item)) continue;
    const c = item.chain as Json | undefined;
    if (isRecord(c)) {
      chains.push({
        family: String(c.family),
        table: String(c.table),
        name: String(c.name),
        hook: typeof c.hook === 'string' ? c.hook : null,
        policy: typeof c.policy === 'string' ? c.policy : null,
      });
    }
    const r = item.rule as Json | undefined;
    if (isRecord(r) && Array.isArray(r.expr)) {
      rules.push({
        family: String(r.family),
        table: String(r.table),
        chain: String(r.chain),
        handle: typeof r.handle === 'number' ? r.handle : null,
        comment: typeof r.comment === 'string' ? r.comment : null,
        expr: r.expr,
      });
    }
    const s = item.set as Json | undefined;
    if (isRecord(s) && Array.isArray(s.elem)) sets.set(key(s.family, s.table, s.name), s.elem);
  }
  const reach = outputChains(chains, rules);
  const blockRules: BlockRule[] = [];
  for (const r of rules) {
    if (!reach.has(key(r.family, r.table, r.chain))) continue;
    const b = blockOf(r, sets);
    if (!b) continue;
    blockRules.push({
      source: 'nftables',
      name: r.comment ?? `${r.family} ${r.table} ${r.chain} #${r.handle ?? '?'}`,
      ...b,
      location: { family: r.family, table: r.table, chain: r.chain, handle: r.handle },
      text: ruleText(r),
    });
  }
  const outBase = chains.filter((c) => c.hook === 'output');
  return ok({
    components: [
      {
        source: 'nftables',
        name: 'nftables',
        enabled: chains.length > 0,
        defaultOutbound: outBase.some((c) => c.policy === 'drop') ? 'block' : outBase.length > 0 ? 'allow' : null,
      },
    ],
    blockRules,
  });
}

/** The handle nft prints for a rule added with `--echo --handle` ("… # handle 7"), for undo. */
export function nftHandleFromEcho(text: string): number | null {
  const m = /#\s*handle\s+(\d+)/.exec(text);
  return m ? Number(m[1]) : null;
}
