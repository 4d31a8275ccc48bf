// `npx tsx bench/pst-repair.ts` (also run by `npm run bench`): MailMedic's PST repair (scan + copy into a new
// Unicode PST, fsynced) beside readpst's and pffexport's export of the same store, in the same run, each in its own
// process under /usr/bin/time (wall time and peak RSS), median of RUNS. Default: the 171 MiB generated store of
// bench/pst.ts. PST_SCALE=big adds a 1 GB and a 4 GB store (needs ~10 GB free in the temp dir and some minutes).
// Every generated file lives in one temp dir that is deleted at the end, also on failure.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repairPst } from '../electron/pst/repair.ts';
import { median } from './lib/timing.ts';

const here = fileURLToPath(import.meta.url);
const CLI = resolve(here, '../../test/support/pst-writer/cli.ts');
const MB = 1024 * 1024;
const BIG = process.env.PST_SCALE === 'big';
const RUNS = 3;
const TOOL_TIMEOUT_MS = 60 * 60_000;

interface Store {
  label: string;
  /** gen-pst arguments. */
  args: string[];
  runs: number;
}

const STORES: Store[] = [
  // The store bench/pst.ts scans (171 MiB): 12 folders, 1,500 messages, 20–180 KiB attachments.
  { label: 'generated 171 MiB', args: ['--folders', '12', '--messages', '1500', '--attachment-kb', '20-180', '--seed', '7'], runs: RUNS },
  ...(BIG
    ? [
        { label: 'generated 1 GB', args: ['--folders', '20', '--messages', '3600', '--attachment-kb', '64-512', '--seed', '101'], runs: 1 },
        { label: 'generated 4 GB', args: ['--folders', '20', '--messages', '14400', '--attachment-kb', '64-512', '--seed', '102'], runs: 1 },
      ]
    : []),
];

interface Measure {
  ok: boolean;
  seconds: number;
  rssMb: number;
  stdout: string;
  note: string;
}

function timed(cmd: string, args: string[]): Measure {
  const r = spawnSync('/usr/bin/time', ['-f', '@@%e %M', cmd, ...args], { encoding: 'utf8', timeout: TOOL_TIMEOUT_MS, maxBuffer: 64 * MB });
  const m = /@@([\d.]+) (\d+)\s*$/.exec(r.stderr ?? '');
  const tail = (r.stderr ?? '').replace(/@@[\d.]+ \d+\s*$/, '').trim().split('\n').pop() ?? '';
  return { ok: r.status === 0, seconds: m ? Number(m[1]) : NaN, rssMb: m ? Number(m[2]) / 1024 : NaN, stdout: r.stdout ?? '', note: r.status === 0 ? '' : `rc ${r.status} ${tail}`.slice(0, 60) };
}

/** Runs `make` `runs` times (fresh output each time): median seconds, highest peak RSS, the last run's output. */
function repeat(runs: number, make: (i: number) => Measure): Measure {
  const all = Array.from({ length: runs }, (_, i) => make(i));
  const ok = all.every((m) => m.ok);
  return { ok, seconds: median(all.map((m) => m.seconds)), rssMb: Math.max(...all.map((m) => m.rssMb)), stdout: all.at(-1)!.stdout, note: all.find((m) => !m.ok)?.note ?? '' };
}

async function repairChild(source: string, out: string): Promise<void> {
  const t0 = performance.now();
  let copyStart = 0;
  const r = await repairPst(source, { out, onProgress: (p) => { if (p.phase === 'repair' && copyStart === 0) copyStart = performance.now(); } });
  const t1 = performance.now();
  console.log(JSON.stringify({ counts: r.counts, bytes: r.outputs[0]!.bytes, scanMs: (copyStart || t1) - t0, copyMs: t1 - (copyStart || t1) }));
}

function printTable(head: string[], rows: string[][]): void {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join(' | ');
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const r of rows) console.log(line(r));
}

async function main(): Promise<void> {
  if (process.argv[2] === '--repair') return repairChild(process.argv[3]!, process.argv[4]!);
  const has = (cmd: string) => spawnSync('sh', ['-c', 'command -v "$0"', cmd]).status === 0;
  const dir = mkdtempSync(join(tmpdir(), 'pst-repair-bench-'));
  try {
    const rows: string[][] = [];
    const ratios: string[] = [];
    for (const [s, store] of STORES.entries()) {
      const file = join(dir, `store-${s}.pst`);
      const gen = timed(process.execPath, ['--import', 'tsx', CLI, '--format', 'unicode', '--encoding', 'permute', ...store.args, '--out', file]);
      if (!gen.ok) throw new Error(`generating the ${store.label} store failed: ${gen.note}`);
      const bytes = statSync(file).size;
      const size = (bytes / MB).toFixed(0);
      const mbs = (m: Measure) => (m.ok ? (bytes / MB / m.seconds).toFixed(1) : '-');
      const add = (tool: string, m: Measure, note = m.note) => rows.push([size, tool, m.ok ? m.seconds.toFixed(2) : '-', mbs(m), Number.isFinite(m.rssMb) ? m.rssMb.toFixed(0) : '?', note]);

      const repair = repeat(store.runs, (i) => {
        const out = join(dir, `repaired-${s}-${i}.pst`);
        const m = timed(process.execPath, ['--import', 'tsx', here, '--repair', file, out]);
        rmSync(out, { force: true });
        return m;
      });
      let note = repair.note;
      if (repair.ok) {
        const o = JSON.parse(repair.stdout.trim().split('\n').pop()!) as { counts: { kept: number }; bytes: number; scanMs: number; copyMs: number };
        note = `${o.counts.kept} kept; scan ${(o.scanMs / 1000).toFixed(2)} s + copy ${(o.copyMs / 1000).toFixed(2)} s; output ${(o.bytes / MB).toFixed(0)} MB, fsynced`;
      }
      add('MailMedic repair → new PST', repair, note);
      let rp: Measure | null = null;
      if (has('readpst')) {
        rp = repeat(store.runs, (i) => {
          const out = mkdtempSync(join(dir, `readpst-${i}-`));
          const m = timed('readpst', ['-q', '-o', out, file]);
          rmSync(out, { recursive: true, force: true });
          return m;
        });
        add('readpst -q (export to mbox)', rp);
      } else rows.push([size, 'readpst', '-', '-', '-', 'not installed (pst-utils)']);
      let pf: Measure | null = null;
      if (has('pffexport')) {
        pf = repeat(store.runs, (i) => {
          const out = mkdtempSync(join(dir, `pffexport-${i}-`));
          const m = timed('pffexport', ['-q', '-t', join(out, 'x'), file]);
          rmSync(out, { recursive: true, force: true });
          return m;
        });
        add('pffexport -q (export to files)', pf);
      } else rows.push([size, 'pffexport', '-', '-', '-', 'not installed (pff-tools)']);
      const vs = (other: Measure | null) => (other?.ok && repair.ok ? `${(other.seconds / repair.seconds).toFixed(2)}x` : '-');
      ratios.push(`${store.label}: repair rate is ${vs(rp)} readpst's export rate (target ≥ 1) and ${vs(pf)} pffexport's; repair peak RSS ${repair.rssMb.toFixed(0)} MB (target < 250 MB at 4 GB)`);
      rmSync(file, { force: true });
    }
    console.log(`\nPST repair beside the peers' exports of the same generated Unicode/permute stores; one process per run under /usr/bin/time, median of ${RUNS} runs (1 for the big stores); peak RSS includes ~80 MB of Node + tsx baseline`);
    printTable(['MB', 'tool', 'seconds', 'MB/s', 'peak RSS MB', 'note'], rows);
    for (const r of ratios) console.log(r);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
