import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanPstPaths } from '../../../electron/pst/service.ts';
import { testContext } from '../../support/pst/context.ts';
import { writePst } from '../../support/pst-writer/synth.ts';

// The gen-pst command as scripts use it: a real process, real files. Also the writer's two promises: output is a
// pure function of the options (seed included), and memory stays flat however big the store gets.

const ROOT = resolve(fileURLToPath(import.meta.url), '../../../..');
const CLI = join(ROOT, 'test/support/pst-writer/cli.ts');

function genPst(args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
}

const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');

describe('gen-pst', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pstw-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('npm run gen-pst writes a store and prints what it wrote', () => {
    const out = join(dir, 'npm.pst');
    const r = spawnSync('npm', ['run', '-s', 'gen-pst', '--', '--format', 'unicode', '--encoding', 'permute', '--folders', '3', '--messages', '9',
      '--attachment-kb', '1-8', '--seed', '5', '--out', out], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout.trim()) as { out: string; bytes: number; folders: number; messages: number };
    expect(report).toMatchObject({ out, folders: 3, messages: 9 });
    expect(statSync(out).size).toBe(report.bytes);
    expect(readFileSync(out).subarray(0, 4).toString('latin1')).toBe('!BDN');
  });

  it('is deterministic: same options and seed give the same bytes, another seed gives others', () => {
    const args = (seed: string, out: string) => ['--format', 'ansi', '--encoding', 'cyclic', '--folders', '4', '--messages', '30', '--attachment-kb', '2-40', '--seed', seed, '--out', out];
    const [a, b, c] = ['a.pst', 'b.pst', 'c.pst'].map((n) => join(dir, n));
    for (const [seed, out] of [['77', a], ['77', b], ['78', c]] as const) expect(genPst(args(seed, out!)).status).toBe(0);
    expect(sha(a!)).toBe(sha(b!));
    expect(sha(a!)).not.toBe(sha(c!));
  });

  it.each([
    [['--format', 'utf8'], /--format must be ansi, unicode or unicode4k/],
    [['--attachment-kb', 'lots'], /--attachment-kb must be MIN-MAX/],
  ])('refuses %j with exit code 2, the reason and the usage, and writes nothing', (bad, msg) => {
    const out = join(dir, 'refused.pst');
    const r = genPst([...bad, '--out', out]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(msg);
    expect(r.stderr).toMatch(/usage: gen-pst --format/);
    expect(existsSync(out)).toBe(false);
  });

  it('streams to disk: a 200 MB store is written with a peak RSS far below its size, and scans clean', async () => {
    const out = join(dir, 'big.pst');
    const probe = `import { writePst } from ${JSON.stringify(join(ROOT, 'test/support/pst-writer/synth.ts'))};
const s = writePst(${JSON.stringify(out)}, { format: 'unicode', encoding: 'permute', ost: false, folders: 8, messages: 700, attachmentKb: { min: 200, max: 400 }, seed: 3 });
console.log(JSON.stringify({ bytes: s.bytes, maxRssMb: process.resourceUsage().maxRSS / 1024 }));`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', probe], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
    expect(r.status, r.stderr).toBe(0);
    const m = JSON.parse(r.stdout.trim()) as { bytes: number; maxRssMb: number };
    expect(m.bytes).toBeGreaterThan(200 * 1024 * 1024);
    // Node + tsx alone take ~80–100 MB; a writer that buffered the store would need more than its 200+ MB.
    expect(m.maxRssMb).toBeLessThan(180);
    // Past 32 MB a store has FMap pages and many PMaps; the scanner checks every map page and AMap bit.
    const scan = (await scanPstPaths([out], {}, testContext())).section.files[0]!;
    expect(scan.problems).toEqual([]);
    expect(scan.status).toBe('ok');
    expect(scan.counts.messages).toBe(700);
  });
});

describe('writePst limits', () => {
  it('refuses to grow past maxFileBytes and leaves no partial file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pstw-limit-'));
    try {
      const out = join(dir, 'capped.pst');
      expect(() => writePst(out, { format: 'ansi', encoding: 'none', ost: false, folders: 1, messages: 20, attachmentKb: { min: 256, max: 256 }, attachmentsPerMessage: { min: 1, max: 1 }, seed: 1, maxFileBytes: 2 * 1024 * 1024 }))
        .toThrow(/would grow past 2097152 bytes/);
      expect(existsSync(out)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
