import { describe, expect, it } from 'vitest';
import { ExchangeFolders, pstEntryId, repointSpecialFolderIds } from '../../../electron/pst/repair/exchange-ids.ts';
import { joinMv, splitMv } from '../../../electron/pst/repair/convert.ts';
import type { RawProp } from '../../../electron/pst/repair/read.ts';

// An OST's special-folder entry IDs (Exchange folder entry IDs, [MS-OXCDATA] 2.2.4.1) become PST entry IDs of the
// new store: the folder is the one whose Exchange folder ID (OST property 0x67F4) has the same global counter.

const MAILBOX = Buffer.from('975647ad64823b458dacb3f7f1e8d53e', 'hex');
const DB1 = Buffer.from('6aa62d7a1b3ac5449d53431fbea29402', 'hex');
const DB2 = Buffer.from('f6969b54aab8b442a46d2551f038a243', 'hex');
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

function folders(): ExchangeFolders {
  const f = new ExchangeFolders();
  f.add(folderId(1, 0x1d), 0x8022); // Calendar
  f.add(folderId(1, 0x1e), 0x8042); // Contacts
  f.add(folderId(2, 0x19852981), 0x81e2); // RSS Feeds
  return f;
}

describe('Exchange special-folder entry IDs', () => {
  it('re-points single and multi-valued ones, and leaves what names no folder as stored', () => {
    const unknown = exchangeId(DB1, 0x5fe4);
    const raw = [bin(0x36d0, exchangeId(DB1, 0x1d)), bin(0x36d5, unknown), bin(0x36d8, joinMv([exchangeId(DB1, 0x1e), Buffer.alloc(4)]), 0x1102), bin(0x3001, exchangeId(DB1, 0x1d))];
    const r = repointSpecialFolderIds(raw, folders(), NEW_UID);
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
    const r = repointSpecialFolderIds([bin(0x36d9, value)], folders(), NEW_UID);
    expect([r.done, r.unmatched]).toEqual([1, 1]);
    expect(bytesOf(r.raw, 0x36d9)).toEqual(Buffer.concat([block(0x8001, [[0x0002, header], [0x0001, pstEntryId(NEW_UID, 0x81e2)]]), block(0x8004, [[0x0001, exchangeId(DB1, 0x5bee)]]), Buffer.alloc(4)]));
  });

  it('leaves PersistData whose sizes do not add up as stored', () => {
    const value = Buffer.concat([Buffer.from([0x01, 0x80, 0x40, 0x00, 0x01, 0x00, 0x2e, 0x00]), exchangeId(DB2, 0x19852981)]);
    const r = repointSpecialFolderIds([bin(0x36d9, value)], folders(), NEW_UID);
    expect(bytesOf(r.raw, 0x36d9)).toBe(value);
  });

  it('names no folder where two folders share the counter, or where a database GUID would go with two REPLIDs', () => {
    const f = folders();
    f.add(folderId(2, 0x1e), 0x9002); // the Contacts counter under another REPLID: ambiguous
    expect(f.resolve(exchangeId(DB1, 0x1e))).toBeNull();
    expect(f.resolve(exchangeId(DB1, 0x1d))).toBe(0x8022); // DB1 goes with REPLID 1 from now on
    expect(f.resolve(exchangeId(DB1, 0x19852981))).toBeNull(); // a REPLID-2 folder cannot be in DB1
    expect(f.resolve(exchangeId(DB2, 0x1d))).toBeNull(); // nor REPLID 1 in DB2
    expect(f.resolve(exchangeId(DB2, 0x19852981))).toBe(0x81e2);
    // Not an Exchange folder entry ID: a PST one, a message one, flags set.
    expect(f.resolve(pstEntryId(NEW_UID, 0x8022))).toBeNull();
    expect(f.resolve(Buffer.concat([exchangeId(DB1, 0x1d), Buffer.alloc(24)]))).toBeNull();
    const flagged = exchangeId(DB1, 0x1d);
    flagged.writeUInt32LE(1, 0);
    expect(f.resolve(flagged)).toBeNull();
  });
});
