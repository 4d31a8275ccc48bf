import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../../electron/core/errors.ts';
import { hex, writeId } from '../../../electron/pst/layout.ts';
import { repairPst } from '../../../electron/pst/repair.ts';
import { scanFile } from '../../../electron/pst/scan-file.ts';
import { scanNdb } from '../../../electron/pst/ndb.ts';
import { NodeReader } from '../../../electron/pst/nodes.ts';
import { ProblemLog } from '../../../electron/pst/problems.ts';
import { PstSource } from '../../../electron/pst/source.ts';
import { corruptions, fixBlockCrc, fixPageCrc, repoint, ROOT_FOLDER, sealedNbtDamage, sealedPatch, sealedScramble, sibling } from '../../support/pst/corrupt.ts';
import { sealedFieldDamage, sealedMetaDamage, sealedNidLinks } from '../../support/pst/field-damage.ts';
import { FIXTURES, sha256File, tempDir } from '../../support/pst/fixtures.ts';
import { mapStore, type StoreMap } from '../../support/pst/layout-map.ts';
import { compareObjects, peerWalk, snapshot } from '../../support/pst/repair-check.ts';
import { hasCommand, pffexportCount, readpstCount } from '../../support/pst-writer/peers.ts';

// Every damage class of the corruption generator, applied to a copy of the documented base fixture: the repair must
// write a store that MailMedic's scanner and all three peers open cleanly, carry every message the scan could read,
// report as partial or lost exactly the messages the scan names, put the orphans into Lost and Found, and leave the
// damaged source byte for byte as it was.

// The documented corruption base (Unicode, 61 messages, 43 attachments) and an ANSI store (8-bit strings converted).
const BASES = ['aspose-Test_part1.pst', 'pstsdk-sample2.pst'];
const HAS_READPST = hasCommand('readpst');
const HAS_PFFEXPORT = hasCommand('pffexport');

let dir: string;
const intact = new Map<string, { buf: Buffer; map: StoreMap }>();
beforeAll(async () => {
  dir = await tempDir('mailmedic-repair-damage-');
  for (const b of BASES) {
    const buf = await readFile(join(FIXTURES, b));
    intact.set(b, { buf, map: mapStore(buf) });
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CASES = BASES.flatMap((base) => [
  ...corruptions().map((c) => ({ name: `${base}: ${c.name}`, base, apply: c.apply, unreadable: c.expectStatus === 'unreadable', sealed: false })),
  // Damage no CRC can see: bytes changed inside blocks and the CRCs re-sealed. The scan reads only what it needs to
  // name items (not recipient tables, not attachment data), so the repair, which reads everything, may find more.
  ...[1, 2, 3, 4].map((seed) => ({ name: `${base}: sealed scramble ${seed}`, base, apply: (b: Buffer) => sealedScramble(b, seed), unreadable: false, sealed: true })),
  // Node B-tree entries rewritten with their page CRCs re-sealed: nodes that read another node's data, two entries
  // with one NID, parents that point anywhere.
  ...(['data', 'nid', 'parent'] as const).flatMap((field) => [1, 2, 3].map((seed) => ({ name: `${base}: sealed NBT ${field} ${seed}`, base, apply: (b: Buffer) => sealedNbtDamage(b, seed, field), unreadable: false, sealed: true }))),
  // Named fields (heap and table headers, internal blocks, the header's ROOT, B-tree pages) set to boundary values,
  // CRCs re-sealed: what the fuzz tool does by the thousand (npm run fuzz-pst), a few seeds each.
  ...(['ltp', 'ndb'] as const).flatMap((layer) => [1, 2, 3].map((seed) => ({ name: `${base}: sealed ${layer} fields ${seed}`, base, apply: (b: Buffer) => sealedFieldDamage(b, seed, layer), unreadable: false, sealed: true }))),
  ...(['header', 'pages'] as const).flatMap((where) => [1, 2, 3].map((seed) => ({ name: `${base}: sealed ${where} fields ${seed}`, base, apply: (b: Buffer) => sealedMetaDamage(b, seed, where), unreadable: false, sealed: true }))),
  // Node ids inside folder tables and messages re-pointed at other nodes (folders, messages, the table itself).
  ...[1, 2, 3].map((seed) => ({ name: `${base}: sealed NID links ${seed}`, base, apply: (b: Buffer) => sealedNidLinks(b, seed), unreadable: false, sealed: true })),
]);

describe.each(CASES.map((c) => [c.name, c] as const))('repair of %s', (name, c) => {
  it('keeps every readable item, names the damaged ones, and writes a store the readers open', async () => {
    const work = join(dir, name.replace(/[^a-z0-9]+/gi, '-'));
    mkdirSync(work);
    const source = join(work, 'damaged.pst');
    const base = intact.get(c.base)!;
    let damaged: Buffer;
    try {
      damaged = c.apply(base.buf, base.map);
    } catch (e) {
      // The store lacks this structure (e.g. it already is the format a case rewrites wVer to): nothing to repair.
      expect((e as Error).message).toMatch(/fixture has no|need two/);
      return;
    }
    await writeFile(source, damaged);
    const before = await sha256File(source);
    const out = join(work, 'repaired.pst');

    if (c.unreadable) {
      await expect(repairPst(source, { out })).rejects.toBeInstanceOf(UsageError);
      expect(readdirSync(work)).toEqual(['damaged.pst']);
      expect(await sha256File(source)).toBe(before);
      return;
    }

    const scan = await scanFile(source);
    const r = await repairPst(source, { out });
    expect(await sha256File(source)).toBe(before);
    expect(readdirSync(work).sort()).toEqual(['damaged.pst', 'repaired.pst']);

    // What the scan could read is all there; partial and lost are exactly what the scan named; orphans are recovered.
    const walk = scan.walk!;
    const named = scan.damagedItems ?? new Set<number>();
    const byId = new Map(r.items.map((i) => [i.id, i]));
    expect(r.items).toHaveLength(walk.messages.length);
    for (const m of walk.messages) {
      const item = byId.get(hex(m.nid));
      expect(item, hex(m.nid)).toBeDefined();
      // An orphan the scan names as damaged is partial (incomplete outranks recovered), in Lost and Found like the rest.
      const want = !m.readable ? 'lost' : named.has(m.nid) ? 'partial' : m.orphan ? 'recovered' : 'kept';
      if (c.sealed && (want === 'kept' || want === 'recovered') && item!.status === 'partial') expect(item!.detail).toMatch(/unreadable|damaged/);
      else expect([hex(m.nid), item!.status], item!.detail).toEqual([hex(m.nid), want]);
      if (m.readable && m.orphan) expect(item!.folder).toMatch(/\/Lost and Found(\/|$)/);
      if (m.readable && m.orphan) expect(item!.detail).toMatch(/^not listed in any folder/);
      if (want === 'partial' || want === 'lost') expect(item!.detail.length).toBeGreaterThan(0);
    }
    const copied = r.counts.kept + r.counts.partial + r.counts.recovered;
    expect(copied).toBe(walk.messages.filter((m) => m.readable).length);

    // The new store: clean for MailMedic, and the Lost and Found folder holds the orphans.
    const check = await scanFile(out);
    expect(check.result.problems.filter((p) => p.severity !== 'info')).toEqual([]);
    expect(check.result.status).toBe('ok');
    expect(check.result.counts.messages).toBe(copied);
    const inLostAndFound = check.walk!.messages.filter((m) => /\/Lost and Found(\/|$)/.test(m.folderPath)).length;
    expect(inLostAndFound).toBe(walk.messages.filter((m) => m.readable && m.orphan).length);

    // The peers open it cleanly and read every message.
    if (HAS_READPST) {
      const rp = await readpstCount(out, mkdir(work, 'readpst'));
      expect(rp.code, rp.stderr).toBe(0);
    }
    if (HAS_PFFEXPORT) {
      const pf = await pffexportCount(out, join(work, 'pff'));
      expect(pf.code, pf.stderr).toBe(0);
    }
    expect(peerWalk(out, { content: false })).toHaveLength(copied);
  });
});

// A folder's associated-contents table node re-pointed at another folder's (every CRC holds): two folders list the same
// FAI messages. Each is written once (a store's NIDs are unique), and the new store opens.
it('writes a FAI message once when two folders list it', async () => {
  const work = join(dir, 'shared-fai');
  mkdirSync(work);
  const base = await readFile(join(FIXTURES, 'aspose-Outlook.pst'));
  const map = mapStore(base);
  const faiOf = (m: StoreMap) => m.nodes.filter((n) => (n.nid & 0x1f) === 0x08).map((n) => n.nid).sort();
  const tables = map.nodes.filter((n) => (n.nid & 0x1f) === 0x0f && n.nid >>> 5 >= 0x40);
  const owner = (nid: number) => map.nodes.find((n) => n.nid === nid)!;
  // The associated table that lists the most FAI messages (by its data's size), shared with another folder.
  const sizeOf = (bid: number) => map.blocks.find((b) => b.bid === bid - (bid % 2))?.cb ?? 0;
  const target = [...tables].sort((a, b) => sizeOf(b.bidData) - sizeOf(a.bidData))[0]!;
  const source = join(work, 'damaged.pst');
  await writeFile(source, repoint(base, map, 0x0f, (nid) => nid !== target.nid && owner(nid).bidData !== target.bidData, target.nid));
  const before = await sha256File(source);

  const intact = await repairPst(join(FIXTURES, 'aspose-Outlook.pst'), { out: join(work, 'intact.pst') });
  const r = await repairPst(source, { out: join(work, 'repaired.pst') });
  expect(await sha256File(source)).toBe(before);
  const copiedNote = (notes: string[]) => notes.find((n) => /associated \(FAI\)/.test(n));
  expect(copiedNote(r.notes)).toBe(copiedNote(intact.notes));
  expect(copiedNote(r.notes)).toMatch(/^\d+ associated/);
  const out = await readFile(join(work, 'repaired.pst'));
  expect(faiOf(mapStore(out))).toEqual(faiOf(mapStore(await readFile(join(work, 'intact.pst')))));
  const check = await scanFile(join(work, 'repaired.pst'));
  expect(check.result.status).toBe('ok');
  if (HAS_PFFEXPORT) {
    const pf = await pffexportCount(join(work, 'repaired.pst'), join(work, 'pff'));
    expect(pf.code, pf.stderr).toBe(0);
  }
});

// The node B-tree names a parent for each folder and message; the hierarchy and contents tables say where Outlook
// shows them. Where the two disagree, the scan says so and the repair keeps every folder and message where the tables put it.
it('keeps folders and messages where their tables list them when the node B-tree names other parents', async () => {
  const work = join(dir, 'nbt-parents');
  mkdirSync(work);
  const c = corruptions().find((k) => k.name.startsWith("a folder's node B-tree entry names the root folder"))!;
  const base = intact.get('aspose-Test_part1.pst')!;
  const source = join(work, 'damaged.pst');
  await writeFile(source, c.apply(base.buf, base.map));
  const scan = await scanFile(source);
  expect(scan.result.problems.filter((p) => p.severity === 'error').map((p) => p.detail).sort()).toEqual([
    expect.stringMatching(/^contents table of folder '.+': 1 message\(s\) whose node B-tree entries name another folder as their parent \(0x[0-9a-f]+\)$/),
    expect.stringMatching(/^folder 0x[0-9a-f]+ is listed in the hierarchy table of folder 0x[0-9a-f]+, but its node B-tree entry names 0x122 as its parent$/),
  ]);
  await repairPst(source, { out: join(work, 'repaired.pst') });
  const out = await scanFile(join(work, 'repaired.pst'));
  expect(out.result.status).toBe('ok');
  const where = (w: typeof scan.walk) => new Map(w!.messages.map((m) => [`${m.subject}|${m.date?.getTime()}`, m.folderPath]));
  expect(where(out.walk)).toEqual(where(scan.walk));
  const paths = (w: typeof scan.walk) => w!.folders.filter((f) => (f.nid & 0x1f) === 0x02 && !f.path.startsWith('Search Root')).map((f) => f.path).sort();
  expect(paths(out.walk)).toEqual(paths(scan.walk));
});

// Without the source's name-to-id map nothing says what ids 0x8000 and up mean: their values are copied under the same
// ids, unnamed as in the source, and the new store's own map must not give any of those ids a name.
it('copies named-property values unnamed, under their ids, when the name-to-id map is unreadable', async () => {
  const work = join(dir, 'no-name-map');
  mkdirSync(work);
  const base = await readFile(join(FIXTURES, 'aspose-Outlook.pst'));
  const map = mapStore(base);
  const l = map.header.layout;
  const entry = map.nodes.find((n) => n.nid === 0x61)!;
  const damaged = Buffer.from(base);
  writeId(damaged, entry.entryIb + l.id, 0x7ffffff8, l.id); // a BID the block B-tree does not have
  fixPageCrc(damaged, l, entry.pageIb);
  const source = join(work, 'damaged.pst');
  await writeFile(source, damaged);
  const out = join(work, 'repaired.pst');
  const r = await repairPst(source, { out });
  expect(r.notes).toEqual(expect.arrayContaining([expect.stringMatching(/named-property id\(s\) that the source's name-to-id map cannot name \(the map is unreadable\) were copied under the same ids/)]));
  const a = await snapshot(source);
  const b = await snapshot(out);
  const unnamed = [...a.objects.values()].flatMap((o) => [...o.props.keys()].filter((k) => k.startsWith('unnamed ')));
  expect(unnamed.length).toBeGreaterThan(0);
  for (const [nid, obj] of a.objects) {
    if ((nid & 0x1f) !== 0x04) continue;
    expect(compareObjects(obj, b.objects.get(nid)!, { folder: false, ost: false }), hex(nid)).toEqual([]);
  }
});

// A folder's contents table that lists no message any more (its node re-pointed) makes its messages orphans; one of
// them also has a damaged subnode tree. That one is partial (incomplete outranks recovered, so the exit code says so),
// and it is in Lost and Found with the others.
it('reports an orphan with parts missing as partial, in Lost and Found', async () => {
  const work = join(dir, 'damaged-orphan');
  mkdirSync(work);
  const { buf, map } = intact.get('aspose-Test_part1.pst')!;
  const l = map.header.layout;
  const parentOf = (n: { entryIb: number }) => buf.readUInt32LE(n.entryIb + 3 * l.id);
  const victim = map.nodes.find((n) => (n.nid & 0x1f) === 0x04 && n.bidSub !== 0)!;
  const folder = parentOf(victim);
  const damaged = repoint(buf, map, 0x0e, (nid) => nid === sibling(folder, 0x0e), sibling(ROOT_FOLDER, 0x0d));
  const sl = map.blocks.find((b) => b.bid === victim.bidSub)!;
  damaged[sl.ib + 9] ^= 0xff; // inside the SLBLOCK's first entry; its CRC no longer matches
  const source = join(work, 'damaged.pst');
  await writeFile(source, damaged);
  const r = await repairPst(source, { out: join(work, 'repaired.pst') });
  const siblings = map.nodes.filter((n) => (n.nid & 0x1f) === 0x04 && parentOf(n) === folder).map((n) => hex(n.nid));
  expect(siblings.length).toBeGreaterThan(1);
  const items = r.items.filter((i) => siblings.includes(i.id));
  expect(items.map((i) => [i.id, i.status])).toEqual(siblings.map((id) => [id, id === hex(victim.nid) ? 'partial' : 'recovered']));
  for (const i of items) {
    expect(i.folder).toMatch(/\/Lost and Found\//);
    expect(i.detail).toMatch(/^not listed in any folder/);
  }
  expect(items.find((i) => i.status === 'partial')!.detail).toMatch(/damaged|unreadable/);
});

// A recipient-table column whose type is damaged (CRC re-sealed) cannot be copied: the message says which column it
// lost, and is partial rather than kept.
it('names a recipient-table column it cannot copy (unknown type) and reports the message partial', async () => {
  const work = join(dir, 'recipient-column');
  mkdirSync(work);
  const file = join(FIXTURES, 'pstsdk-sample1.pst');
  const rcpBid = await subnodeBlock(file, 0x200024, (subnids) => subnids.find((nid) => nid === 0x692)!);
  // PidTagDisplayName's column description (tag 0x3001001F) given type 0x291E, which no property has.
  const tag = Buffer.from([0x1f, 0x00, 0x01, 0x30]);
  const source = join(work, 'damaged.pst');
  await writeFile(source, sealedPatch(await readFile(file), rcpBid, tag, Buffer.from([0x1e, 0x29, 0x01, 0x30])));
  const r = await repairPst(source, { out: join(work, 'repaired.pst') });
  const item = r.items.find((i) => i.id === '0x200024')!;
  expect(item.status).toBe('partial');
  expect(item.detail).toBe('recipient table: the property 0x3001 column unreadable: unknown property type 0x291e');
});

// A recipient table whose row-id column description is damaged (3 bytes instead of 4, CRC re-sealed) has no row that
// can be named: the table is reported unreadable and the message partial, without a crash.
it('reports a recipient table whose row-id column is not 4 bytes as unreadable, without crashing', async () => {
  const work = join(dir, 'row-id-column');
  mkdirSync(work);
  const file = join(FIXTURES, 'pstsdk-sample1.pst');
  const rcpBid = await subnodeBlock(file, 0x200024, (subnids) => subnids.find((nid) => nid === 0x692)!);
  // TCOLDESC of PidTagLtpRowId (0x67F20003): offset 0, 4 bytes, bit 0 — given 3 bytes.
  const desc = Buffer.from([0x03, 0x00, 0xf2, 0x67, 0x00, 0x00, 0x04, 0x00]);
  const source = join(work, 'damaged.pst');
  await writeFile(source, sealedPatch(await readFile(file), rcpBid, desc, Buffer.from([0x03, 0x00, 0xf2, 0x67, 0x00, 0x00, 0x03, 0x00])));
  const out = join(work, 'repaired.pst');
  const r = await repairPst(source, { out });
  const item = r.items.find((i) => i.id === '0x200024')!;
  expect(item.status).toBe('partial');
  expect(item.detail).toBe('recipient table unreadable: the row-id column is 3 bytes (expected 4)');
  expect((await scanFile(out)).result.status).toBe('ok');
});

// A subnode whose data block id is 0 (an SLBLOCK entry damaged, CRC re-sealed) has no data: the scan says so, and
// the OLE attachment it belongs to is left out and named (an empty reference would make the new store damaged).
it('leaves out an OLE attachment whose object has a subnode without a data block, and names it', async () => {
  const work = join(dir, 'subnode-no-data');
  mkdirSync(work);
  const buf = Buffer.from(await readFile(join(FIXTURES, 'aspose-SampleOstFile.ost')));
  const m = mapStore(buf);
  // The SLBLOCK entry of subnode 0x8109 (nid, bidData, bidSub: 8 bytes each after the 8-byte header).
  const entries = m.blocks.filter((b) => b.kind === 'sl').flatMap((b) => [...Array((b.cb - 8) / 24).keys()].map((k) => ({ b, at: b.ib + 8 + 24 * k })));
  const hit = entries.filter((e) => buf.readUInt32LE(e.at) === 0x8109);
  expect(hit).toHaveLength(1);
  writeId(buf, hit[0]!.at + 8, 0, 8);
  fixBlockCrc(buf, m.header.layout, hit[0]!.b.ib, hit[0]!.b.cb);
  const source = join(work, 'damaged.ost');
  await writeFile(source, buf);
  const out = join(work, 'repaired.pst');
  const r = await repairPst(source, { out });
  const item = r.items.find((i) => i.id === '0x214f04')!;
  expect(item.status).toBe('partial');
  expect(item.detail).toBe("attachment 2 of 6 ('ATT63152') unreadable: OLE object unreadable: block 0x0: a subnode without a data block");
  expect((await scanFile(out)).result.status).toBe('ok');
});

// An embedded message whose attachment table cannot be read (its row matrix HID damaged by the field generator, seed
// 38; the scan does not read embedded messages' tables): its attachments are found through its subnodes, the table is
// written afresh, the message equals the intact fixture's, and the notes say the table was rebuilt.
it('rebuilds an unreadable attachment table from the attachments themselves and says so', async () => {
  const work = join(dir, 'attachment-table');
  mkdirSync(work);
  const file = join(FIXTURES, 'tika-testPST.pst');
  const source = join(work, 'damaged.pst');
  await writeFile(source, sealedFieldDamage(await readFile(file), 38, 'ltp'));
  const out = join(work, 'repaired.pst');
  const r = await repairPst(source, { out });
  expect(r.items.find((i) => i.id === '0x2000e4')!.status).toBe('kept');
  expect(r.notes).toContain("1 attachment table(s) could not be read; their attachments were found through their messages' subnodes, and the tables written afresh");
  const [intactMessage, repaired] = [(await snapshot(file)).objects.get(0x2000e4)!, (await snapshot(out)).objects.get(0x2000e4)!];
  expect(repaired.attachments[0]!.attachments).toHaveLength(1);
  expect(compareObjects(intactMessage, repaired, { folder: false, ost: false })).toEqual([]);
});

// A B-tree page entry given the NID 0xFFFFFFFF (the largest index; the page field generator, seed 2001) in a store
// whose message must go into Lost and Found: new folders take free indexes from 0x400 up (counting on from the largest
// index would wrap to index 0, and readpst refuses a store with NIDs below 0x21).
it('gives new folders free node ids when a damaged entry carries the largest NID', async () => {
  const work = join(dir, 'largest-nid');
  mkdirSync(work);
  const damaged = sealedMetaDamage(await readFile(join(FIXTURES, 'aspose-AddingBulkMessages-BADHEADERCRC.pst')), 2001, 'pages');
  expect(mapStore(damaged).nodes.some((n) => n.nid === 0xffffffff)).toBe(true);
  const source = join(work, 'damaged.pst');
  await writeFile(source, damaged);
  const out = join(work, 'repaired.pst');
  const r = await repairPst(source, { out });
  expect(r.items.map((i) => [i.status, i.folder])).toEqual([['recovered', 'Top of Personal Folders/Lost and Found/folder']]);
  const before = new Set(mapStore(damaged).nodes.map((n) => n.nid));
  const created = mapStore(await readFile(out)).nodes.filter((n) => !before.has(n.nid) && (n.nid & 0x1f) === 0x02);
  expect(created.length).toBeGreaterThan(0);
  for (const n of created) expect(n.nid >>> 5, hex(n.nid)).toBeGreaterThanOrEqual(0x400);
  await expectScansOkAndReadpstOpens(out, work);
});

// A property-context record whose type is damaged to 0x0000 (unspecified: no store keeps a value of that type; the
// heap field generator, seed 2002): the property is left out and named, and readpst (which crashes on such a
// property) opens the new store.
it('leaves out a named property whose type is damaged to unspecified (0x0000), and readpst opens the store', async () => {
  const work = join(dir, 'unspecified-type');
  mkdirSync(work);
  const source = join(work, 'damaged.pst');
  await writeFile(source, sealedFieldDamage(await readFile(join(FIXTURES, 'pstsdk-sample1.pst')), 2002, 'ltp'));
  const out = join(work, 'repaired.pst');
  const r = await repairPst(source, { out });
  const item = r.items.find((i) => i.id === '0x200024')!;
  expect([item.status, item.detail]).toEqual(['partial', 'property 0x8020 unreadable: unknown property type 0x0']);
  await expectScansOkAndReadpstOpens(out, work);
});

// An attachment that lost a property other than its content (here its MIME type: the record's type damaged, CRC
// re-sealed) is kept with everything else, its bytes unchanged; the message says which property it lost.
it('keeps an attachment whose content is readable when another of its properties is not', async () => {
  const work = join(dir, 'attachment-property');
  mkdirSync(work);
  const file = join(FIXTURES, 'aspose-Outlook.pst');
  const attachBid = await subnodeBlock(file, 0x200104, (subnids) => subnids.filter((nid) => (nid & 0x1f) === 0x05).sort((a, b) => a - b)[0]!);
  // The PC record of PidTagAttachMimeTag (0x370E, PT_UNICODE) given type 0x291E, which no property has.
  const source = join(work, 'damaged.pst');
  await writeFile(source, sealedPatch(await readFile(file), attachBid, Buffer.from([0x0e, 0x37, 0x1f, 0x00]), Buffer.from([0x0e, 0x37, 0x1e, 0x29])));
  const out = join(work, 'repaired.pst');
  const r = await repairPst(source, { out });
  const item = r.items.find((i) => i.id === '0x200104')!;
  expect(item.status).toBe('partial');
  expect(item.detail).toMatch(/^attachment 1 of 12 \('[^']+'\): property 0x370e unreadable: unknown property type 0x291e$/);
  // Every attachment is there, with the same name and bytes as in the intact fixture.
  const attachmentsOf = (file: string) => peerWalk(file).find((m) => m.subject === item.subject)!.attachments;
  expect(attachmentsOf(out)).toEqual(attachmentsOf(file));
});

// A folder or message whose node B-tree entry was given an id below the root folder's (0x122, where only the nodes
// every store has live): the item keeps its place and its contents under a new id. libpff (pffexport) builds its tree
// in id order and refuses a store in which such an item, met before the root folder, hangs below it.
describe.each([
  ['message', 0x200544, 0xa4],
  ['folder', 0x8122, 0xa2],
] as const)('a %s whose id was damaged to one below the root folder\'s', (kind, nid, low) => {
  it('takes a new id, says so, and pffexport opens the new store', async () => {
    const work = join(dir, `low-${kind}-id`);
    mkdirSync(work);
    const intactFile = join(FIXTURES, 'aspose-Test_part1.pst');
    const buf = await readFile(intactFile);
    const m = mapStore(buf);
    const entry = m.nodes.find((n) => n.nid === nid)!;
    buf.writeUInt32LE(low, entry.entryIb);
    fixPageCrc(buf, m.header.layout, entry.pageIb);
    const source = join(work, 'damaged.pst');
    await writeFile(source, buf);
    const out = join(work, 'repaired.pst');
    const r = await repairPst(source, { out });
    const moved = r.notes.find((n) => n.includes('given new ids'))!;
    expect(moved).toMatch(new RegExp(`^1 folder\\(s\\) or message\\(s\\) given new ids \\(${hex(low)} → 0x[0-9a-f]+\\)`));
    const newNid = parseInt(/→ (0x[0-9a-f]+)/.exec(moved)![1]!, 16);
    expect(newNid >>> 5).toBeGreaterThanOrEqual(0x400);
    expect(newNid & 0x1f).toBe(low & 0x1f);
    if (kind === 'message') expect(r.items.find((i) => i.id === hex(low))).toMatchObject({ status: 'recovered', newId: hex(newNid) });
    const nodes = mapStore(await readFile(out)).nodes;
    expect(nodes.filter((n) => n.nid < 0x122 && [0x02, 0x04].includes(n.nid & 0x1f))).toEqual([]);
    expect(nodes.some((n) => n.nid === newNid)).toBe(true);
    // Every message is in the new store with all of its properties (the one that took a new id under that id).
    const repaired = await snapshot(out);
    const intactSnap = await snapshot(intactFile);
    for (const [id, o] of intactSnap.objects) {
      if ((id & 0x1f) !== 0x04) continue;
      const now = repaired.objects.get(kind === 'message' && id === nid ? newNid : id);
      expect(now, hex(id)).toBeDefined();
      expect(compareObjects(o, now!, { folder: false, ost: false }), hex(id)).toEqual([]);
    }
    await expectScansOkAndReadpstOpens(out, work);
    if (HAS_PFFEXPORT) {
      const pf = await pffexportCount(out, join(work, 'pff'));
      expect(pf.code, pf.stderr).toBe(0);
      expect(pf.messages).toBe((await pffexportCount(intactFile, join(work, 'pff-intact'))).messages);
    }
  });
});

// A folder whose container class cannot be read (its record given a type no property has, CRC re-sealed): the new
// store gives it the class the store names it by (the special-folder entry IDs on the root folder and the Inbox, an
// OST's Exchange ones included), else
// the one its items call for, and the folder then equals the intact fixture's.
describe.each([
  ['javalibpst-dist-list.pst', 0x8142, 'IPF.Contact', 'the store names it its contacts folder'],
  ['javalibpst-dist-list.pst', 0x8162, 'IPF.Journal', 'the store names it its journal'],
  ['javalibpst-dist-list.pst', 0x8202, 'IPF.Note', 'the store names it its junk e-mail folder'],
  ['tika-testPST_variousBodyTypes.pst', 0x80a2, 'IPF.Note', '4 of its 4 item(s) belong in such a folder'],
  // An OST names them by Exchange entry IDs (empty folders: no items to go by).
  ['aspose-SampleOstFile.ost', 0x80e2, 'IPF.Journal', 'the store names it its journal'],
  ['aspose-SampleOstFile.ost', 0x8102, 'IPF.Note', 'the store names it its junk e-mail folder'],
] as const)('%s: folder %s whose container class is unreadable', (fixture, nid, cls, why) => {
  it(`is ${cls} again, and the notes say why`, async () => {
    const work = join(dir, `class-${fixture}-${nid.toString(16)}`);
    mkdirSync(work);
    const intactFile = join(FIXTURES, fixture);
    const buf = await readFile(intactFile);
    const folder = mapStore(buf).nodes.find((n) => n.nid === nid)!;
    const source = join(work, 'damaged.pst');
    // PidTagContainerClass (0x3613, PT_UNICODE) given type 0x0020, which no property has.
    await writeFile(source, sealedPatch(buf, folder.bidData, Buffer.from([0x13, 0x36, 0x1f, 0x00]), Buffer.from([0x13, 0x36, 0x20, 0x00])));
    const out = join(work, 'repaired.pst');
    const r = await repairPst(source, { out });
    const path = r.notes.find((n) => n.endsWith('unknown property type 0x20'))!.split("'")[1]!;
    expect(r.notes).toContain(`folder '${path}': its container class could not be read; set to ${cls}: ${why}`);
    const [was, now] = [(await snapshot(intactFile)).objects.get(nid)!, (await snapshot(out)).objects.get(nid)!];
    expect(now.props.get('0x3613')).toBe(`str:${cls}`);
    expect(compareObjects(was, now, { folder: true, ost: fixture.endsWith('.ost') })).toEqual([]);
    await expectScansOkAndReadpstOpens(out, work);
  });
});

// A name-to-id map with an entry whose name is empty (the field generator, pstsdk-sample2, seed 7802): that entry
// names nothing, the values under its id are copied unnamed as in the source, and the new store's map has no empty
// name, which pffexport refuses.
it('writes a name-to-id map pffexport opens when the source\'s map names a property with an empty string', async () => {
  const work = join(dir, 'empty-name');
  mkdirSync(work);
  const source = join(work, 'damaged.pst');
  await writeFile(source, sealedFieldDamage(await readFile(join(FIXTURES, 'pstsdk-sample2.pst')), 7802, 'ndb'));
  const out = join(work, 'repaired.pst');
  const r = await repairPst(source, { out });
  expect(r.notes).toContain("8 named-property id(s) that the source's name-to-id map does not list were copied under the same ids, unnamed as in the source");
  await expectScansOkAndReadpstOpens(out, work);
  if (HAS_PFFEXPORT) {
    const pf = await pffexportCount(out, join(work, 'pff'));
    expect(pf.code, pf.stderr).toBe(0);
  }
});

// Entry IDs are re-pointed to the new store wherever a binary is stored: here a 286-byte value holding the source's
// MAPIUID sits in a subnode (an SLBLOCK entry damaged by the field generator, rubymsg-200-recipients,
// seed 7802), where it is streamed unless read whole; it must come out as a heap value would.
it('re-points entry IDs in a binary stored in a subnode as in one stored in the heap', async () => {
  const work = join(dir, 'subnode-entry-ids');
  mkdirSync(work);
  const source = join(work, 'damaged.pst');
  await writeFile(source, sealedFieldDamage(await readFile(join(FIXTURES, 'rubymsg-200-recipients.pst')), 7802, 'ndb'));
  const out = join(work, 'repaired.pst');
  const r = await repairPst(source, { out });
  expect(r.items.find((i) => i.id === '0x200024')!.status).toBe('kept');
  const [was, now] = [(await snapshot(source)).objects.get(0x200024)!, (await snapshot(out)).objects.get(0x200024)!];
  expect(compareObjects(was, now, { folder: false, ost: false })).toEqual([]);
});

/** The new store scans ok, and readpst (where installed) exports it without an error. */
async function expectScansOkAndReadpstOpens(out: string, work: string): Promise<void> {
  expect((await scanFile(out)).result.status).toBe('ok');
  if (HAS_READPST) {
    const rp = await readpstCount(out, mkdir(work, 'readpst'));
    expect(rp.code, rp.stderr).toBe(0);
  }
}

/** The data block of one subnode (which: `pick` chooses among the subnode NIDs) of message `nid` in `file`. */
async function subnodeBlock(file: string, nid: number, pick: (subnids: number[]) => number): Promise<number> {
  const src = await PstSource.open(file);
  try {
    const ndb = await scanNdb(src, new ProblemLog());
    if ('unreadable' in ndb) throw new Error(ndb.unreadable);
    const node = (await new NodeReader(src, ndb).node(nid))!;
    return node.subnodes.get(pick([...node.subnodes.keys()]))!.bidData;
  } finally {
    await src.close();
  }
}

function mkdir(d: string, name: string): string {
  const p = join(d, name);
  if (!existsSync(p)) mkdirSync(p);
  return p;
}
