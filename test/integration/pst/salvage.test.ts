import { appendFileSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { salvagePst } from '../../../electron/pst/service.ts';
import { salvageStore, type SalvageReport } from '../../../electron/pst/salvage.ts';
import type { Progress } from '../../../electron/core/progress.ts';
import { testContext } from '../../support/pst/context.ts';
import { FIXTURES, sha256, tempDir } from '../../support/pst/fixtures.ts';
import { mapStore } from '../../support/pst/layout-map.ts';
import { reencode } from '../../support/pst/corrupt.ts';
import { peerWalk } from '../../support/pst/peer.ts';

// Salvaged EML/mbox parse back with mailparser; subjects and attachment bytes match an independent reader
// (pst-extractor) on intact stores, and damaged attachments are left out and listed, never written corrupted.

async function emlFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile() && e.name.endsWith('.eml')) out.push(join(e.parentPath, e.name));
  }
  return out.sort();
}

/** Header folding may collapse runs of spaces; compare subjects with whitespace normalised. */
const norm = (s: string) => s.replace(/\s+/g, ' ').trim();

async function parsed(dir: string) {
  const subjects: string[] = [];
  const hashes: string[] = [];
  for (const f of await emlFiles(dir)) {
    const m = await simpleParser(await readFile(f));
    subjects.push(norm(m.subject ?? ''));
    for (const a of m.attachments) if (!a.contentType.startsWith('message/')) hashes.push(sha256(a.content));
  }
  return { subjects: subjects.sort(), hashes: hashes.sort() };
}

async function report(dir: string): Promise<SalvageReport> {
  return JSON.parse(await readFile(join(dir, 'salvage-report.json'), 'utf8')) as SalvageReport;
}

describe('salvage of intact stores matches an independent reader', () => {
  for (const name of ['aspose-Test_part1.pst', 'aspose-Outlook.pst', 'aspose-passwordprotectedPST.pst', 'pstsdk-sample1.pst', 'rubymsg-attachAndInline.pst', 'rubymsg-msgInMsg.pst']) {
    it(name, async () => {
      const src = join(FIXTURES, name);
      const before = sha256(await readFile(src));
      const out = await tempDir();
      const { findings } = await salvagePst(src, out, 'eml', testContext());
      expect(sha256(await readFile(src))).toBe(before);
      const peer = peerWalk(src);
      const got = await parsed(out);
      expect(got.subjects).toEqual(peer.map((m) => norm(m.subject)).sort());
      expect(got.hashes).toEqual(peer.flatMap((m) => m.attachmentHashes).sort());
      const r = await report(out);
      expect(r.written).toBe(peer.length);
      expect(r.failed).toEqual([]);
      expect(findings[0]?.id).toBe('pst.salvage');
    });
  }

  it('keeps the folder tree as directories', async () => {
    const out = await tempDir();
    await salvagePst(join(FIXTURES, 'aspose-Test_part1.pst'), out, 'eml', testContext());
    const dirs = new Set((await emlFiles(out)).map((f) => relative(out, f).split('/').slice(0, -1).join('/')));
    expect(dirs).toEqual(new Set(['Top of Personal Folders/Sent Items', 'Top of Personal Folders/Calendar', 'Top of Personal Folders/Contacts']));
  });

  it('salvages an ANSI store (which pst-extractor cannot open)', async () => {
    const out = await tempDir();
    await salvagePst(join(FIXTURES, 'pstsdk-sample2.pst'), out, 'eml', testContext());
    const files = await emlFiles(out);
    expect(files).toHaveLength(1);
    const m = await simpleParser(await readFile(files[0]!));
    expect(m.subject?.length).toBeGreaterThan(0);
    expect(m.attachments).toHaveLength(1);
    expect(m.attachments[0]!.size).toBeGreaterThan(1000);
  });

  it('writes one mbox per folder that parses back to every message', async () => {
    const out = await tempDir();
    await salvagePst(join(FIXTURES, 'aspose-Test_part1.pst'), out, 'mbox', testContext());
    const mboxes = (await readdir(out, { recursive: true })).filter((f) => f.endsWith('.mbox'));
    let n = 0;
    const subjects: string[] = [];
    for (const f of mboxes) {
      const text = await readFile(join(out, f), 'latin1');
      const parts = text.split(/^From MAILMEDIC-SALVAGE .*\n/m).filter((p) => p.trim());
      for (const p of parts) {
        const m = await simpleParser(Buffer.from(p.replace(/^>(>*From )/gm, '$1'), 'latin1'));
        subjects.push(norm(m.subject ?? ''));
        n++;
      }
    }
    expect(n).toBe(61);
    expect(subjects.sort()).toEqual(peerWalk(join(FIXTURES, 'aspose-Test_part1.pst')).map((m) => norm(m.subject)).sort());
  });
});

describe('salvage of other encodings', () => {
  for (const method of ['none', 'cyclic'] as const) {
    it(`a store re-encoded as ${method} salvages to the same subjects and attachment bytes`, async () => {
      const name = 'aspose-Test_part1.pst';
      const dir = await tempDir();
      const src = join(dir, name);
      await writeFile(src, reencode(await readFile(join(FIXTURES, name)), method));
      const out = join(dir, 'out');
      await salvagePst(src, out, 'eml', testContext());
      const peer = peerWalk(join(FIXTURES, name));
      const got = await parsed(out);
      expect(got.subjects).toEqual(peer.map((m) => norm(m.subject)).sort());
      expect(got.hashes).toEqual(peer.flatMap((m) => m.attachmentHashes).sort());
    });
  }
});

describe('salvage of damaged stores', () => {
  it('leaves a damaged attachment out, lists it, and writes no corrupted bytes', async () => {
    const intact = await readFile(join(FIXTURES, 'aspose-Test_part1.pst'));
    const intactHashes = peerWalk(join(FIXTURES, 'aspose-Test_part1.pst')).flatMap((m) => m.attachmentHashes);
    const good = new Set(intactHashes);
    const map = mapStore(intact);
    const blk = [...map.blocks].filter((b) => !b.internal).sort((x, y) => y.cb - x.cb)[0]!;
    const damaged = Buffer.from(intact);
    for (let i = 0; i < 16; i++) damaged[blk.ib + 4000 + i] ^= 0x5a;
    const dir = await tempDir();
    const src = join(dir, 'damaged.pst');
    await writeFile(src, damaged);
    const out = join(dir, 'out');
    await salvagePst(src, out, 'eml', testContext());
    const r = await report(out);
    expect(r.status).toBe('damaged');
    expect(r.written).toBe(61);
    expect(r.partial).toHaveLength(1);
    expect(r.partial[0]!.damage.join(' ')).toMatch(/attachment '.+' left out: block 0x[0-9a-f]+ .*CRC mismatch/);
    const got = await parsed(out);
    // Exactly the one attachment in the damaged block is missing; every byte written is intact.
    expect(got.hashes.length).toBe(intactHashes.length - 1);
    for (const h of got.hashes) expect(good.has(h)).toBe(true);
    expect(r.problems.some((p) => p.structure === 'block' && p.affects.some((a) => a.includes('attachment')))).toBe(true);
  });

  it('rescues messages from a store truncated to 60 %, none with corrupted attachments', async () => {
    const intact = await readFile(join(FIXTURES, 'aspose-Test_part1.pst'));
    const good = new Set(peerWalk(join(FIXTURES, 'aspose-Test_part1.pst')).flatMap((m) => m.attachmentHashes));
    const dir = await tempDir();
    const src = join(dir, 'trunc.pst');
    await writeFile(src, intact.subarray(0, Math.floor(intact.length * 0.6)));
    const out = join(dir, 'out');
    await salvagePst(src, out, 'eml', testContext());
    const r = await report(out);
    expect(r.written).toBeGreaterThan(10);
    const got = await parsed(out);
    expect(got.hashes.length).toBeGreaterThan(0);
    for (const h of got.hashes) expect(good.has(h)).toBe(true);
  });

  it('says so when a program that has the store open writes it during the salvage', async () => {
    const dir = await tempDir();
    const src = join(dir, 'open.pst');
    await writeFile(src, await readFile(join(FIXTURES, 'aspose-Test_part1.pst')));
    const out = join(dir, 'out');
    let wrote = false;
    const onProgress = (p: Progress) => {
      if (p.phase === 'salvage' && !wrote) {
        wrote = true;
        appendFileSync(src, Buffer.alloc(4096));
      }
    };
    const { findings } = await salvageStore(src, out, 'eml', { onProgress });
    expect(wrote).toBe(true);
    const detail = (await report(out)).problems.find((p) => p.structure === 'file')?.detail;
    expect(detail).toMatch(/^the file changed while it was salvaged \(its size went from \d+ to \d+ bytes\): a program that has it open, such as Outlook, is writing it, so messages saved here may mix old and new data; close that program and salvage again$/);
    expect(findings[0]!.severity).toBe('warning');
  });

  it('refuses an output folder inside the store path and reports an unreadable store without crashing', async () => {
    const dir = await tempDir();
    const junk = join(dir, 'junk.pst');
    await writeFile(junk, Buffer.from('this is not a PST file at all, just text'.repeat(20)));
    const out = join(dir, 'out');
    const { section } = await salvagePst(junk, out, 'eml', testContext());
    expect(section.files[0]!.status).toBe('unreadable');
    expect((await report(out)).written).toBe(0);
    await expect(salvagePst(junk, junk, 'eml', testContext())).rejects.toThrow(/must not be the store/);
  });
});
