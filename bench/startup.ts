// Start-up of the `mailmedic` command: the built bundle (`npm run build`) against bare Node and against the previous
// start, which compiled the TypeScript sources through tsx on every run. Each row is a fresh process; rows take turns
// run by run so that machine noise falls on all of them alike. Run: npx tsx bench/startup.ts (needs `npm run build`).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './lib/timing.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = 21;
const WARMUP = 2;
const RSS_RUNS = 5;
const EXPLAIN = '421 4.7.0 try again later';

if (!existsSync(path.join(root, 'out/cli/mailmedic.mjs'))) {
  console.error('bench/startup: the bundle is not built: run npm run build');
  process.exit(2);
}

interface Row {
  what: string;
  args: string[];
  /** Start-up target as a multiple of `node -e 0`. */
  target?: number;
}
const rows: Row[] = [
  { what: 'node -e 0', args: ['-e', '0'] },
  { what: 'mailmedic --version (bundle)', args: ['bin/mailmedic.mjs', '--version'], target: 3 },
  { what: 'mailmedic --help (bundle)', args: ['bin/mailmedic.mjs', '--help'] },
  { what: `mailmedic explain "${EXPLAIN}" (bundle)`, args: ['bin/mailmedic.mjs', 'explain', EXPLAIN], target: 4 },
  { what: 'previous start: node --import tsx electron/cli/entry.ts --version', args: ['--import', 'tsx', 'electron/cli/entry.ts', '--version'] },
];

function run(args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
  const ms = performance.now() - t0;
  // explain exits 1: the text is a warning finding. Anything else is a broken run, not a timing.
  if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
  return ms;
}

/** Peak RSS in MB of one run: GNU time where installed, else the child reports its own maxRSS at exit. */
const hasTime = spawnSync('/usr/bin/time', ['-f', '%M', 'true'], { encoding: 'utf8' }).status === 0;
const REPORT_RSS = 'data:text/javascript,' + encodeURIComponent("process.on('exit', () => process.stderr.write(`\\nRSS-KB ${process.resourceUsage().maxRSS}\\n`));");
function peakRss(args: string[]): number {
  const r = hasTime
    ? spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, ...args], { cwd: root, encoding: 'utf8' })
    : spawnSync(process.execPath, ['--import', REPORT_RSS, ...args], { cwd: root, encoding: 'utf8' });
  const last = r.stderr.trim().split('\n').pop() ?? '';
  return Number(last.replace('RSS-KB ', '')) / 1024;
}

for (let i = 0; i < WARMUP; i++) for (const r of rows) run(r.args);
const times = rows.map(() => [] as number[]);
for (let i = 0; i < RUNS; i++) rows.forEach((r, j) => times[j]!.push(run(r.args)));
const ms = times.map(median);
const rss = rows.map((r) => median(Array.from({ length: RSS_RUNS }, () => peakRss(r.args))));
const base = ms[0]!;

console.log(`start-up, median of ${RUNS} fresh processes each (after ${WARMUP} warm-up rounds), ${process.version}; peak RSS median of ${RSS_RUNS} (${hasTime ? '/usr/bin/time' : 'maxRSS'})`);
const table = rows.map((r, i) => [r.what, ms[i]!.toFixed(0), `${(ms[i]! / base).toFixed(2)}×`, rss[i]!.toFixed(0), r.target ? `≤ ${r.target}×` : '']);
const head = ['what', 'ms', 'vs node -e 0', 'peak RSS MB', 'target'];
const widths = head.map((h, i) => Math.max(h.length, ...table.map((t) => t[i]!.length)));
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ');
console.log(line(head));
console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
for (const t of table) console.log(line(t));
const version = rows.findIndex((r) => r.args.includes('--version') && r.args[0] === 'bin/mailmedic.mjs');
const explain = rows.findIndex((r) => r.args.includes('explain'));
const tsx = rows.length - 1;
console.log(`--version: ${(ms[version]! / base).toFixed(2)}× node -e 0 (target ≤ 3×); explain: ${(ms[explain]! / base).toFixed(2)}× (target ≤ 4×)`);
console.log(`--version peak RSS: ${rss[version]!.toFixed(0)} MB (target < 60 MB); the tsx start: ${(ms[tsx]! / ms[version]!).toFixed(1)}× slower, ${rss[tsx]!.toFixed(0)} MB`);
