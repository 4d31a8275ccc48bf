import { spawnSync } from 'node:child_process';
import { appendFileSync, closeSync, copyFileSync, fstatSync, mkdirSync, openSync, readdirSync, readSync, rmSync, symlinkSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../../electron/core/errors.ts';
import { repairPst } from '../../../electron/pst/repair.ts';
import { scanFile } from '../../../electron/pst/scan-file.ts';
import { FIXTURES, sha256File, tempDir } from '../../support/pst/fixtures.ts';

// What a repair must never do: write anything for input that is not a store, replace a file without being told to,
// leave a partial output behind when the disk fills up or the run is cancelled, or touch the source.

const BASE = 'aspose-Test_part1.pst';
const ROOT = resolve(fileURLToPath(import.meta.url), '../../../..');
const CHILD = join(ROOT, 'test/support/pst/repair-child.ts');

let dir: string;
beforeAll(async () => {
  dir = await tempDir('mailmedic-repair-errors-');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fresh(name: string): { d: string; source: string } {
  const d = join(dir, name);
  mkdirSync(d);
  const source = join(d, BASE);
  copyFileSync(join(FIXTURES, BASE), source);
  return { d, source };
}

describe('input that is not a store', () => {
  it.each([
    ['garbage.pst', Buffer.from('this is not a PST file at all, just text\n'.repeat(300))],
    ['empty.pst', Buffer.alloc(0)],
    ['zip-named.pst', Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(4096, 7)])],
    ['header-only.pst', (() => { const b = Buffer.alloc(300); b.write('!BDN', 0, 'latin1'); return b; })()],
  ])('%s: UsageError, and no output file', async (name, bytes) => {
    const d = join(dir, `bad-${name}`);
    mkdirSync(d);
    writeFileSync(join(d, name), bytes);
    await expect(repairPst(join(d, name), { out: join(d, 'out.pst') })).rejects.toBeInstanceOf(UsageError);
    expect(readdirSync(d)).toEqual([name]);
  });

  it('a named pipe, a device, a folder or a symbolic-link loop: a clear UsageError at once, and no output file', async () => {
    const d = join(dir, 'not-files');
    mkdirSync(d);
    // Opening a FIFO for reading waits for a writer; the source must be refused instead of hanging the run.
    expect(spawnSync('mkfifo', [join(d, 'pipe.pst')]).status).toBe(0);
    symlinkSync(join(d, 'loop.pst'), join(d, 'loop.pst'));
    mkdirSync(join(d, 'folder.pst'));
    const out = join(d, 'out.pst');
    await expect(repairPst(join(d, 'pipe.pst'), { out })).rejects.toThrow(/pipe\.pst is not a regular file/);
    await expect(repairPst('/dev/zero', { out })).rejects.toThrow(/\/dev\/zero is not a regular file/);
    await expect(repairPst(join(d, 'folder.pst'), { out })).rejects.toThrow(/folder\.pst is not a regular file/);
    await expect(repairPst(join(d, 'loop.pst'), { out })).rejects.toThrow(/loop\.pst: a loop of symbolic links/);
    expect(readdirSync(d).sort()).toEqual(['folder.pst', 'loop.pst', 'pipe.pst']);
  });

  it('a missing source or a missing output folder: UsageError', async () => {
    await expect(repairPst(join(dir, 'nope.pst'), { out: join(dir, 'x.pst') })).rejects.toBeInstanceOf(UsageError);
    const { source } = fresh('no-folder');
    await expect(repairPst(source, { out: join(dir, 'no', 'such', 'folder', 'x.pst') })).rejects.toThrow(/does not exist/);
  });
});

describe('existing targets', () => {
  it('refuses an existing target without force and writes nothing; replaces it with force', async () => {
    const { d, source } = fresh('exists');
    const out = join(d, 'out.pst');
    writeFileSync(out, 'keep me');
    const before = await sha256File(out);
    await expect(repairPst(source, { out })).rejects.toThrow(/already exists/);
    expect(await sha256File(out)).toBe(before);
    expect(readdirSync(d).sort()).toEqual([BASE, 'out.pst']);
    const r = await repairPst(source, { out, force: true });
    expect(r.outputs[0]!.path).toBe(out);
    expect(await sha256File(out)).not.toBe(before);
    expect(readdirSync(d).sort()).toEqual([BASE, 'out.pst']);
  });

  it('refuses when any TARGET-N part exists for a split run', async () => {
    const { d, source } = fresh('exists-split');
    writeFileSync(join(d, 'out-2.pst'), 'keep me');
    await expect(repairPst(source, { out: join(d, 'out.pst'), splitGb: 0.001 })).rejects.toThrow(/out-2\.pst already exists/);
    expect(readdirSync(d).sort()).toEqual([BASE, 'out-2.pst']);
  });

  it('never writes over the source, even with force (also not as a part of a split run)', async () => {
    const { d, source } = fresh('same');
    const before = await sha256File(source);
    await expect(repairPst(source, { out: source, force: true })).rejects.toBeInstanceOf(UsageError);
    expect(await sha256File(source)).toBe(before);
    const part = join(d, 'mail-2.pst');
    copyFileSync(source, part);
    await expect(repairPst(part, { out: join(d, 'mail.pst'), splitGb: 0.001, force: true })).rejects.toThrow(/must not replace the store being repaired/);
    expect(await sha256File(part)).toBe(before);
    expect(readdirSync(d).sort()).toEqual([BASE, 'mail-2.pst']);
  });
});

describe('failures while writing', () => {
  it('a file-size limit (ulimit -f) stops the run with a clear error; no partial output; source untouched', async () => {
    const { d, source } = fresh('ulimit');
    const before = await sha256File(source);
    // 1 MB: the scan only reads; the 2.3 MB output hits the limit (Node ignores SIGXFSZ, so write() fails with EFBIG).
    const r = spawnSync('bash', ['-c', `ulimit -f 1024; exec "${process.execPath}" --import tsx "${CHILD}" "$0" "$1"`, source, join(d, 'out.pst')], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    const res = JSON.parse(r.stdout.trim().split('\n').pop()!) as { ok: boolean; name: string; message: string };
    expect(res.ok, r.stderr).toBe(false);
    expect(res.name).toBe('UsageError');
    expect(res.message).toMatch(/not enough room to write .*out\.pst: a file-size limit was reached .*Nothing was written, and .* is unchanged/);
    expect(readdirSync(d)).toEqual([BASE]);
    expect(await sha256File(source)).toBe(before);
  });

  const root = process.getuid?.() === 0;
  it.skipIf(!root)('a full disk (a 1 MB tmpfs) stops the run with a clear error; no partial output; source untouched', async () => {
    const { d, source } = fresh('tmpfs');
    const before = await sha256File(source);
    const small = join(d, 'small');
    mkdirSync(small);
    const m = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', small]);
    if (m.status !== 0) {
      console.warn(`tmpfs not mountable here (${m.stderr}): the ulimit test covers a failing write`);
      return;
    }
    try {
      await expect(repairPst(source, { out: join(small, 'out.pst') })).rejects.toThrow(/not enough room to write .*: the disk is full/);
      expect(readdirSync(small)).toEqual([]);
      expect(await sha256File(source)).toBe(before);
    } finally {
      spawnSync('umount', [small]);
    }
  });

  it.each(['scan', 'repair'])('cancel during the %s: AbortError, no partial output', async (phase) => {
    const { d, source } = fresh(`cancel-${phase}`);
    const ac = new AbortController();
    const run = repairPst(source, {
      out: join(d, 'out.pst'),
      signal: ac.signal,
      onProgress: (p) => {
        if ((phase === 'repair') === (p.phase === 'repair')) ac.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(readdirSync(d)).toEqual([BASE]);
  });
});

// A store that a program which has it open (Outlook) writes while MailMedic reads it: what was read before and after
// the write need not agree. Here the test itself plays that program, on its own copy, at a fixed point of the run.
describe('a source written by another program during the run', () => {
  it.each([
    ['grows', (f: string) => appendFileSync(f, Buffer.alloc(8192))],
    ['is rewritten in place', (f: string) => rewriteInPlace(f)],
  ])('repair, when the source %s: a clear UsageError, no output, nothing left behind', async (_how, write) => {
    const { d, source } = fresh(`written-${_how.replace(/\W+/g, '-')}`);
    let wrote = false;
    const run = repairPst(source, {
      out: join(d, 'out.pst'),
      onProgress: (p) => {
        if (p.phase === 'repair' && !wrote) {
          wrote = true;
          write(source);
        }
      },
    });
    await expect(run).rejects.toThrow(/changed while it was being repaired \((its size went from \d+ to \d+ bytes|it was modified at [^)]+)\): a program that has it open, such as Outlook, is writing it\. Close that program and run the repair again\. Nothing was written\./);
    await expect(run).rejects.toBeInstanceOf(UsageError);
    expect(wrote).toBe(true);
    expect(readdirSync(d)).toEqual([BASE]);
  });

  it('scan: the report says the file changed while it was scanned', async () => {
    const { source } = fresh('written-scan');
    let wrote = false;
    const r = await scanFile(source, {
      onProgress: (p) => {
        if (p.phase === 'items' && !wrote) {
          wrote = true;
          rewriteInPlace(source);
        }
      },
    });
    expect(wrote).toBe(true);
    const p = r.result.problems.find((q) => q.structure === 'file');
    expect(p?.severity).toBe('warning');
    expect(p?.detail).toMatch(/^the file changed while it was scanned \(it was modified at .+\): a program that has it open, such as Outlook, is writing it, so problems reported here may not be real; close that program and scan again$/);
    // Unchanged, the same store has no such warning.
    const again = await scanFile(source);
    expect(again.result.problems.some((q) => q.structure === 'file')).toBe(false);
  });
});

/** Writes the file's last 8 bytes back unchanged, as a program updating a store in place would, and moves its clock on. */
function rewriteInPlace(file: string): void {
  const fd = openSync(file, 'r+');
  try {
    const end = fstatSync(fd).size - 8;
    const bytes = Buffer.alloc(8);
    readSync(fd, bytes, 0, 8, end);
    writeSync(fd, bytes, 0, 8, end);
  } finally {
    closeSync(fd);
  }
  // A file system with coarse timestamps may leave the time as it was: set it later, as the writer's next second would.
  const t = new Date(Date.now() + 2000);
  utimesSync(file, t, t);
}
