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
// and the entry ID's database GUID goes with that folder's REPLID (see ExchangeFolders).
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

/** An OST folder as the map is built from: its properties as stored, and its node id. */
export interface OstFolder {
  raw: RawProp[];
  nid: number;
}

/**
 * The OST's folders by the global counter of their Exchange folder IDs, built once from every folder. A counter that
 * two folders share names neither. REPLID 0 is left out: it is no REPLID, and the OST's own fixed folders (Inbox,
 * Outbox, Sent Items and the like) carry it with their slot number. Each database GUID is paired with the REPLID that
 * most of the special-folder entry IDs naming it agree on, so that a counter that happens to exist under another
 * REPLID cannot point an entry ID to the wrong folder.
 */
export class ExchangeFolders {
  /** Global counter (hex) → the folder's REPLID and node id; null where two folders share the counter. */
  private readonly byCounter = new Map<string, { replid: number; nid: number } | null>();
  private readonly replidOf = new Map<string, number>();

  constructor(folders: OstFolder[]) {
    for (const f of folders) {
      const p = f.raw.find((q) => q.id === OST_FOLDER_ID && q.type === PT.I8);
      if (!p || !('bytes' in p.value) || p.value.bytes.length !== 8) continue;
      const replid = p.value.bytes.readUInt16LE(0);
      if (replid === 0) continue;
      const counter = p.value.bytes.subarray(2, 8).toString('hex');
      this.byCounter.set(counter, this.byCounter.has(counter) ? null : { replid, nid: f.nid });
    }
    const votes = new Map<string, Map<number, number>>();
    for (const f of folders) {
      mapSpecialFolderIds(f.raw, (b) => {
        const folder = isExchangeFolderEntryId(b) ? this.byCounter.get(counterOf(b)) : null;
        if (folder) {
          const byReplid = votes.get(guidOf(b)) ?? new Map<number, number>();
          byReplid.set(folder.replid, (byReplid.get(folder.replid) ?? 0) + 1);
          votes.set(guidOf(b), byReplid);
        }
        return b;
      });
    }
    for (const [guid, byReplid] of votes) {
      const ranked = [...byReplid].sort((a, b) => b[1] - a[1]);
      // A tie names no REPLID: those entry IDs stay as stored.
      if (ranked.length === 1 || ranked[0]![1] > ranked[1]![1]) this.replidOf.set(guid, ranked[0]![0]);
    }
  }

  /** The node id of the folder an Exchange folder entry ID names; null for anything else. */
  resolve(b: Buffer): number | null {
    if (!isExchangeFolderEntryId(b)) return null;
    const folder = this.byCounter.get(counterOf(b));
    return folder && this.replidOf.get(guidOf(b)) === folder.replid ? folder.nid : null;
  }
}

const guidOf = (entryId: Buffer) => entryId.subarray(22, 38).toString('hex');
const counterOf = (entryId: Buffer) => entryId.subarray(38, 44).toString('hex');

/** Whether `b` is an Exchange folder entry ID (flags 0, 46 bytes). */
export function isExchangeFolderEntryId(b: Buffer): boolean {
  return b.length === EXCHANGE_FOLDER_ENTRY_ID && b.readUInt32LE(0) === 0;
}

/** Whether the properties hold any of the special-folder entry-ID properties (0x36D0–0x36D9). */
export function holdsSpecialFolderIds(raw: RawProp[]): boolean {
  return raw.some((p) => p.id >= 0x36d0 && p.id <= PERSIST);
}

export interface Repointed {
  raw: RawProp[];
  /** Entry IDs re-pointed, and Exchange entry IDs that named no folder of the new store (copied as stored). */
  done: number;
  unmatched: number;
}

/**
 * The folder's properties with the special-folder entry IDs that name a folder replaced by `entryIdOf(its node id)`
 * (the new store's PST entry ID). Values that do not parse are left as they are.
 */
export function repointSpecialFolderIds(raw: RawProp[], folders: ExchangeFolders, entryIdOf: (nid: number) => Buffer): Repointed {
  let done = 0;
  let unmatched = 0;
  const out = mapSpecialFolderIds(raw, (b) => {
    if (!isExchangeFolderEntryId(b)) return b;
    const nid = folders.resolve(b);
    if (nid === null) {
      unmatched++;
      return b;
    }
    done++;
    return entryIdOf(nid);
  });
  return { raw: out, done, unmatched };
}

/** The properties with every entry ID inside the special-folder properties passed through `convert`. */
function mapSpecialFolderIds(raw: RawProp[], convert: (entryId: Buffer) => Buffer): RawProp[] {
  return raw.map((p): RawProp => {
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
    } else if (p.id === PERSIST && p.type === PT.BINARY) next = mapPersistData(b, convert) ?? b;
    return next === b ? p : { ...p, value: { bytes: next } };
  });
}

/** PersistData blocks with every entry-ID element converted; null when the blocks do not add up (left as stored). */
function mapPersistData(b: Buffer, convert: (entryId: Buffer) => Buffer): Buffer | null {
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
