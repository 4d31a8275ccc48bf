import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanPstPaths } from '../../../electron/pst/service.ts';
import { testContext } from '../../support/pst/context.ts';
import { census } from '../../support/pst-writer/census.ts';
import { extractorWalk, hasCommand, pffexportCount, readpstCount } from '../../support/pst-writer/peers.ts';
import { writePst, type PstWriteSummary, type WrittenMessage } from '../../support/pst-writer/synth.ts';
import type { Variant } from '../../../electron/pst/writer/variant.ts';

// Every variant the writer produces, opened by three independent readers and by MailMedic's own scanner.
// readpst and pffexport come from Debian (pst-utils, pff-tools; listed in .ci/apt-packages.txt).

const HAS_READPST = hasCommand('readpst');
const HAS_PFFEXPORT = hasCommand('pffexport');
if (!HAS_READPST) console.warn('readpst not installed (apt-get install pst-utils): readpst checks are skipped');
if (!HAS_PFFEXPORT) console.warn('pffexport not installed (apt-get install pff-tools): pffexport checks are skipped');

const VARIANTS: Variant[] = [
  { format: 'unicode', encoding: 'permute', ost: false },
  { format: 'unicode', encoding: 'none', ost: false },
  { format: 'unicode', encoding: 'cyclic', ost: false },
  { format: 'ansi', encoding: 'permute', ost: false },
  { format: 'ansi', encoding: 'none', ost: false },
  { format: 'ansi', encoding: 'cyclic', ost: false },
  { format: 'unicode4k', encoding: 'permute', ost: false },
  { format: 'unicode4k', encoding: 'cyclic', ost: false },
  { format: 'unicode', encoding: 'permute', ost: true },
  { format: 'unicode4k', encoding: 'none', ost: true }, // what Outlook 2013+ caches Exchange mail in
  // Deflated blocks (Outlook 2013+ OSTs): readpst and pst-extractor cannot read them, see compressed.test.ts.
  { format: 'unicode4k', encoding: 'none', ost: true, compress: true },
  { format: 'unicode4k', encoding: 'permute', ost: true, compress: true },
  { format: 'unicode4k', encoding: 'cyclic', ost: false, compress: true },
];

const name = (v: Variant) => `${v.format}/${v.encoding}${v.ost ? '/ost' : ''}${v.compress ? '/compressed' : ''}`;
const SPECIAL_FOLDERS = 4; // root, IPM subtree ("Top of Personal Folders"), Search Root, Deleted Items

describe.each(VARIANTS.map((v) => [name(v), v] as const))('generated %s store', (_label, v) => {
  let dir: string;
  let file: string;
  let s: PstWriteSummary;
  const written: WrittenMessage[] = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pstw-variant-'));
    file = join(dir, v.ost ? 'store.ost' : 'store.pst');
    s = writePst(file, { ...v, folders: 5, messages: 24, attachmentKb: { min: 1, max: 24 }, seed: 11, onMessage: (m) => written.push(m) });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes what it reports', () => {
    expect(s.messages).toBe(24);
    expect(written).toHaveLength(24);
    expect(s.folders).toHaveLength(5);
    expect(s.folders.reduce((a, f) => a + f.messages, 0)).toBe(24);
    expect(s.attachments).toBeGreaterThan(0);
    expect(s.attachments).toBe(written.reduce((a, m) => a + m.attachments.length, 0));
  });

  it('MailMedic scanner: ok, no problems, same counts', async () => {
    const { section } = await scanPstPaths([file], {}, testContext());
    const r = section.files[0]!;
    expect(r.problems).toEqual([]);
    expect(r.status).toBe('ok');
    expect(r.format).toBe(v.format);
    expect(r.kind).toBe(v.ost ? 'ost' : 'pst');
    expect(r.encryption).toBe(v.encoding);
    expect(r.counts).toEqual({ folders: s.folders.length + SPECIAL_FOLDERS, messages: s.messages, attachments: s.attachments, damagedItems: 0 });
  });

  it('every block and page passes the scanner NDB checks', async () => {
    const c = await census(file);
    expect(c.problems).toEqual([]);
    expect(c.blocks).toBe(s.ndb.blocks);
    expect(c.slblocks).toBeGreaterThan(0); // messages carry recipient tables and attachments as subnodes
    expect(c.compressed > 0).toBe(v.compress === true);
  });

  // readpst 0.6.76 ignores the 4K trailer's inflated size (compressed.test.ts records what it then reads).
  if (!v.compress) {
    it.skipIf(!HAS_READPST)('readpst exports every message and attachment', async () => {
      const r = await readpstCount(file, mkdtempSync(join(dir, 'readpst-')));
      expect(r.code, r.stderr).toBe(0);
      expect(r.messages).toBe(s.messages);
      expect(r.attachments).toBe(s.attachments);
    });
  }

  it.skipIf(!HAS_PFFEXPORT)('pffexport exports every message and attachment byte', async () => {
    const r = await pffexportCount(file, join(dir, 'pff'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.messages).toBe(s.messages);
    expect(r.attachments).toBe(s.attachments);
    expect(r.attachmentBytes).toBe(s.attachmentBytes);
  });

  // pst-extractor 1.12 has no inflate step: compressed.test.ts records how it fails on deflated blocks.
  if (!v.compress && v.format !== 'ansi' && v.encoding !== 'cyclic') {
    it('pst-extractor walks every folder and reads back subjects, bodies, recipients and attachment bytes', () => {
      const w = extractorWalk(file);
      expect(w.folders).toBe(s.folders.length + SPECIAL_FOLDERS);
      const key = (m: { folder: string; subject: string }) => `${m.folder}|${m.subject}`;
      const got = new Map(w.messages.map((m) => [key(m), m]));
      expect(got.size).toBe(written.length);
      for (const m of written) {
        const r = got.get(key(m));
        expect(r, key(m)).toBeDefined();
        expect(r!.body).toBe(m.body);
        expect(r!.bodyHtml.length > 0).toBe(m.html);
        expect(r!.recipients).toEqual(m.recipients);
        expect(r!.attachments).toEqual(m.attachments.map(({ name, size, sha256 }) => ({ name, size, sha256 })));
      }
    });
  } else if (!v.compress) {
    // pst-extractor 1.12 cannot open any ANSI store (also true for the real ANSI fixtures, see
    // ../shared/docs/pst-format.md §2) and refuses cyclic encoding by design.
    it('pst-extractor refuses it the same way it refuses real stores of this kind', () => {
      expect(() => extractorWalk(file)).toThrow(v.encoding === 'cyclic' ? /encrypted/ : /Unable to find 97/);
    });
  }
});
