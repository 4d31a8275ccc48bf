// Network benchmark: parser time on large (generated) rulesets, the shape big corporate firewalls have,
// and the wall time of the real Linux collector on this machine (its commands run concurrently).
// Run: npx tsx bench/network.ts
import { parseNftRuleset } from '../electron/network/linux/parse-nft.ts';
import { parseIptablesSave } from '../electron/network/linux/parse-iptables.ts';
import { parseOutboundBlockRules } from '../electron/network/windows/parse-firewall.ts';
import { collectNetwork } from '../electron/network/service.ts';
import { defaultContext } from '../electron/engine/defaults.ts';
import { timeIt as timeRuns } from './lib/timing.ts';

const RUNS = 5;

const timeIt = (fn: () => unknown) => timeRuns(fn, RUNS);

function nftRuleset(n: number): string {
  const items: unknown[] = [
    { table: { family: 'inet', name: 'corp', handle: 1 } },
    { chain: { family: 'inet', table: 'corp', name: 'output', handle: 1, type: 'filter', hook: 'output', prio: 0, policy: 'accept' } },
  ];
  for (let i = 0; i < n; i++) {
    const port = i % 100 === 0 ? 25 : 10_000 + i;
    items.push({
      rule: {
        family: 'inet', table: 'corp', chain: 'output', handle: i + 2,
        expr: [
          { match: { op: '==', left: { payload: { protocol: 'ip', field: 'daddr' } }, right: `10.${(i >> 8) & 255}.${i & 255}.1` } },
          { match: { op: '==', left: { payload: { protocol: 'tcp', field: 'dport' } }, right: port } },
          { drop: null },
        ],
      },
    });
  }
  return JSON.stringify({ nftables: items });
}

function iptablesSave(n: number): string {
  const rules = Array.from({ length: n }, (_, i) => `-A OUTPUT -d 10.${(i >> 8) & 255}.${i & 255}.1/32 -p tcp -m tcp --dport ${i % 100 === 0 ? 25 : 10_000 + i} -j DROP`);
  return ['*filter', ':INPUT ACCEPT [0:0]', ':FORWARD ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]', ...rules, 'COMMIT', ''].join('\n');
}

function windowsRules(n: number): string {
  return JSON.stringify(
    Array.from({ length: n }, (_, i) => ({ Name: `r${i}`, DisplayName: `Rule ${i}`, Profile: 'Any', Protocol: 'TCP', RemotePort: i % 100 === 0 ? ['25'] : [`${10_000 + i}`], RemoteAddress: ['Any'] })),
  );
}

const rows: Array<[string, string, string]> = [];
for (const n of [1_000, 10_000]) {
  const nft = nftRuleset(n);
  const ipt = iptablesSave(n);
  const win = windowsRules(n);
  rows.push([`nft -j ruleset, ${n} rules`, `${(nft.length / 1e6).toFixed(1)} MB`, `${(await timeIt(() => parseNftRuleset(nft))).toFixed(1)} ms`]);
  rows.push([`iptables-save, ${n} rules`, `${(ipt.length / 1e6).toFixed(1)} MB`, `${(await timeIt(() => parseIptablesSave(ipt))).toFixed(1)} ms`]);
  rows.push([`Windows block rules, ${n}`, `${(win.length / 1e6).toFixed(1)} MB`, `${(await timeIt(() => parseOutboundBlockRules(win))).toFixed(1)} ms`]);
}
if (process.platform === 'linux') {
  const ctx = defaultContext();
  const ms = await timeIt(() => collectNetwork(ctx, { smtpHost: '127.0.0.1' }));
  rows.push(['collectNetwork (this machine, all commands)', '-', `${ms.toFixed(1)} ms`]);
}

const w = [Math.max(...rows.map((r) => r[0].length)), 8, 10];
console.log(`${'case'.padEnd(w[0])}  ${'input'.padStart(w[1])}  ${'median'.padStart(w[2])}`);
for (const [a, b, c] of rows) console.log(`${a.padEnd(w[0])}  ${b.padStart(w[1])}  ${c.padStart(w[2])}`);
