import { PT } from '../writer/props.ts';
import { joinMv, splitMv } from './convert.ts';
import type { RawProp } from './read.ts';

// An OST names its special folders (Calendar, Contacts, Drafts, Junk E-mail, …) on the Inbox and the root folder by
// Exchange folder entry IDs ([MS-OXCDATA] 2.2.4.1: flags, the mailbox's provider UID, folder type, database GUID,
// global counter, pad; 46 bytes), which mean nothing in a PST. The repair re-points them to the new store's PST entry
// IDs ([MS-PST] 2.4.3.2: flags, the store's MAPIUID, node id), so Outlook finds its Calendar, Contacts, … when the
// converted store is its default one. The OST keeps each folder's Exchange folder ID in property 0x67F4 (REPLID, then
// the 6-byte global counter: the layout of [MS-OXCDATA] 2.2.1.1; not in [MS-PST], seen in the OSTs Outlook 2010 and
// later write). An entry ID names the folder with its global counter, where that counter belongs to one folder only
// and its database GUID always goes with that folder's REPLID (a REPLID stands for one database GUID in a mailbox).
// Entry IDs that name no folder of the new store (search folders are not copied) are copied as stored.

const EXCHANGE_FOLDER_ENTRY_ID = 46;
const OST_FOLDER_ID = 0x67f4;

/** Special-folder entry IDs, one binary each ([MS-OXOSFLD] 2.2.2–2.2.3): Calendar, Contacts, Journal, Notes, Tasks, Reminders (online, offline), Drafts. */
const SINGLE = new Set([0x36d0, 0x36d1, 0x36d2, 0x36d3, 0x36d4, 0x36d5, 0x36d6, 0x36d7]);
/** PidTagAdditionalRenEntryIds: Conflicts, Sync Issues, Local Failures, Server Failures, Junk E-mail ([MS-OXOSFLD] 2.2.4). */
const MULTI = 0x36d8;
/** PidTagAdditionalRenEntryIdsEx: PersistData blocks of PersistElements ([MS-OXOSFLD] 2.2.5). */
const PERSIST = 0x36d9;
const RSF_ELID_ENTRYID = 0x0001;
const PERSIST_SENTINEL = 0x0000;

/** The OST's folders by the global counter of their Exchange folder IDs, and what they became in the new store. */
export class ExchangeFolders {
  /** Global counter (hex) → the folder's REPLID and new node id; null where two folders share the counter. */
  private readonly byCounter = new Map<string, { replid: number; nid: number } | null>();
  private readonly replidOf = new Map<string, number>();
  private readonly guidOf = new Map<number, string>();

  /** Registers a folder of the OST (its properties as stored) under its node id in the new store. */
  add(raw: RawProp[], nid: number): void {
    const p = raw.find((q) => q.id === OST_FOLDER_ID && q.type === PT.I8);
    if (!p || !('bytes' in p.value) || p.value.bytes.length !== 8) return;
    const fid = p.value.bytes;
    const counter = fid.subarray(2, 8).toString('hex');
    this.byCounter.set(counter, this.byCounter.has(counter) ? null : { replid: fid.readUInt16LE(0), nid });
  }

  /** The new node id of the folder an Exchange folder entry ID names; null for anything else. */
  resolve(b: Buffer): number | null {
    if (b.length !== EXCHANGE_FOLDER_ENTRY_ID || b.readUInt32LE(0) !== 0) return null;
    const folder = this.byCounter.get(b.subarray(38, 44).toString('hex'));
    if (!folder) return null;
    const guid = b.subarray(22, 38).toString('hex');
    const replid = this.replidOf.get(guid);
    const known = this.guidOf.get(folder.replid);
    if ((replid !== undefined && replid !== folder.replid) || (known !== undefined && known !== guid)) return null;
    this.replidOf.set(guid, folder.replid);
    this.guidOf.set(folder.replid, guid);
    return folder.nid;
  }
}

/** Whether `b` is an Exchange folder entry ID (flags 0, 46 bytes). */
export function isExchangeFolderEntryId(b: Buffer): boolean {
  return b.length === EXCHANGE_FOLDER_ENTRY_ID && b.readUInt32LE(0) === 0;
}

export function pstEntryId(uid: Buffer, nid: number): Buffer {
  const b = Buffer.alloc(24);
  uid.copy(b, 4);
  b.writeUInt32LE(nid >>> 0, 20);
  return b;
}

export interface Repointed {
  raw: RawProp[];
  /** Entry IDs re-pointed, and Exchange entry IDs that named no folder of the new store (copied as stored). */
  done: number;
  unmatched: number;
}

/**
 * The folder's properties with its special-folder entry IDs re-pointed to the new store (MAPIUID `uid`). Values that
 * do not parse are left as they are.
 */
export function repointSpecialFolderIds(raw: RawProp[], folders: ExchangeFolders, uid: Buffer): Repointed {
  let done = 0;
  let unmatched = 0;
  const convert = (b: Buffer): Buffer => {
    if (!isExchangeFolderEntryId(b)) return b;
    const nid = folders.resolve(b);
    if (nid === null) {
      unmatched++;
      return b;
    }
    done++;
    return pstEntryId(uid, nid);
  };
  const out = raw.map((p): RawProp => {
    if (!('bytes' in p.value)) return p;
    const b = p.value.bytes;
    let next = b;
    if (SINGLE.has(p.id) && p.type === PT.BINARY) next = convert(b);
    else if (p.id === MULTI && p.type === (PT.MV | PT.BINARY)) {
      const items = splitMv(b);
      if (items) {
        const converted = items.map(convert);
        if (converted.some((c, i) => c !== items[i])) next = joinMv(converted);
      }
    } else if (p.id === PERSIST && p.type === PT.BINARY) next = repointPersistData(b, convert) ?? b;
    return next === b ? p : { ...p, value: { bytes: next } };
  });
  return { raw: out, done, unmatched };
}

/** PersistData blocks with every entry-ID element converted; null when the blocks do not add up (left as stored). */
function repointPersistData(b: Buffer, convert: (entryId: Buffer) => Buffer): Buffer | null {
  const parts: Buffer[] = [];
  let changed = false;
  let at = 0;
  while (at + 4 <= b.length) {
    const persistId = b.readUInt16LE(at);
    const size = b.readUInt16LE(at + 2);
    if (persistId === PERSIST_SENTINEL) break;
    if (at + 4 + size > b.length) return null;
    const elements: Buffer[] = [];
    for (let e = at + 4; e < at + 4 + size; ) {
      if (e + 4 > at + 4 + size) return null;
      const elementId = b.readUInt16LE(e);
      const len = b.readUInt16LE(e + 2);
      if (e + 4 + len > at + 4 + size) return null;
      const data = b.subarray(e + 4, e + 4 + len);
      const next = elementId === RSF_ELID_ENTRYID ? convert(data) : data;
      if (next !== data) changed = true;
      const head = Buffer.alloc(4);
      head.writeUInt16LE(elementId, 0);
      head.writeUInt16LE(next.length, 2);
      elements.push(head, next);
      e += 4 + len;
    }
    const body = Buffer.concat(elements);
    const head = Buffer.alloc(4);
    head.writeUInt16LE(persistId, 0);
    head.writeUInt16LE(body.length, 2);
    parts.push(head, body);
    at += 4 + size;
  }
  // Whatever follows (the sentinel and any padding) is kept as it is.
  parts.push(b.subarray(at));
  return changed ? Buffer.concat(parts) : b;
}
