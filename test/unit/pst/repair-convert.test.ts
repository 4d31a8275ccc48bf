import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseNameToIdMap, PS_PUBLIC_STRINGS, readNameToIdMap, type NamedProp } from '../../../electron/pst/nameid.ts';
import { scanNdb } from '../../../electron/pst/ndb.ts';
import { NodeReader } from '../../../electron/pst/nodes.ts';
import { ProblemLog } from '../../../electron/pst/problems.ts';
import { PstSource } from '../../../electron/pst/source.ts';
import { StoreWriter } from '../../../electron/pst/writer/store.ts';
import { convertValue, invalidValue, knownTag, joinMv, mapTag, splitMv, type ConvertContext } from '../../../electron/pst/repair/convert.ts';
import { repairFinding, repairItemsCsv, type RepairResult } from '../../../electron/pst/repair.ts';
import { NameMap } from '../../../electron/pst/writer/nameid.ts';
import { codepageOf } from '../../../electron/pst/repair/copy.ts';

// The pure parts of the repair: how a property's tag and bytes change on the way into the new store, the
// name-to-id map handing out ids, and the finding and CSV made from a result.

const PSETID_COMMON = '0820060000000000c000000000000046';
const reminderSet: NamedProp = { guid: PSETID_COMMON, kind: 'id', id: 0x8503 };
const keywords: NamedProp = { guid: PS_PUBLIC_STRINGS, kind: 'name', name: 'Keywords' };

function ctx(extra: Partial<ConvertContext> = {}): ConvertContext {
  return { ansi: false, codepage: 1252, names: new Map([[0x8001, reminderSet], [0x8002, keywords]]), out: new NameMap(), uid: null, ost: false, ...extra };
}

describe('mapTag', () => {
  it('keeps ordinary tags, and maps named ids through the new store\'s map by name', () => {
    const c = ctx();
    expect(mapTag(0x0037, 0x001f, c)).toEqual({ tag: 0x0037001f });
    const a = mapTag(0x8002, 0x101f, c);
    const b = mapTag(0x8001, 0x000b, c);
    expect(a).toEqual({ tag: 0x8000101f });
    expect(b).toEqual({ tag: 0x8001000b });
    expect([...c.out.entries.values()]).toEqual([keywords, reminderSet]);
  });

  it('keeps the source\'s ids where the new map has them free', () => {
    const c = ctx();
    c.out.keep(0x8001, reminderSet);
    c.out.keep(0x8002, keywords);
    expect(mapTag(0x8002, 0x001f, c)).toEqual({ tag: 0x8002001f });
  });

  it('copies an id the source map does not name under the same id, and reserves it', () => {
    const c = ctx();
    expect(mapTag(0x80f3, 0x0040, c)).toEqual({ tag: 0x80f30040, unnamed: true });
    expect(c.out.idFor({ guid: PSETID_COMMON, kind: 'id', id: 1 })).toBe(0x80f4);
  });

  it('turns 8-bit string types into Unicode ones for an ANSI source, and drops an OST\'s provider-internal range', () => {
    expect(mapTag(0x0037, 0x001e, ctx({ ansi: true }))).toEqual({ tag: 0x0037001f });
    expect(mapTag(0x8002, 0x101e, ctx({ ansi: true }))).toEqual({ tag: 0x8000101f });
    expect(mapTag(0x6743, 0x0014, ctx({ ost: true }))).toEqual({ drop: 'offline' });
    expect(mapTag(0x6743, 0x0014, ctx())).toEqual({ tag: 0x67430014 });
  });
});

describe('convertValue', () => {
  it.each([[1252, 'Grüße, café'], [1251, 'Счёт за неделю'], [932, '四半期の予算 会議']])('decodes code page %i to UTF-16', (cp, text) => {
    const c = ctx({ ansi: true, codepage: cp });
    expect(convertValue(0x0037, 0x001e, iconv.encode(text, `cp${cp}`), c)!.toString('utf16le')).toBe(text);
    const mv = joinMv(['eins', text, ''].map((s) => iconv.encode(s, `cp${cp}`)));
    expect(splitMv(convertValue(0x8001, 0x101e, mv, c)!)!.map((b) => b.toString('utf16le'))).toEqual(['eins', text, '']);
  });

  it('re-points entry IDs of the source store to the new store, and leaves other bytes alone', () => {
    const from = Buffer.alloc(16, 0xaa);
    const to = Buffer.alloc(16, 0xbb);
    const eid = Buffer.concat([Buffer.alloc(4), from, Buffer.from([0x22, 0x80, 0, 0])]);
    const c = ctx({ uid: { from, to } });
    // PidTagParentEntryId, PidTagAdditionalRenEntryIds (multi-valued), PidTagDisplayName
    expect(convertValue(0x0e09, 0x0102, eid, c)).toEqual(Buffer.concat([Buffer.alloc(4), to, Buffer.from([0x22, 0x80, 0, 0])]));
    expect(convertValue(0x36d8, 0x1102, joinMv([eid, eid]), c)!.includes(from)).toBe(false);
    expect(convertValue(0x3001, 0x001f, Buffer.concat([from]), c)).toEqual(from); // strings are never touched
  });

  it('copies bodies and attachment bytes byte for byte, even where the source store id occurs in them', () => {
    const from = Buffer.alloc(16, 0xaa);
    const c = ctx({ uid: { from, to: Buffer.alloc(16, 0xbb) } });
    const content = Buffer.concat([Buffer.from('<p>'), from, Buffer.from('</p>')]);
    // PidTagRtfCompressed, PidTagHtml, PidTagAttachDataBinary, PidTagAttachRendering
    for (const id of [0x1009, 0x1013, 0x3701, 0x3709]) expect(convertValue(id, 0x0102, content, c)).toEqual(content);
  });

  it('splitMv inverts joinMv for any list of values', () => {
    fc.assert(fc.property(fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 20 }), (items) => {
      const bufs = items.map((i) => Buffer.from(i));
      expect(splitMv(joinMv(bufs))).toEqual(bufs);
    }));
  });

  it('knownTag takes type 0x0000 (unspecified) only as the empty placeholder tag 0x00000000', () => {
    expect(knownTag(0x0000, 0x0000)).toBe(true);
    expect(knownTag(0x8020, 0x0000)).toBe(false);
    expect(knownTag(0x0037, 0x0000)).toBe(false);
    expect(knownTag(0x8020, 0x0003)).toBe(true);
    expect(knownTag(0x0037, 0xc91e)).toBe(false);
  });

  it('invalidValue rejects what a damaged block can carry', () => {
    expect(invalidValue(0xc91e, Buffer.alloc(4))).toMatch(/unknown property type/);
    expect(invalidValue(0x0040, Buffer.alloc(7))).toMatch(/8-byte value of 7 bytes/);
    expect(invalidValue(0x001f, Buffer.alloc(3))).toMatch(/odd length/);
    expect(invalidValue(0x1003, Buffer.alloc(6))).toMatch(/multi-valued 4-byte/);
    expect(invalidValue(0x101f, Buffer.from([9, 0, 0, 0]))).toMatch(/does not add up/);
    expect(invalidValue(0x0003, Buffer.alloc(4), true)).toBeNull();
    expect(invalidValue(0x0048, Buffer.alloc(16))).toBeNull();
    expect(invalidValue(0x0000, Buffer.alloc(0))).toBeNull();
  });
});

describe('codepageOf', () => {
  const long = (id: number, v: number) => ({ id, type: 0x0003, value: { bytes: Buffer.from(Int32Array.of(v).buffer) } });
  it('takes the message code page, else the Internet code page, else the store\'s', () => {
    expect(codepageOf([long(0x3ffd, 1251), long(0x3fde, 20866)], 1252)).toBe(1251);
    expect(codepageOf([long(0x3fde, 20866)], 1252)).toBe(20866);
    expect(codepageOf([], 932)).toBe(932);
  });
  it('passes over UTF-8 and US-ASCII Internet code pages, which would turn 8-bit bytes into U+FFFD', () => {
    expect(codepageOf([long(0x3fde, 65001)], 1252)).toBe(1252);
    expect(codepageOf([long(0x3fde, 20127)], 1252)).toBe(1252);
    expect(codepageOf([long(0x3ffd, 20127)], 1251)).toBe(1251);
    // What that keeps: 'é' read with the store's code page instead of a replacement character.
    expect(convertValue(0x0037, 0x001e, Buffer.from([0x3c, 0xe9, 0x3e]), ctx({ ansi: true, codepage: codepageOf([long(0x3fde, 20127)], 1252) }))).toEqual(Buffer.from('<é>', 'utf16le'));
  });
});

describe('name-to-id map', () => {
  it('what the writer writes (ids kept, new ones after them), the reader parses back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nameid-'));
    try {
      const file = join(dir, 'names.pst');
      const w = new StoreWriter(file, { format: 'unicode', encoding: 'permute', ost: false });
      w.names.keep(0x8005, reminderSet);
      expect(w.names.idFor(keywords)).toBe(0x8006);
      expect(w.names.idFor(reminderSet)).toBe(0x8005);
      const subject = { guid: 'f1e2d3c4b5a697887766554433221100', kind: 'name' as const, name: 'X-Ünïcode-Header' };
      expect(w.names.idFor(subject)).toBe(0x8007);
      for (const [nid, parent, name] of [[0x122, 0x122, ''], [0x8022, 0x122, 'Top'], [0x8042, 0x122, 'Search Root'], [0x8062, 0x8022, 'Deleted Items']] as const) {
        w.addFolder(nid, parent, [w.kit.str(0x3001, name)]);
      }
      w.finish({ props: [], ipmSubtree: 0x8022, wastebasket: 0x8062, finder: 0x8042 });
      const src = await PstSource.open(file);
      try {
        const ndb = await scanNdb(src, new ProblemLog());
        if ('unreadable' in ndb) throw new Error(ndb.unreadable);
        const read = await readNameToIdMap(new NodeReader(src, ndb));
        expect(read?.damage).toBeNull();
        expect([...read!.map]).toEqual([[0x8005, reminderSet], [0x8006, keywords], [0x8007, subject]]);
      } finally {
        await src.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('name-to-id map ids and names', () => {
  it('hands out the lowest free id once an id at the top of the range is kept for a value copied unnamed', () => {
    const m = new NameMap();
    expect(m.reserve(0xfffe)).toBe(true);
    expect(m.unused).toBe(0x8000);
    expect(m.keep(0x8000, reminderSet)).toBe(true);
    expect(m.unused).toBe(0x8001);
    expect(m.idFor(keywords)).toBe(0x8001);
    expect(m.unused).toBe(0x8002);
  });

  it('takes no name for an entry whose name is empty (damage: MAPI names are non-empty)', () => {
    const entry = (offset: number, index: number) => {
      const b = Buffer.alloc(8);
      b.writeUInt32LE(offset, 0);
      b.writeUInt16LE((2 << 1) | 1, 4); // PS_PUBLIC_STRINGS, a named (string) property
      b.writeUInt16LE(index, 6);
      return b;
    };
    const name = Buffer.from('Keywords', 'utf16le');
    const strings = Buffer.concat([Buffer.alloc(4), Buffer.from([name.length, 0, 0, 0]), name]);
    const map = parseNameToIdMap(Buffer.alloc(0), Buffer.concat([entry(0, 0), entry(4, 1)]), strings);
    expect([...map]).toEqual([[0x8001, keywords]]);
  });
});

describe('writer ids', () => {
  it('refuses a folder or message id below the root folder\'s, and a root folder that is not 0x122', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ids-'));
    const w = new StoreWriter(join(dir, 'ids.pst'), { format: 'unicode', encoding: 'permute', ost: false });
    try {
      expect(() => w.addFolder(0xa2, 0xa2, [])).toThrow('root folder id 0xa2 is not 0x122');
      w.addFolder(0x122, 0x122, []);
      expect(() => w.addFolder(0xa2, 0x122, [])).toThrow("folder id 0xa2 is below the root folder's (0x122)");
      w.addFolder(0x8022, 0x122, []);
      const m = w.message().finish([]);
      expect(() => w.addMessage(0x8022, 0xa4, m, [])).toThrow("message id 0xa4 is below the root folder's (0x122)");
      expect(() => w.addMessage(0x8022, 0x200024, m, [])).not.toThrow();
    } finally {
      w.abort();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('finding and CSV', () => {
  const result: Omit<RepairResult, 'scan'> = {
    source: '/mail/old.pst', sourceFormat: 'ansi', sourceKind: 'pst', sourceStatus: 'damaged',
    outputs: [{ path: '/mail/new.pst', bytes: 3 * 1024 * 1024, folders: 9, messages: 3 }],
    counts: { kept: 1, partial: 1, recovered: 1, lost: 1 },
    items: [
      { status: 'kept', id: '0x200024', folder: 'Top/Inbox', subject: 'Hello', sender: 'Ann', date: '2024-01-01T00:00:00.000Z', detail: '' },
      { status: 'partial', id: '0x200044', folder: 'Top/Inbox', subject: '=SUM(A1)', sender: 'Bo, Jr.', date: null, detail: 'attachment 2 of 3 unreadable: block 0x150: block CRC mismatch' },
      { status: 'recovered', id: '0x200064', folder: 'Top/Lost and Found/Inbox', subject: 'Found', sender: '', date: null, detail: 'not listed in any folder' },
      { status: 'lost', id: '0x200084', folder: 'Top/Inbox', subject: 'Gone "quoted"', sender: 'Cy', date: null, detail: 'its properties are unreadable' },
    ],
    notes: ['1 search folder(s) not copied'],
  };

  it('sums the result up in plain words, the original unchanged', () => {
    const scan = { problems: [{ severity: 'error' as const, structure: 'block', offset: 0x150, detail: 'block 0x150: block CRC mismatch', affects: [] as string[] }] };
    const f = repairFinding(result, scan);
    expect(f).toMatchObject({ id: 'pst.repair', area: 'pst', severity: 'error' });
    expect(f.title).toBe('3 items of 4 from /mail/old.pst written to a new PST; 2 incomplete or lost');
    expect(f.detail).toMatch(/^The source is damaged: 1 structural problem \(first: block 0x150: block CRC mismatch\); the new store is built around it\. 1 item kept whole, 1 copied with parts missing, 1 recovered into "Lost and Found", 1 could not be read and are listed as lost\. New store: \/mail\/new\.pst \(3\.0 MB/);
    expect(f.detail).toMatch(/The original file was not changed\./);
    const whole = { ...result, counts: { kept: 4, partial: 0, recovered: 0, lost: 0 } };
    expect(repairFinding({ ...whole, sourceStatus: 'ok' }).severity).toBe('info');
    // Every item survived, but the user should still move to the new file.
    expect(repairFinding(whole, scan).severity).toBe('warning');
  });

  it('lists every item as RFC 4180 CSV with formula-like text neutralised', () => {
    const lines = repairItemsCsv(result).split('\r\n');
    expect(lines[0]).toBe('status,folder,subject,sender,date,detail,id');
    expect(lines[1]).toBe('kept,Top/Inbox,Hello,Ann,2024-01-01T00:00:00.000Z,,0x200024');
    expect(lines[2]).toBe(`partial,Top/Inbox,'=SUM(A1),"Bo, Jr.",,attachment 2 of 3 unreadable: block 0x150: block CRC mismatch,0x200044`);
    expect(lines[4]).toBe('lost,Top/Inbox,"Gone ""quoted""",Cy,,its properties are unreadable,0x200084');
    expect(lines).toHaveLength(6);
  });
});
