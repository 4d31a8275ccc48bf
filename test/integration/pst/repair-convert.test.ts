import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanNdb } from '../../../electron/pst/ndb.ts';
import { NodeReader } from '../../../electron/pst/nodes.ts';
import { ProblemLog } from '../../../electron/pst/problems.ts';
import { splitMv } from '../../../electron/pst/repair/convert.ts';
import { readProps, type RawProp } from '../../../electron/pst/repair/read.ts';
import { repairPst, RepairResultSchema } from '../../../electron/pst/repair.ts';
import { PstSource } from '../../../electron/pst/source.ts';
import { scanFile } from '../../../electron/pst/scan-file.ts';
import { sealedPatch } from '../../support/pst/corrupt.ts';
import { FIXTURES, sha256File, tempDir } from '../../support/pst/fixtures.ts';
import { compareObjects, peerKey, peerWalk, snapshot } from '../../support/pst/repair-check.ts';
import { hasCommand, pffexportCount, readpstCount } from '../../support/pst-writer/peers.ts';
import { writePst, type PstWriteOptions, type WrittenMessage } from '../../support/pst-writer/synth.ts';

// Conversions: an OST (the shared Exchange cache, and a compressed Unicode-4K one) becomes a PST; an ANSI store in
// code page 1252, 1251 or 932 becomes a Unicode store with the same text; a split run writes parts under the size
// limit that together hold every message exactly once, each repeating the folder path it needs.

const HAS_READPST = hasCommand('readpst');
const HAS_PFFEXPORT = hasCommand('pffexport');

let dir: string;
beforeAll(async () => {
  dir = await tempDir('mailmedic-repair-convert-');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sub(name: string): string {
  const p = join(dir, name);
  mkdirSync(p, { recursive: true });
  return p;
}

/** The written messages as pst-extractor must read them back (subjects, bodies, recipients, attachment names and bytes). */
function expectAll(out: string, written: WrittenMessage[]): void {
  const got = new Map(peerWalk(out).map((m) => [m.subject, m]));
  expect(got.size).toBe(written.length);
  for (const m of written) {
    const r = got.get(m.subject);
    expect(r, m.subject).toBeDefined();
    expect(r!.body).toBe(m.body);
    expect(r!.html.length > 0).toBe(m.html);
    expect(r!.recipients).toEqual(m.recipients);
    expect(r!.attachments).toEqual(m.attachments.map(({ name, size, sha256 }) => ({ name, size, sha256 })));
  }
}

/** Clean for the scanner, readpst and pffexport (which exports `pffMessages`: it skips some item types). */
async function expectClean(out: string, messages: number, pffMessages = messages): Promise<void> {
  const check = await scanFile(out);
  expect(check.result.problems.filter((p) => p.severity !== 'info')).toEqual([]);
  expect([check.result.status, check.result.format, check.result.kind, check.result.encryption]).toEqual(['ok', 'unicode', 'pst', 'permute']);
  expect(check.result.counts.messages).toBe(messages);
  expect(readFileSync(out).subarray(8, 12).toString('latin1')).toBe('SM\x17\x00'); // wMagicClient "SM", wVer 23
  if (HAS_READPST) {
    const rp = await readpstCount(out, sub(`readpst-${Math.random().toString(36).slice(2)}`));
    expect(rp.code, rp.stderr).toBe(0);
  }
  if (HAS_PFFEXPORT) {
    const pf = await pffexportCount(out, join(dir, `pff-${Math.random().toString(36).slice(2)}`));
    expect(pf.code, pf.stderr).toBe(0);
    expect(pf.messages).toBe(pffMessages);
  }
}

describe('OST → PST', () => {
  it('the shared OST: every message and property (OST sync state dropped), readable by all peers', async () => {
    const source = join(FIXTURES, 'aspose-SampleOstFile.ost');
    const out = join(sub('ost'), 'mailbox.pst');
    const r = await repairPst(source, { out });
    expect(r.sourceKind).toBe('ost');
    expect(r.counts).toEqual({ kept: 92, partial: 0, recovered: 0, lost: 0 });
    expect(r.notes.join('\n')).toMatch(/offline-cache propert(y|ies) \(OST sync state/);
    // pffexport 20180714 exports 81 of the source's 92 items too (it skips some item types).
    await expectClean(out, 92, (await pffexportCount(source, join(dir, 'pff-ost-source'))).messages);
    const [a, b] = [await snapshot(source), await snapshot(out)];
    for (const [nid, obj] of a.objects) expect(compareObjects(obj, b.objects.get(nid)!, { folder: (nid & 0x1f) === 2, ost: true })).toEqual([]);
    // Nothing of the OST provider's own range is left on any folder or message.
    for (const obj of b.objects.values()) expect([...obj.props.keys()].filter((k) => /^0x6[67][0-9a-f]{2}$/.test(k))).toEqual([]);
    expect(peerWalk(out).map(peerKey).sort()).toEqual(peerWalk(source).map(peerKey).sort());
  });

  it("the OST's special-folder entry IDs name the new store's Calendar, Contacts, Drafts, Junk E-mail, …", async () => {
    const out = join(sub('ost-special'), 'mailbox.pst');
    const r = await repairPst(join(FIXTURES, 'aspose-SampleOstFile.ost'), { out });
    // Three name search folders (Reminders online and offline, To-Do Search), which are not copied.
    expect(r.notes).toContain("15 of the OST's special-folder entry IDs (Calendar, Contacts, Drafts, Junk E-mail, …) re-pointed from its Exchange mailbox to the new store's folders; 3 name folders the new store does not have (such as search folders, which are not copied) and were copied as stored");
    const src = await PstSource.open(out);
    try {
      const ndb = await scanNdb(src, new ProblemLog());
      if ('unreadable' in ndb) throw new Error(ndb.unreadable);
      const reader = new NodeReader(src, ndb);
      const props = async (nid: number) => readProps((await reader.node(nid))!);
      const bytesOf = (ps: RawProp[], id: number) => {
        const p = ps.find((x) => x.id === id);
        return p && 'bytes' in p.value ? p.value.bytes : null;
      };
      const uid = bytesOf(await props(0x21), 0x0ff9)!;
      /** The folder a PST entry ID of this store names, as "name (class)"; an Exchange one is left as it was. */
      const named = async (e: Buffer): Promise<string> => {
        if (e.length === 46) return 'Exchange entry ID';
        expect([e.length, e.readUInt32LE(0), e.subarray(4, 20).equals(uid)]).toEqual([24, 0, true]);
        const f = await props(e.readUInt32LE(20));
        return `${bytesOf(f, 0x3001)!.toString('utf16le')} (${bytesOf(f, 0x3613)!.toString('utf16le')})`;
      };
      const inbox = await props(0x2182);
      const single: Record<string, string> = {};
      for (const id of [0x36d0, 0x36d1, 0x36d2, 0x36d3, 0x36d4, 0x36d5, 0x36d6, 0x36d7]) single[id.toString(16)] = await named(bytesOf(inbox, id)!);
      expect(single).toEqual({
        '36d0': 'Calendar (IPF.Appointment)', '36d1': 'Contacts (IPF.Contact)', '36d2': 'Journal (IPF.Journal)', '36d3': 'Notes (IPF.StickyNote)',
        '36d4': 'Tasks (IPF.Task)', '36d5': 'Exchange entry ID', '36d6': 'Exchange entry ID', '36d7': 'Drafts (IPF.Note)',
      });
      // PidTagAdditionalRenEntryIds: Conflicts, Sync Issues, Local Failures, Server Failures, Junk E-mail, and a 4-byte
      // sixth value that is no entry ID (kept as stored).
      const additional = splitMv(bytesOf(inbox, 0x36d8)!)!;
      expect(await Promise.all(additional.slice(0, 5).map(named))).toEqual(['Conflicts (IPF.Note)', 'Sync Issues (IPF.Note)', 'Local Failures (IPF.Note)', 'Server Failures (IPF.Note)', 'Junk E-Mail (IPF.Note)']);
      expect(additional[5]!.length).toBe(4);
      // PidTagAdditionalRenEntryIdsEx: PersistData blocks whose sizes follow the shorter entry IDs.
      const ex = bytesOf(inbox, 0x36d9)!;
      const blocks: string[] = [];
      let at = 0;
      while (ex.readUInt16LE(at) !== 0) {
        const size = ex.readUInt16LE(at + 2);
        expect([ex.readUInt16LE(at + 4), ex.readUInt16LE(at + 6) + 4]).toEqual([1, size]);
        blocks.push(`${ex.readUInt16LE(at).toString(16)} ${await named(ex.subarray(at + 8, at + 4 + size))}`);
        at += 4 + size;
      }
      expect(ex.length - at).toBe(4);
      expect(blocks).toEqual([
        '8004 Exchange entry ID', '8006 Conversation Action Settings (IPF.Configuration)', '8001 RSS Feeds (IPF.Note.OutlookHomepage)',
        '8007 Quick Step Settings (IPF.Configuration)', '8008 Suggested Contacts (IPF.Contact)',
      ]);
    } finally {
      await src.close();
    }
  });

  it('a compressed Unicode-4K OST (which readpst and pst-extractor cannot read) becomes a PST they read whole', async () => {
    const d = sub('ost4k');
    const written: WrittenMessage[] = [];
    const source = join(d, 'cache.ost');
    writePst(source, { format: 'unicode4k', encoding: 'permute', ost: true, compress: true, folders: 4, messages: 20, attachmentKb: { min: 1, max: 40 }, seed: 41, onMessage: (m) => written.push(m) });
    const before = await sha256File(source);
    const out = join(d, 'cache.pst');
    const r = await repairPst(source, { out });
    expect(await sha256File(source)).toBe(before);
    expect([r.sourceFormat, r.sourceKind]).toEqual(['unicode4k', 'ost']);
    expect(r.counts).toEqual({ kept: 20, partial: 0, recovered: 0, lost: 0 });
    await expectClean(out, 20);
    if (HAS_READPST) {
      const rp = await readpstCount(out, sub('ost4k-readpst'));
      expect([rp.messages, rp.attachments]).toEqual([20, written.reduce((a, m) => a + m.attachments.length, 0)]);
    }
    expectAll(out, written);
  });
});

describe.each([1252, 1251, 932])('ANSI (code page %i) → Unicode', (cp) => {
  it('decodes every string with the store\'s code page and writes it as UTF-16', async () => {
    const d = sub(`ansi-${cp}`);
    const written: WrittenMessage[] = [];
    const source = join(d, 'ansi.pst');
    const opts: PstWriteOptions = { format: 'ansi', encoding: 'permute', ost: false, folders: 4, messages: 12, attachmentKb: { min: 1, max: 12 }, seed: cp, codepage: cp, onMessage: (m) => written.push(m) };
    writePst(source, opts);
    // The text really is outside ASCII (Latin-1 accents, Cyrillic, Japanese).
    expect(written.some((m) => /[^\x20-\x7e]/.test(m.subject + m.body))).toBe(true);
    const out = join(d, 'unicode.pst');
    const r = await repairPst(source, { out });
    expect([r.sourceFormat, r.counts.kept]).toEqual(['ansi', 12]);
    await expectClean(out, 12);
    expectAll(out, written);
    // Folder names too (the script's folder names).
    const folders = (await scanFile(out)).walk!.folders.map((f) => f.name);
    const names = (await scanFile(source)).walk!.folders.map((f) => f.name).filter(Boolean);
    expect(folders).toEqual(expect.arrayContaining(names));
    const [a, b] = [await snapshot(source), await snapshot(out)];
    for (const [nid, obj] of a.objects) expect(compareObjects(obj, b.objects.get(nid)!, { folder: (nid & 0x1f) === 2, ost: false })).toEqual([]);
  });
});

describe('split', () => {
  it('writes TARGET-1.pst, TARGET-2.pst, … each under the limit, together holding every message exactly once', async () => {
    const d = sub('split');
    const written: WrittenMessage[] = [];
    const source = join(d, 'big.pst');
    writePst(source, { format: 'unicode', encoding: 'permute', ost: false, folders: 6, messages: 90, attachmentKb: { min: 1, max: 90 }, seed: 9, onMessage: (m) => written.push(m) });
    const limit = 1.5 * 1024 * 1024;
    const r = await repairPst(source, { out: join(d, 'part.pst'), splitGb: limit / 1024 ** 3 });
    expect(r.outputs.length).toBeGreaterThan(2);
    expect(r.outputs.map((o) => o.path)).toEqual(r.outputs.map((_, i) => join(d, `part-${i + 1}.pst`)));
    const seen: string[] = [];
    for (const o of r.outputs) {
      expect(statSync(o.path).size).toBe(o.bytes);
      expect(o.bytes).toBeLessThanOrEqual(limit);
      await expectClean(o.path, o.messages);
      const scan = await scanFile(o.path);
      // Each part repeats the folder path its messages need.
      const paths = new Set(scan.walk!.folders.map((f) => f.path));
      for (const m of scan.walk!.messages) expect(paths.has(m.folderPath)).toBe(true);
      seen.push(...peerWalk(o.path).map((m) => m.subject));
    }
    expect(seen.sort()).toEqual(written.map((m) => m.subject).sort());
    expect(r.outputs.reduce((a, o) => a + o.messages, 0)).toBe(90);
    // The result (without the source's scan, which the report keeps in pst.files) is what pst.repair declares.
    const { scan: _scan, ...section } = r;
    expect(RepairResultSchema.parse(section)).toEqual(section);
  });
});

describe('entry IDs', () => {
  /**
   * The store's MAPIUID (the message store's PidTagRecordKey), its IPM subtree's entry ID, and the 0x3701 bytes of every
   * attachment of message `nid`.
   */
  async function storeUidAndAttachments(file: string, nid: number): Promise<{ uid: Buffer; subtree: Buffer; attachments: { bid: number; bytes: Buffer }[] }> {
    const src = await PstSource.open(file);
    try {
      const ndb = await scanNdb(src, new ProblemLog());
      if ('unreadable' in ndb) throw new Error(ndb.unreadable);
      const reader = new NodeReader(src, ndb);
      const bytesOf = (props: RawProp[], id: number) => {
        const p = props.find((x) => x.id === id);
        return p && 'bytes' in p.value ? p.value.bytes : null;
      };
      const store = readProps((await reader.node(0x21))!);
      const uid = bytesOf(store, 0x0ff9)!;
      const subtree = bytesOf(store, 0x35e0)!;
      const message = (await reader.node(nid))!;
      const attachments: { bid: number; bytes: Buffer }[] = [];
      for (const [subnid, ref] of [...message.subnodes].sort((a, b) => a[0] - b[0])) {
        if ((subnid & 0x1f) !== 0x05) continue;
        const bytes = bytesOf(readProps(await reader.readRef(ref)), 0x3701);
        if (bytes) attachments.push({ bid: ref.bidData, bytes: Buffer.from(bytes) });
      }
      return { uid: Buffer.from(uid), subtree: Buffer.from(subtree), attachments };
    } finally {
      await src.close();
    }
  }

  it('copies attachment bytes that contain the store id byte for byte, and re-points entry IDs', async () => {
    const work = sub('uid-in-attachment');
    const file = join(FIXTURES, 'aspose-Test_part1.pst');
    // A 29-byte attachment kept in its attachment's heap, given the store's MAPIUID as its first 16 bytes (CRC re-sealed).
    const { uid, attachments } = await storeUidAndAttachments(file, 0x200024);
    const small = attachments.find((a) => a.bytes.length === 29)!;
    const content = Buffer.concat([uid, small.bytes.subarray(16)]);
    const source = join(work, 'source.pst');
    writeFileSync(source, sealedPatch(readFileSync(file), small.bid, small.bytes, content));
    const out = join(work, 'repaired.pst');
    const r = await repairPst(source, { out });
    expect(r.items.find((i) => i.id === '0x200024')!.status).toBe('kept');
    const after = await storeUidAndAttachments(out, 0x200024);
    expect(after.uid.equals(uid)).toBe(false);
    expect(after.attachments.map((a) => a.bytes.toString('hex'))).toContain(content.toString('hex'));
    // PidTagIpmSubtreeEntryId names the new store, not the source.
    expect(after.subtree.includes(after.uid) && !after.subtree.includes(uid)).toBe(true);
  });
});
