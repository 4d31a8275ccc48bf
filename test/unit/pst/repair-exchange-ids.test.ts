import { describe, expect, it } from 'vitest';
import { ExchangeFolders, repointSpecialFolderIds, type OstFolder } from '../../../electron/pst/repair/exchange-ids.ts';
import { joinMv, splitMv } from '../../../electron/pst/repair/convert.ts';
import type { RawProp } from '../../../electron/pst/repair/read.ts';

// An OST's special-folder entry IDs (Exchange folder entry IDs, [MS-OXCDATA] 2.2.4.1) become PST entry IDs of the
// new store: the folder is the one whose Exchange folder ID (OST property 0x67F4) has the same global counter.

const MAILBOX = Buffer.from('975647ad64823b458dacb3f7f1e8d53e', 'hex');
const DB1 = Buffer.from('6aa62d7a1b3ac5449d53431fbea29402', 'hex');
const DB2 = Buffer.from('f6969b54aab8b442a46d2551f038a243', 'hex');
const DB3 = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
const NEW_UID = Buffer.from('272c52c4919214c17020d590580767ee', 'hex');

/** A 46-byte Exchange folder entry ID: flags, provider UID, folder type 1, database GUID, counter (big-endian), pad. */
function exchangeId(db: Buffer, counter: number): Buffer {
  const b = Buffer.alloc(46);
  MAILBOX.copy(b, 4);
  b.writeUInt16LE(1, 20);
  db.copy(b, 22);
  b.writeUIntBE(counter, 38, 6);
  return b;
}
/** A PST entry ID of the new store ([MS-PST] 2.4.3.2: flags, MAPIUID, node id). */
function pstEntryId(uid: Buffer, nid: number): Buffer {
  const b = Buffer.alloc(24);
  uid.copy(b, 4);
  b.writeUInt32LE(nid, 20);
  return b;
}
const toNew = (nid: number) => pstEntryId(NEW_UID, nid);
/** An OST folder's 0x67F4: REPLID (little-endian), then the counter (big-endian). */
function folderId(replid: number, counter: number): RawProp[] {
  const b = Buffer.alloc(8);
  b.writeUInt16LE(replid, 0);
  b.writeUIntBE(counter, 2, 6);
  return [{ id: 0x67f4, type: 0x0014, value: { bytes: b } }];
}
const bin = (id: number, bytes: Buffer, type = 0x0102): RawProp => ({ id, type, value: { bytes } });
const bytesOf = (raw: RawProp[], id: number) => {
  const v = raw.find((p) => p.id === id)!.value;
  return 'bytes' in v ? v.bytes : null;
};

/** Calendar, Contacts and RSS Feeds under REPLIDs 1 and 2, and the Inbox (a fixed folder: REPLID 0) holding `inbox`. */
function folders(inbox: RawProp[], extra: OstFolder[] = []): ExchangeFolders {
  return new ExchangeFolders([
    { raw: folderId(1, 0x1d), nid: 0x8022 },
    { raw: folderId(1, 0x1e), nid: 0x8042 },
    { raw: folderId(2, 0x19852981), nid: 0x81e2 },
    { raw: [...inbox, ...folderId(0, 0x0c)], nid: 0x2182 },
    ...extra,
  ]);
}

describe('Exchange special-folder entry IDs', () => {
  it('re-points single and multi-valued ones, and leaves what names no folder as stored', () => {
    const unknown = exchangeId(DB1, 0x5fe4);
    const raw = [bin(0x36d0, exchangeId(DB1, 0x1d)), bin(0x36d5, unknown), bin(0x36d8, joinMv([exchangeId(DB1, 0x1e), Buffer.alloc(4)]), 0x1102), bin(0x3001, exchangeId(DB1, 0x1d))];
    const r = repointSpecialFolderIds(raw, folders(raw), toNew);
    expect([r.done, r.unmatched]).toEqual([2, 1]);
    expect(bytesOf(r.raw, 0x36d0)).toEqual(pstEntryId(NEW_UID, 0x8022));
    expect(bytesOf(r.raw, 0x36d5)).toBe(unknown);
    expect(splitMv(bytesOf(r.raw, 0x36d8)!)).toEqual([pstEntryId(NEW_UID, 0x8042), Buffer.alloc(4)]);
    // Only the special-folder properties are touched.
    expect(r.raw[3]).toBe(raw[3]);
  });

  it('rewrites PersistData blocks with the sizes of the shorter entry IDs', () => {
    const block = (persistId: number, elements: [number, Buffer][]) => {
      const body = Buffer.concat(elements.map(([id, data]) => Buffer.concat([Buffer.from([id & 0xff, id >> 8, data.length & 0xff, data.length >> 8]), data])));
      return Buffer.concat([Buffer.from([persistId & 0xff, persistId >> 8, body.length & 0xff, body.length >> 8]), body]);
    };
    const header = Buffer.from([0, 0, 0, 0]);
    const value = Buffer.concat([block(0x8001, [[0x0002, header], [0x0001, exchangeId(DB2, 0x19852981)]]), block(0x8004, [[0x0001, exchangeId(DB1, 0x5bee)]]), Buffer.alloc(4)]);
    const raw = [bin(0x36d9, value)];
    const r = repointSpecialFolderIds(raw, folders(raw), toNew);
    expect([r.done, r.unmatched]).toEqual([1, 1]);
    expect(bytesOf(r.raw, 0x36d9)).toEqual(Buffer.concat([block(0x8001, [[0x0002, header], [0x0001, pstEntryId(NEW_UID, 0x81e2)]]), block(0x8004, [[0x0001, exchangeId(DB1, 0x5bee)]]), Buffer.alloc(4)]));
  });

  it('leaves PersistData whose sizes do not add up as stored', () => {
    const value = Buffer.concat([Buffer.from([0x01, 0x80, 0x40, 0x00, 0x01, 0x00, 0x2e, 0x00]), exchangeId(DB2, 0x19852981)]);
    const raw = [bin(0x36d9, value)];
    const r = repointSpecialFolderIds(raw, folders(raw), toNew);
    expect(bytesOf(r.raw, 0x36d9)).toBe(value);
  });

  it('pairs each database GUID with the REPLID most entry IDs agree on; shared counters and REPLID 0 name nothing', () => {
    const inbox = [
      bin(0x36d0, exchangeId(DB1, 0x1d)),
      bin(0x36d1, exchangeId(DB1, 0x1e)),
      bin(0x36d2, exchangeId(DB1, 0x19852981)), // a counter that exists under REPLID 2: outvoted
      bin(0x36d3, exchangeId(DB1, 0x21)),
      bin(0x36d4, exchangeId(DB2, 0x19852981)),
      bin(0x36d5, exchangeId(DB3, 0x1d)), // DB3: one vote for REPLID 1, one for REPLID 2, a tie
      bin(0x36d6, exchangeId(DB3, 0x19852981)),
    ];
    const f = folders(inbox, [{ raw: folderId(1, 0x21), nid: 0x8122 }, { raw: folderId(2, 0x1e), nid: 0x9002 }]);
    expect(f.resolve(exchangeId(DB1, 0x1d))).toBe(0x8022);
    expect(f.resolve(exchangeId(DB1, 0x21))).toBe(0x8122);
    expect(f.resolve(exchangeId(DB1, 0x19852981))).toBeNull();
    expect(f.resolve(exchangeId(DB2, 0x19852981))).toBe(0x81e2);
    expect(f.resolve(exchangeId(DB2, 0x1d))).toBeNull();
    expect(f.resolve(exchangeId(DB1, 0x1e))).toBeNull(); // two folders have this counter
    expect(f.resolve(exchangeId(DB1, 0x0c))).toBeNull(); // the Inbox's slot under REPLID 0
    expect(f.resolve(exchangeId(DB3, 0x1d))).toBeNull();
    expect(f.resolve(exchangeId(DB3, 0x19852981))).toBeNull();
    // Not an Exchange folder entry ID: a PST one, a longer one, flags set.
    expect(f.resolve(pstEntryId(NEW_UID, 0x8022))).toBeNull();
    expect(f.resolve(Buffer.concat([exchangeId(DB1, 0x1d), Buffer.alloc(24)]))).toBeNull();
    const flagged = exchangeId(DB1, 0x1d);
    flagged.writeUInt32LE(1, 0);
    expect(f.resolve(flagged)).toBeNull();
  });
});
