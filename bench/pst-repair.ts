// `npx tsx bench/pst-repair.ts` (also run by `npm run bench`): MailMedic's PST repair as users run it — the built
// command `node out/cli/mailmedic.mjs pst repair SOURCE --out TARGET --json` (scan + copy into a new Unicode PST,
// fsynced; run `npm run build` first, a stale build is refused) — beside readpst's and pffexport's export of the same
// store, in the same run. Each run is its own process under /usr/bin/time (wall time, user + system CPU, peak RSS,
// minor page faults), after an untimed `sync` so that no tool pays for the dirty pages of the one before; within a
// round the tools take turns, so a change of load on the machine hits all of them alike; median of RUNS rounds.
// Default: the 171 MiB generated store of bench/pst.ts and a 1 GB store (~3 GB free in the temp dir); PST_SCALE=big
// adds a 4 GB store for the peak RSS (needs ~10 GB free and some minutes). Every generated file lives in one temp dir
// that is deleted at the end, also on failure.
//
// Durable beside durable: the repair must leave its output on disk (temp name, fsync, rename — a product
// requirement), while readpst and pffexport only write into the page cache, so their plain times leave out the disk.
// Each peer therefore also runs as "+ sync" (the export, then `sync -f` on its output's file system, timed as one
// process). Two dd rows write as many bytes as the repair's output, fdatasynced: with direct I/O (as the repair writes
// where it can: the disk's own rate, the floor no durable writer can beat) and through the page cache (as the peers
// write). Minor page faults are counted because fresh pages are slow on the development VM (~20 µs each, ~0.5 s per
// 100 MiB touched): there the page-cache dd is 7–12× slower than the direct one, and it swings from run to run.
// `sync -f` writes out the whole file system, so another writer on the machine can add its pages to a "+ sync" row.
//
// Measured 2026-12-03 (evening run, after the GC settings were kept with worker threads), 2-core dev VM,
// PST_SCALE=big, medians of 3 rounds at 171 MiB and 1 GB, 1 round at 4.4 GB (electron/pst/repair/README.md has the
// profile and what changed):
//   171 MiB  repair 1.79 s (96 MB/s, 2.64 CPU s, 109 MB); readpst 0.48 s, + sync 0.61 s; pffexport + sync 11.3 s;
//            dd direct 0.18 s, dd through the cache 1.05 s
//            -> 0.27x readpst, 0.34x readpst + sync, 6.28x pffexport + sync
//   1 GB     repair 4.22 s (258 MB/s, 5.70 CPU s, 119 MB); readpst 2.46 s, + sync 3.32 s; pffexport + sync 30.4 s;
//            dd direct 0.59 s, dd through the cache 5.36 s
//            -> 0.58x readpst, 0.79x readpst + sync, 7.21x pffexport + sync
//   4.4 GB   repair 14.3 s (307 MB/s, 17.5 CPU s, 163 MB); readpst 21.7 s, + sync 17.3 s; pffexport + sync 69.4 s
//            (267 MB); dd direct 2.88 s, dd through the cache 22.6 s
//            -> 1.52x readpst, 1.21x readpst + sync, 4.86x pffexport + sync
// The afternoon run before (worker threads still reset the GC settings): 0.27x / 0.58x / 2.14x readpst, peak RSS
// 119 / 153 / 192 MB.
// The disk is no longer what limits the repair (its direct write is 10–20 % of the repair's time): the CPU is.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { staleBuild } from '../electron/core/built.ts';
import { median } from './lib/timing.ts';

const here = fileURLToPath(import.meta.url);
const CLI = resolve(here, '../../test/support/pst-writer/cli.ts');
/** The product's command as users run it: the built bundle (`npm run build`). */
const MAILMEDIC = resolve(here, '../../out/cli/mailmedic.mjs');
const MB = 1024 * 1024;
/** dd's block size for the disk floor (bs=4M). */
const DD_BLOCK = 4 * MB;
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
  // Three rounds here too: one round at 1 GB swung by 2× from run to run on the development VM (fresh page-cache pages).
  { label: 'generated 1 GB', args: ['--folders', '20', '--messages', '3600', '--attachment-kb', '64-512', '--seed', '101'], runs: RUNS },
  ...(BIG ? [{ label: 'generated 4 GB', args: ['--folders', '20', '--messages', '14400', '--attachment-kb', '64-512', '--seed', '102'], runs: 1 }] : []),
];

interface Measure {
  ok: boolean;
  seconds: number;
  /** User + system CPU seconds (all threads). */
  cpu: number;
  rssMb: number;
  /** Minor page faults (fresh pages the kernel mapped in): ~20 µs each on the development VM, a real share of the time. */
  minorFaults: number;
  stdout: string;
  note: string;
}

/** /usr/bin/time's line, last on stderr: wall, user, system seconds, peak RSS KiB, minor page faults. */
const TIME_FORMAT = '@@%e %U %S %M %R';
const TIME_LINE = /@@([\d.]+) ([\d.]+) ([\d.]+) (\d+) (\d+)\s*$/;

/** Runs one command under /usr/bin/time; `okCodes`: exit codes that mean it did its work. */
function timed(cmd: string, args: string[], okCodes = [0]): Measure {
  const r = spawnSync('/usr/bin/time', ['-f', TIME_FORMAT, cmd, ...args], { encoding: 'utf8', timeout: TOOL_TIMEOUT_MS, maxBuffer: 256 * MB });
  const m = TIME_LINE.exec(r.stderr ?? '');
  const tail = (r.stderr ?? '').replace(TIME_LINE, '').trim().split('\n').pop() ?? '';
  const ok = r.status !== null && okCodes.includes(r.status);
  return {
    ok,
    seconds: m ? Number(m[1]) : NaN,
    cpu: m ? Number(m[2]) + Number(m[3]) : NaN,
    rssMb: m ? Number(m[4]) / 1024 : NaN,
    minorFaults: m ? Number(m[5]) : NaN,
    stdout: r.stdout ?? '',
    note: ok ? '' : `rc ${r.status} ${tail}`.slice(0, 60),
  };
}

/** Writes every dirty page to disk, untimed, before each timed tool: no tool pays on its clock for the writes the
 * tool before it left in the page cache. */
function flushDirtyPages(): void {
  spawnSync('sync');
}

/** One timed run into a fresh scratch dir under `dir` (after the untimed flush); the scratch dir is deleted after. */
function inScratch(dir: string, prefix: string, run: (out: string) => Measure): Measure {
  const out = mkdtempSync(join(dir, prefix));
  try {
    flushDirtyPages();
    return run(out);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** A peer's export of the store; the durable variants run `sync -f` on the output's file system in the same timed
 * process (sh -c), so the export and the writing of its pages to disk are one number. */
interface Peer {
  key: 'readpst' | 'readpst+sync' | 'pffexport' | 'pffexport+sync';
  label: string;
  /** The command that must be installed, and the package that has it. */
  command: string;
  pkg: string;
  /** One timed run of the store `file` into the empty dir `out`. */
  run: (file: string, out: string) => Measure;
}

/** `script` under sh -c with $1 = the output dir and $2 = the store. */
const timedShell = (script: string) => (file: string, out: string) => timed('sh', ['-c', script, 'sh', out, file]);

// Each plain export right before its durable variant, in the same round.
const PEERS: Peer[] = [
  { key: 'readpst', label: 'readpst -q (export to mbox)', command: 'readpst', pkg: 'pst-utils', run: timedShell('readpst -q -o "$1" "$2"') },
  { key: 'readpst+sync', label: 'readpst -q + sync (durable export)', command: 'readpst', pkg: 'pst-utils', run: timedShell('readpst -q -o "$1" "$2" && sync -f "$1"') },
  { key: 'pffexport', label: 'pffexport -q (export to files)', command: 'pffexport', pkg: 'pff-tools', run: timedShell('pffexport -q -t "$1/x" "$2"') },
  { key: 'pffexport+sync', label: 'pffexport -q + sync (durable export)', command: 'pffexport', pkg: 'pff-tools', run: timedShell('pffexport -q -t "$1/x" "$2" && sync -f "$1"') },
];
const FLOOR_LABEL = "dd … oflag=direct conv=fdatasync (durable write of the output's size: the disk's floor)";
const CACHED_FLOOR_LABEL = 'dd … conv=fdatasync (the same through the page cache)';

/** dd's block count for writing `bytes` in 4 MiB blocks. */
const floorBlocks = (bytes: number) => Math.ceil(bytes / DD_BLOCK);

/**
 * The disk's floor for the repair: as many bytes as its output, zeros in 4 MiB blocks, fdatasynced before dd exits
 * — no reading, no parsing, only the durable write. `direct`: with direct I/O, as the repair writes (the disk's own
 * rate); else through the page cache, as the peers write (on the development VM fresh page-cache pages make that
 * 2–10× slower, and it swings from run to run).
 */
function diskFloor(out: string, bytes: number, direct: boolean): Measure {
  return timed('dd', ['if=/dev/zero', `of=${join(out, 'floor.bin')}`, `bs=${DD_BLOCK / MB}M`, `count=${floorBlocks(bytes)}`, ...(direct ? ['oflag=direct'] : []), 'conv=fdatasync']);
}

/** Median seconds, CPU and minor faults, highest peak RSS, the last run's output. */
function summary(all: Measure[]): Measure {
  const ok = all.length > 0 && all.every((m) => m.ok);
  return {
    ok,
    seconds: median(all.map((m) => m.seconds)),
    cpu: median(all.map((m) => m.cpu)),
    rssMb: Math.max(...all.map((m) => m.rssMb)),
    minorFaults: median(all.map((m) => m.minorFaults)),
    stdout: all.at(-1)?.stdout ?? '',
    note: all.find((m) => !m.ok)?.note ?? '',
  };
}

function printTable(head: string[], rows: string[][]): void {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join(' | ');
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const r of rows) console.log(line(r));
}

interface RepairReport {
  pst?: { files?: { stats?: { durationMs?: number } }[]; repair?: { counts: { kept: number }; outputs: { bytes: number }[] } };
}

/** The repair's row note: items kept, the scan's share, the output's size. */
function repairNote(repair: Measure): string {
  if (!repair.ok) return repair.note;
  const report = JSON.parse(repair.stdout) as RepairReport;
  const r = report.pst?.repair;
  const scanMs = report.pst?.files?.[0]?.stats?.durationMs ?? NaN;
  return `${r?.counts.kept ?? '?'} kept; scan ${(scanMs / 1000).toFixed(2)} s of it; output ${((r?.outputs[0]?.bytes ?? 0) / MB).toFixed(0)} MB, fsynced`;
}

interface Rounds {
  repair: Measure[];
  /** Per peer, in the order given. */
  peers: Measure[][];
  floor: Measure[];
  cachedFloor: Measure[];
  /** The repair's output size, which the floor writes. */
  outBytes: number;
}

/** Rounds of one store: the repair, each installed peer, then the disk floor for the repair's output size; the
 * tools take turns within each round, so a change of load on the machine hits all of them alike. */
function rounds(dir: string, s: number, file: string, store: Store, peers: Peer[]): Rounds {
  const runs: Rounds = { repair: [], peers: peers.map(() => []), floor: [], cachedFloor: [], outBytes: 0 };
  for (let i = 0; i < store.runs; i++) {
    const out = join(dir, `repaired-${s}-${i}.pst`);
    flushDirtyPages();
    // Exit 1 means some items are partial or lost: the repair still ran to the end.
    runs.repair.push(timed(process.execPath, [MAILMEDIC, 'pst', 'repair', file, '--out', out, '--json'], [0, 1]));
    const outBytes = existsSync(out) ? statSync(out).size : 0;
    rmSync(out, { force: true });
    for (const [p, peer] of peers.entries()) runs.peers[p]!.push(inScratch(dir, `${peer.command}-${i}-`, (o) => peer.run(file, o)));
    if (outBytes > 0) {
      runs.outBytes = outBytes;
      runs.floor.push(inScratch(dir, `floor-${i}-`, (o) => diskFloor(o, outBytes, true)));
      runs.cachedFloor.push(inScratch(dir, `cached-floor-${i}-`, (o) => diskFloor(o, outBytes, false)));
    }
  }
  return runs;
}

/** "0.42x": how many times `other`'s seconds the repair's are, as a rate (> 1: the repair is faster). */
const rateVs = (repair: Measure, other: Measure | undefined) => (other?.ok && repair.ok ? `${(other.seconds / repair.seconds).toFixed(2)}x` : '-');

async function main(): Promise<void> {
  const stale = existsSync(MAILMEDIC) ? staleBuild() : 'out/cli/mailmedic.mjs is missing';
  if (stale) {
    console.error(`bench/pst-repair: the repair is timed through the built command, and ${stale}: run npm run build`);
    process.exit(2);
  }
  const has = (cmd: string) => spawnSync('sh', ['-c', 'command -v "$0"', cmd]).status === 0;
  const installed = PEERS.filter((p) => has(p.command));
  const missing = new Map(PEERS.filter((p) => !installed.includes(p)).map((p) => [p.command, p.pkg]));
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
      // MB/s is always the store's MB over the tool's seconds, also for the disk floor, so the rates compare.
      const mbs = (m: Measure) => (m.ok ? (bytes / MB / m.seconds).toFixed(1) : '-');
      const faults = (m: Measure) => (Number.isFinite(m.minorFaults) ? Math.round(m.minorFaults).toLocaleString('en-US') : '?');
      const add = (tool: string, m: Measure, note = m.note) =>
        rows.push([size, tool, m.ok ? m.seconds.toFixed(2) : '-', mbs(m), m.ok ? m.cpu.toFixed(2) : '-', Number.isFinite(m.rssMb) ? m.rssMb.toFixed(0) : '?', faults(m), note]);

      const runs = rounds(dir, s, file, store, installed);
      const repair = summary(runs.repair);
      add('mailmedic pst repair → new PST', repair, repairNote(repair));
      const peer = new Map(installed.map((p, i) => [p.key, summary(runs.peers[i]!)]));
      for (const p of installed) add(p.label, peer.get(p.key)!);
      for (const [cmd, pkg] of missing) rows.push([size, cmd, '-', '-', '-', '-', '-', `not installed (${pkg})`]);
      const floor = runs.floor.length > 0 ? summary(runs.floor) : undefined;
      const zeros = `bs=4M count=${floorBlocks(runs.outBytes)} (${(runs.outBytes / MB).toFixed(0)} MB of zeros), deleted after`;
      if (floor) add(FLOOR_LABEL, floor, floor.ok ? zeros : floor.note);
      const cachedFloor = runs.cachedFloor.length > 0 ? summary(runs.cachedFloor) : undefined;
      if (cachedFloor) add(CACHED_FLOOR_LABEL, cachedFloor, cachedFloor.ok ? zeros : cachedFloor.note);

      const vs = (key: Peer['key']) => rateVs(repair, peer.get(key));
      ratios.push(`${store.label}: repair rate is ${vs('readpst')} readpst's export rate (target ≥ 1) and ${vs('pffexport')} pffexport's; repair peak RSS ${repair.rssMb.toFixed(0)} MB (target < 250 MB at 4 GB)`);
      const share = floor?.ok && repair.ok ? `${floor.seconds.toFixed(2)} s, ${((100 * floor.seconds) / repair.seconds).toFixed(0)} % of the repair's time` : '-';
      ratios.push(`  durable beside durable: repair rate is ${vs('readpst+sync')} readpst + sync's and ${vs('pffexport+sync')} pffexport + sync's; the disk alone (dd, direct) writes the output durably in ${share}`);
      rmSync(file, { force: true });
    }
    console.log(
      `\nPST repair (the built \`mailmedic pst repair\` command, fsynced) beside the peers' exports of the same generated Unicode/permute stores, plain and durable (+ sync), and dd's durable write of the output's size (direct: the disk's floor; through the page cache); one process per run under /usr/bin/time after an untimed sync, the tools in turn each round, median of ${RUNS} rounds (1 for the 4 GB store); CPU = user + system seconds; minor faults = median minor page faults`,
    );
    printTable(['MB', 'tool', 'seconds', 'MB/s', 'CPU s', 'peak RSS MB', 'minor faults', 'note'], rows);
    for (const r of ratios) console.log(r);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
