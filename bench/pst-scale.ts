// `npx tsx bench/pst-scale.ts` (also run by `npm run bench`): MailMedic's PST scan on generated stores of growing
// size against readpst, pffexport and a raw read + CRC pass over the same bytes (the I/O + checksum floor), each in
// its own process under /usr/bin/time for wall time and peak RSS; then a batch of stores scanned with 1 vs 2 workers.
// Default sizes: 25 and 100 MB. PST_SCALE=big adds 1 GB and 4 GB (needs ~5 GB free in the temp dir and a few
// minutes). Every generated file lives in one temp dir that is deleted at the end, also on failure.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pstCrc } from '../electron/pst/crc.ts';
import { scanFile } from '../electron/pst/scan-file.ts';
import { scanAll, stopWorkers } from '../electron/pst/pool.ts';

const here = fileURLToPath(import.meta.url);
const CLI = resolve(here, '../../test/support/pst-writer/cli.ts');
const MB = 1024 * 1024;
const BIG = process.env.PST_SCALE === 'big';
const SIZES_MB = BIG ? [25, 100, 1024, 4096] : [25, 100];
/** Batch: 8 stores of this size (the bench forces workers so 1 vs 2 is compared at any size). */
const BATCH_MB = BIG ? 128 : 25;
const ATTACH_KB = { min: 64, max: 512 };
/** Average bytes a generated message takes with ATTACH_KB attachments (1 per message on average) plus overhead. */
const BYTES_PER_MESSAGE = ((ATTACH_KB.min + ATTACH_KB.max) / 2) * 1024 + 14_000;
const TOOL_TIMEOUT_MS = 60 * 60_000;

interface Measure {
  ok: boolean;
  seconds: number;
  rssMb: number;
  note: string;
}

/** Runs a command under /usr/bin/time; wall time and peak RSS come from time(1), not from our process. */
function timed(cmd: string, args: string[]): Measure & { stdout: string } {
  const r = spawnSync('/usr/bin/time', ['-f', '@@%e %M', cmd, ...args], { encoding: 'utf8', timeout: TOOL_TIMEOUT_MS, maxBuffer: 64 * MB });
  const m = /@@([\d.]+) (\d+)\s*$/.exec(r.stderr ?? '');
  const tail = (r.stderr ?? '').replace(/@@[\d.]+ \d+\s*$/, '').trim().split('\n').pop() ?? '';
  return { ok: r.status === 0, seconds: m ? Number(m[1]) : NaN, rssMb: m ? Number(m[2]) / 1024 : NaN, note: r.status === 0 ? '' : `rc ${r.status} ${tail}`.slice(0, 60), stdout: r.stdout ?? '' };
}

const node = (...args: string[]) => [process.execPath, '--import', 'tsx', ...args];

async function rawCrcChild(file: string): Promise<void> {
  const fh = await open(file, 'r');
  const buf = Buffer.allocUnsafe(MB);
  let crc = 0;
  for (let pos = 0; ; ) {
    const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
    if (bytesRead === 0) break;
    for (let o = 0; o < bytesRead; o += 8192) crc ^= pstCrc(buf.subarray(o, Math.min(o + 8192, bytesRead)));
    pos += bytesRead;
  }
  await fh.close();
  console.log(JSON.stringify({ crc }));
}

async function scanChild(file: string): Promise<void> {
  const t0 = performance.now();
  const { result } = await scanFile(file);
  console.log(JSON.stringify({ status: result.status, counts: result.counts, problems: result.problems.length, ms: performance.now() - t0 }));
}

function row(cells: string[], widths: number[]): string {
  return cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ');
}

function printTable(head: string[], rows: string[][]): void {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  console.log(row(head, widths));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const r of rows) console.log(row(r, widths));
}

function generate(dir: string, name: string, sizeMb: number, seed: number): { file: string; gen: Measure; messages: number } {
  const messages = Math.max(10, Math.round((sizeMb * MB) / BYTES_PER_MESSAGE));
  const file = join(dir, name);
  const gen = timed(process.execPath, ['--import', 'tsx', CLI, '--format', 'unicode', '--encoding', 'permute', '--folders', '20', '--messages', String(messages),
    '--attachment-kb', `${ATTACH_KB.min}-${ATTACH_KB.max}`, '--seed', String(seed), '--out', file]);
  if (!gen.ok) throw new Error(`generating ${name} failed: ${gen.note}`);
  return { file, gen, messages };
}

async function main(): Promise<void> {
  if (process.argv[2] === '--raw-crc') return rawCrcChild(process.argv[3]!);
  if (process.argv[2] === '--scan') return scanChild(process.argv[3]!);
  const has = (cmd: string) => spawnSync('sh', ['-c', 'command -v "$0"', cmd]).status === 0;
  const dir = mkdtempSync(join(tmpdir(), 'pst-scale-'));
  try {
    const rows: string[][] = [];
    const ratios: string[] = [];
    for (const [i, sizeMb] of SIZES_MB.entries()) {
      const { file, gen, messages } = generate(dir, `scale-${sizeMb}.pst`, sizeMb, 100 + i);
      const bytes = statSync(file).size;
      const mbs = (m: Measure) => (m.ok ? (bytes / MB / m.seconds).toFixed(1) : '-');
      const add = (tool: string, m: Measure, note = m.note) => rows.push([(bytes / MB).toFixed(0), tool, m.ok ? m.seconds.toFixed(2) : '-', mbs(m), Number.isFinite(m.rssMb) ? m.rssMb.toFixed(0) : '?', note]);
      add('gen-pst (writer)', gen, `${messages} msgs`);
      const raw = timed(node(here, '--raw-crc', file)[0]!, node(here, '--raw-crc', file).slice(1));
      add('raw read + CRC', raw);
      const scan = timed(node(here, '--scan', file)[0]!, node(here, '--scan', file).slice(1));
      let scanNote = scan.note;
      let scanMs = NaN;
      if (scan.ok) {
        const out = JSON.parse(scan.stdout.trim().split('\n').pop()!) as { status: string; counts: { messages: number }; problems: number; ms: number };
        scanMs = out.ms;
        scanNote = `${out.status}, ${out.counts.messages} msgs, ${out.problems} problems; scan alone ${(bytes / MB / (out.ms / 1000)).toFixed(1)} MB/s`;
      }
      add('MailMedic scan', scan, scanNote);
      let rp: Measure | null = null;
      let pf: Measure | null = null;
      if (has('readpst')) {
        const out = mkdtempSync(join(dir, 'readpst-'));
        rp = timed('readpst', ['-q', '-o', out, file]);
        rmSync(out, { recursive: true, force: true });
        add('readpst -q', rp);
      } else rows.push([(bytes / MB).toFixed(0), 'readpst', '-', '-', '-', 'not installed (pst-utils)']);
      if (has('pffexport')) {
        const out = mkdtempSync(join(dir, 'pffexport-'));
        pf = timed('pffexport', ['-q', '-t', join(out, 'x'), file]);
        rmSync(out, { recursive: true, force: true });
        add('pffexport -q', pf);
      } else rows.push([(bytes / MB).toFixed(0), 'pffexport', '-', '-', '-', 'not installed (pff-tools)']);
      const ratio = (a: Measure | null, b: Measure) => (a?.ok && b.ok ? (a.seconds / b.seconds).toFixed(2) + 'x' : '-');
      ratios.push(`${(bytes / MB).toFixed(0)} MB: MailMedic scan is ${ratio(scan, raw)} the raw read + CRC time, readpst takes ${ratio(rp, scan)} and pffexport ${ratio(pf, scan)} MailMedic's time (scan alone ${Number.isFinite(scanMs) ? (scanMs / 1000).toFixed(2) : '-'} s)`);
      rmSync(file, { force: true });
    }
    console.log(`\nGenerated Unicode/permute stores (20 folders, ${ATTACH_KB.min}-${ATTACH_KB.max} KiB attachments); one process per tool under /usr/bin/time; peak RSS includes ~80 MB of Node + tsx baseline for the JS rows`);
    printTable(['MB', 'tool', 'seconds', 'MB/s', 'peak RSS MB', 'note'], rows);
    for (const r of ratios) console.log(r);

    // Batch: many medium stores scanned in one call with 1 and 2 worker threads.
    const batch: string[] = [];
    for (let i = 0; i < 8; i++) batch.push(generate(dir, `batch-${i}.pst`, BATCH_MB, 200 + i).file);
    const total = batch.reduce((a, f) => a + statSync(f).size, 0);
    const brows: string[][] = [];
    // 1 job in-process; 2 workers on fresh threads (start-up and unoptimised first stores included); the same 2
    // workers reused by a second batch (the pool keeps them). The default mode column says what the scanner itself
    // would choose for this batch with its measured thresholds.
    const runs: [string, number][] = [['1 (in-process)', 1], ['2 (new workers)', 2], ['2 (reused workers)', 2]];
    for (const [label, jobs] of runs) {
      let mode = '';
      const t0 = performance.now();
      const files = await scanAll(batch, { jobs, deep: false, minWorkerBytes: 0, onMode: (m, why) => (mode = why ? `${m} (${why})` : m) });
      const s = (performance.now() - t0) / 1000;
      const ok = files.filter((f) => f.status === 'ok').length;
      brows.push([label, `${ok}/${batch.length}`, s.toFixed(2), (total / MB / s).toFixed(1), mode]);
    }
    await stopWorkers();
    let chosen = '';
    await scanAll(batch, { jobs: 2, deep: false, onMode: (m, why) => (chosen = why ? `${m} (${why})` : m) });
    await stopWorkers();
    console.log(`\nBatch of ${batch.length} stores, ${(total / MB).toFixed(0)} MB in total, scanned by the scanner's pool (pool.ts) from this process; wall time includes worker start-up`);
    printTable(['jobs', 'ok', 'seconds', 'MB/s', 'mode'], brows);
    const [one, cold, warm] = brows.map((r) => Number(r[2]));
    console.log(`2 workers vs 1: speed-up ${(one! / cold!).toFixed(2)}x on new workers, ${(one! / warm!).toFixed(2)}x on reused ones (below 1 = slower); --jobs 2 with default thresholds: ${chosen}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
