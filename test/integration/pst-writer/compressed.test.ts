import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { salvagePst, scanPstPaths } from '../../../electron/pst/service.ts';
import type { PstFileResult } from '../../../electron/pst/schema.ts';
import { testContext } from '../../support/pst/context.ts';
import { sha256 } from '../../support/pst/fixtures.ts';
import { declaredSizeOf, flipBlockBytesKeepCrc, setDeclaredSize } from '../../support/pst-writer/damage.ts';
import { extractorWalk, hasCommand, readpstCount } from '../../support/pst-writer/peers.ts';
import { writePst, type PstWriteOptions, type PstWriteSummary, type WrittenMessage } from '../../support/pst-writer/synth.ts';

// Deflate-compressed Unicode-4K stores (Outlook 2013+ OSTs; no public sample exists, so the team's writer makes
// them): salvage must give exactly what the same store gives uncompressed, damage only inflation can notice must be
// named against its item, and what readpst and pst-extractor make of such stores is recorded as measured.

const HAS_READPST = hasCommand('readpst');
if (!HAS_READPST) console.warn('readpst not installed (apt-get install pst-utils): readpst checks are skipped');

const BASE: PstWriteOptions = {
  format: 'unicode4k', encoding: 'permute', ost: true, folders: 3, messages: 12,
  attachmentKb: { min: 1, max: 24 }, attachmentsPerMessage: { min: 1, max: 2 }, seed: 31,
};

/**
 * Subjects and attachment hashes of every salvaged EML, and each file's parsed content by relative path (the raw bytes
 * differ: MIME boundaries are random).
 */
async function salvaged(store: string, out: string) {
  await salvagePst(store, out, 'eml', testContext());
  const subjects: string[] = [];
  const hashes: string[] = [];
  const files = new Map<string, unknown>();
  for (const e of await readdir(out, { withFileTypes: true, recursive: true })) {
    if (!e.isFile() || !e.name.endsWith('.eml')) continue;
    const m = await simpleParser(await readFile(join(e.parentPath, e.name)));
    subjects.push(m.subject ?? '');
    for (const a of m.attachments) hashes.push(sha256(a.content));
    const attachments = m.attachments.map((a) => [a.filename, sha256(a.content)]);
    files.set(relative(out, join(e.parentPath, e.name)), { subject: m.subject, from: m.from?.text, to: m.to, text: m.text, html: m.html, attachments });
  }
  const report = JSON.parse(await readFile(join(out, 'salvage-report.json'), 'utf8')) as { written: number; failed: unknown[]; partial: unknown[] };
  return { subjects: subjects.sort(), hashes: hashes.sort(), files, report };
}

describe('compressed Unicode-4K store', () => {
  let dir: string;
  let plain: string;
  let packed: string;
  let s: PstWriteSummary;
  const written: WrittenMessage[] = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pstw-deflate-'));
    plain = join(dir, 'plain.ost');
    packed = join(dir, 'packed.ost');
    writePst(plain, BASE);
    s = writePst(packed, { ...BASE, compress: true, onMessage: (m) => written.push(m) });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('salvaged EML equal those of the same store written uncompressed (same seed)', async () => {
    const a = await salvaged(packed, join(dir, 'out-packed'));
    const b = await salvaged(plain, join(dir, 'out-plain'));
    expect(a.report).toMatchObject({ written: 12, failed: [], partial: [] });
    expect(a.subjects).toEqual(written.map((m) => m.subject).sort());
    expect(a.hashes).toEqual(written.flatMap((m) => m.attachments.map((x) => x.sha256)).sort());
    expect(a.subjects).toEqual(b.subjects);
    expect(a.hashes).toEqual(b.hashes);
    expect(a.files).toEqual(b.files); // file for file: names, addresses, bodies, attachments
  });

  it('is written deterministically: the same seed gives the same bytes', () => {
    const again = join(dir, 'again.ost');
    writePst(again, { ...BASE, compress: true });
    expect(sha256(readFileSync(again))).toBe(sha256(readFileSync(packed)));
  });

  it.skipIf(!HAS_READPST)('readpst 0.6.76 ignores the inflated size: 0 of 12 messages, and no attachment where only internal blocks deflate', async () => {
    const r = await readpstCount(packed, mkdtempSync(join(dir, 'readpst-')));
    expect(r.code).toBe(1); // "Could not get root record"
    expect([r.messages, r.attachments]).toEqual([0, 0]);
    // Cyclic-encoded data does not deflate, so only internal blocks are stored compressed: readpst then reads every
    // message but loses all attachments (their SLBLOCKs) without saying so.
    const cyclic = join(dir, 'cyclic.ost');
    const c = writePst(cyclic, { ...BASE, encoding: 'cyclic', compress: true });
    const rc = await readpstCount(cyclic, mkdtempSync(join(dir, 'readpst-')));
    expect(rc.code, rc.stderr).toBe(0);
    expect([rc.messages, rc.attachments]).toEqual([c.messages, 0]);
    expect(c.attachments).toBeGreaterThan(0);
  });

  it('pst-extractor 1.12 cannot read it (no inflate step)', () => {
    expect(() => extractorWalk(packed)).toThrow(/bad table type/);
  });

  describe('exact damage', () => {
    async function scanCopy(name: string, damage: (f: string) => void): Promise<PstFileResult> {
      const f = join(dir, name);
      copyFileSync(packed, f);
      damage(f);
      return (await scanPstPaths([f], {}, testContext())).section.files[0]!;
    }
    const affects = (r: PstFileResult) => r.problems.flatMap((p) => p.affects).join('\n');
    const compressedAt = (bid: number) => {
      const at = s.locate(bid)!;
      expect(declaredSizeOf(packed, at)).not.toBe(at.cb); // the test is only meaningful on a deflated block
      return at;
    };

    it('a deflated block whose bytes are wrong under a valid CRC is reported against its message only', async () => {
      const victim = written[4]!;
      const at = compressedAt(victim.bid);
      const r = await scanCopy('inflate.ost', (f) => flipBlockBytesKeepCrc(f, at, 24));
      expect(r.status).toBe('damaged');
      expect(r.problems.some((p) => /compressed block does not inflate/.test(p.detail) && !/CRC/.test(p.detail))).toBe(true);
      const text = affects(r);
      expect(text).toContain(victim.subject);
      for (const m of written) if (m !== victim) expect(text).not.toContain(m.subject);
    });

    it('blocks whose declared inflated size lies (too small, too large) are reported, not crashed on', async () => {
      const small = written[2]!;
      const att = written[7]!.attachments[0]!;
      const a = compressedAt(small.bid);
      const b = compressedAt(att.bid);
      const r = await scanCopy('sizes.ost', (f) => {
        setDeclaredSize(f, a, declaredSizeOf(f, a) - 1);
        setDeclaredSize(f, b, declaredSizeOf(f, b) + 100);
      });
      expect(r.status).toBe('damaged');
      const details = r.problems.map((p) => p.detail).join('\n');
      expect(details).toMatch(/compressed block does not inflate: .*more than the \d+ the trailer declares/);
      expect(details).toMatch(/compressed block does not inflate: .*give \d+, the trailer declares \d+/);
      const text = affects(r);
      expect(text).toContain(small.subject);
      // The attachment's name lives in the very block that no longer inflates: it is named by its subnode id.
      expect(text.split('\n').some((l) => l.includes(`'${written[7]!.subject}'`) && /: attachment '0x[0-9a-f]+'$/.test(l))).toBe(true);
      for (const m of written) if (m !== small && m !== written[7]) expect(text).not.toContain(m.subject);
    });
  });
});
