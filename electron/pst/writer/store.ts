import { randomBytes } from 'node:crypto';
import { writeContentsTables, writeFolderObject, rowOf, contentsColumns, assocColumns } from './folder.ts';
import { NID, nidType, TYPE } from '../nids.ts';
import type { ContentsRow } from './ids.ts';
import { NodeBuilder } from './ltp.ts';
import { MessageBuilder, type WrittenNode } from './message.ts';
import { NameMap, writeNameToIdMap } from './nameid.ts';
import { NdbWriter, type NdbStats } from './ndb.ts';
import { PropKit, propId, PT, tagOf, type Prop } from './props.ts';
import {
  HIERARCHY_COLUMNS, CONTENTS_COLUMNS, ASSOC_CONTENTS_COLUMNS, SEARCH_CONTENTS_COLUMNS, ATTACHMENT_COLUMNS, RECIPIENT_COLUMNS,
  RECEIVE_FOLDER_COLUMNS, TAG_RECEIVE_FOLDER_NID, OTHER_TEMPLATES,
} from './templates.ts';
import type { Variant } from './variant.ts';

export type { WrittenNode };

// The messaging layer ([MS-PST] 2.4) of one store: folders registered first, messages written as they come (each
// one's bytes go straight to disk; a folder keeps only its table rows until its contents tables are written), then
// finish() writes every folder object with its computed counts, the message store, the name-to-id map, the table
// templates and the receive-folder table, the way a store Outlook creates carries them (shared fixture
// ms-outlook-pst-rs-Empty.pst). Callers decide which folders exist; the store's special folders are named in finish().

export interface StoreWriterOptions extends Variant {
  /** Refuse to grow the store past this many bytes (default: the format's own limit). */
  maxFileBytes?: number;
  /** fsync before closing. */
  durable?: boolean;
  /** Create the file exclusively (fail when it exists). */
  exclusive?: boolean;
  /** HEADER.dwUnique (random when not given). */
  dwUnique?: number;
  /** The store's MAPIUID: PidTagRecordKey and the middle of every entry ID (random when not given). */
  providerUid?: Buffer;
  /** Code page of an ANSI store's 8-bit strings. */
  codepage?: number;
}

export const PR_MESSAGE_FLAGS = 0x0e070003;
const MSGFLAG_READ = 0x01;
const PR_CONTENT_COUNT = 0x3602;
const PR_CONTENT_UNREAD = 0x3603;
const PR_SUBFOLDERS = 0x360a;
/** PST-provider counts of a folder's associated (FAI) messages, kept only where the folder had them. */
const PR_ASSOC_COUNT = 0x6635;
const PR_ASSOC_UNREAD = 0x6636;

/** Store entry-ID properties ([MS-OXPROPS]) and the PidTagValidFolderMask bit each one sets. */
export const STORE_FOLDER_IDS = [
  { id: 0x35e0, bit: 0x01 }, // IPM subtree
  { id: 0x35e2, bit: 0x04 }, // Outbox
  { id: 0x35e3, bit: 0x08 }, // Deleted Items
  { id: 0x35e4, bit: 0x10 }, // Sent Items
  { id: 0x35e5, bit: 0x20 }, // Views
  { id: 0x35e6, bit: 0x40 }, // Common views
  { id: 0x35e7, bit: 0x80 }, // Finder (Search Root)
] as const;
const PR_VALID_FOLDER_MASK = 0x35df;
const PR_RECORD_KEY = 0x0ff9;

/**
 * PST-provider properties of the message store in the empty store Microsoft ships (shared fixture
 * ms-outlook-pst-rs-Empty.pst), given to a new store that was not handed its own: PidTagPstLrNoRestrictions (true),
 * 0x66FA (0x000E0011, as there and in the shared OST), PidTagPstPassword (0: none).
 */
const NEW_STORE_DEFAULTS: readonly Prop[] = [
  { tag: 0x6633000b, value: Buffer.from([1]) },
  { tag: 0x66fa0003, value: Buffer.from([0x11, 0x00, 0x0e, 0x00]) },
  { tag: 0x67ff0003, value: Buffer.alloc(4) },
];

interface FolderEntry {
  nid: number;
  parent: number;
  props: Prop[];
  children: number[];
  messages: number;
  unread: number;
  assoc: number;
  assocUnread: number;
  rows: ContentsRow[];
  assocRows: ContentsRow[];
  tablesWritten: boolean;
}

export interface StoreSpec {
  /** Properties of the message store (NID 0x21); the record key, folder entry IDs and valid-folder mask are added. */
  props: Prop[];
  ipmSubtree: number;
  wastebasket: number;
  finder: number;
  /** Further store entry IDs (Outbox, Sent Items, views) by property id → folder NID; absent folders are left out. */
  folderIds?: Map<number, number>;
  /** Receive folder table rows: message class → folder (default: "" → the IPM subtree). */
  receive?: { cls: string; nid: number }[];
}

export class StoreWriter {
  readonly ndb: NdbWriter;
  readonly kit: PropKit;
  readonly names = new NameMap();
  readonly uid: Buffer;
  private readonly folders = new Map<number, FolderEntry>();
  private messageCount = 0;

  constructor(
    readonly path: string,
    opts: StoreWriterOptions,
  ) {
    this.uid = opts.providerUid ?? randomBytes(16);
    this.ndb = new NdbWriter(path, opts, opts.dwUnique ?? randomBytes(4).readUInt32LE(0), { maxBytes: opts.maxFileBytes, durable: opts.durable, exclusive: opts.exclusive });
    this.kit = new PropKit(this.ndb.g.unicodeStrings, opts.codepage);
  }

  get messages(): number {
    return this.messageCount;
  }

  /** A PST entry ID for an object of this store ([MS-OXCDATA] 2.2.4.2 with the PST's own MAPIUID). */
  entryId(nid: number): Buffer {
    const b = Buffer.alloc(24);
    this.uid.copy(b, 4);
    b.writeUInt32LE(nid >>> 0, 20);
    return b;
  }

  /** Registers a folder. Its PC and hierarchy table are written by finish(), with counts and flags computed. */
  addFolder(nid: number, parent: number, props: Prop[]): void {
    if (this.folders.has(nid)) throw new Error(`folder 0x${nid.toString(16)} added twice`);
    belowRootCheck(nid, nid === parent ? 'root folder' : 'folder');
    this.folders.set(nid, { nid, parent, props, children: [], messages: 0, unread: 0, assoc: 0, assocUnread: 0, rows: [], assocRows: [], tablesWritten: false });
    if (nid !== parent) this.folders.get(parent)?.children.push(nid);
  }

  hasFolder(nid: number): boolean {
    return this.folders.has(nid);
  }

  /** Replaces a registered folder's properties (computed ones are still set by finish()). */
  setFolderProps(nid: number, props: Prop[]): void {
    this.folder(nid).props = props;
  }

  private folder(nid: number): FolderEntry {
    const f = this.folders.get(nid);
    if (!f) throw new Error(`folder 0x${nid.toString(16)} was not added`);
    return f;
  }

  message(): MessageBuilder {
    return new MessageBuilder(this.ndb, this.kit);
  }

  /** Files a written message in a folder: its NBT entry (parent = the folder) and its (associated) contents row. */
  addMessage(folderNid: number, nid: number, written: WrittenNode, props: Prop[], assoc = false): void {
    const f = this.folder(folderNid);
    if (f.tablesWritten) throw new Error(`folder 0x${folderNid.toString(16)}: its contents tables are already written`);
    belowRootCheck(nid, 'message');
    this.ndb.addNode(nid, written.bidData, written.bidSub, folderNid);
    const flags = props.find((p) => p.tag === PR_MESSAGE_FLAGS)?.value;
    const unread = Buffer.isBuffer(flags) && flags.length >= 4 ? (flags.readUInt32LE(0) & MSGFLAG_READ) === 0 : false;
    if (assoc) {
      f.assoc++;
      if (unread) f.assocUnread++;
      f.assocRows.push(rowOf(nid, props, assocColumns(this.kit)));
    } else {
      f.messages++;
      if (unread) f.unread++;
      f.rows.push(rowOf(nid, props, contentsColumns(this.kit)));
      this.messageCount++;
    }
  }

  /** Writes a folder's contents tables now, so its rows need not be kept; no message may be added to it later. */
  closeContents(folderNid: number): void {
    const f = this.folder(folderNid);
    if (f.tablesWritten) return;
    writeContentsTables(this.ndb, this.kit, f.nid, f.rows, f.assocRows);
    f.rows = [];
    f.assocRows = [];
    f.tablesWritten = true;
  }

  /** Bytes the folders' pending table rows will take (a rough upper bound, for size projections). */
  pendingTableBytes(): number {
    let n = 0;
    for (const f of this.folders.values()) {
      n += 2048 + (f.tablesWritten ? 0 : 4096 + (f.rows.length + f.assocRows.length) * 512);
      for (const p of f.props) n += Buffer.isBuffer(p.value) ? p.value.length + 16 : 16;
    }
    return n;
  }

  private computed(f: FolderEntry): Prop[] {
    const had = new Set(f.props.map((p) => propId(p.tag)));
    const set = new Map<number, Prop>([
      [PR_CONTENT_COUNT, this.kit.long(PR_CONTENT_COUNT, f.messages)],
      [PR_CONTENT_UNREAD, this.kit.long(PR_CONTENT_UNREAD, f.unread)],
      [PR_SUBFOLDERS, this.kit.bool(PR_SUBFOLDERS, f.children.length > 0)],
    ]);
    if (had.has(PR_ASSOC_COUNT)) set.set(PR_ASSOC_COUNT, this.kit.long(PR_ASSOC_COUNT, f.assoc));
    if (had.has(PR_ASSOC_UNREAD)) set.set(PR_ASSOC_UNREAD, this.kit.long(PR_ASSOC_UNREAD, f.assocUnread));
    return [...f.props.filter((p) => !set.has(propId(p.tag))), ...set.values()];
  }

  /** Writes everything that is left and closes the file. */
  finish(spec: StoreSpec): NdbStats {
    for (const f of this.folders.values()) this.closeContents(f.nid);
    const finalProps = new Map<number, Prop[]>();
    for (const f of this.folders.values()) finalProps.set(f.nid, this.computed(f));
    for (const f of this.folders.values()) {
      writeFolderObject(this.ndb, this.kit, f.nid, f.parent, finalProps.get(f.nid)!, f.children.map((c) => ({ nid: c, props: finalProps.get(c)! })));
    }
    this.writeStore(spec);
    writeNameToIdMap(this.ndb, this.kit, this.names);
    this.writeTemplates(spec);
    return this.ndb.finish();
  }

  /** Deletes the unfinished file. */
  abort(): void {
    this.ndb.abort();
  }

  private writeStore(spec: StoreSpec): void {
    const ids = new Map<number, number>(spec.folderIds ?? []);
    ids.set(0x35e0, spec.ipmSubtree);
    ids.set(0x35e3, spec.wastebasket);
    ids.set(0x35e7, spec.finder);
    let mask = 0;
    const props: Prop[] = [{ tag: tagOf(PR_RECORD_KEY, PT.BINARY), value: this.uid }];
    for (const { id, bit } of STORE_FOLDER_IDS) {
      const nid = ids.get(id);
      if (nid === undefined || !this.folders.has(nid)) continue;
      props.push(this.kit.bin(id, this.entryId(nid)));
      mask |= bit;
    }
    props.push(this.kit.long(PR_VALID_FOLDER_MASK, mask));
    const given = new Set(props.map((p) => propId(p.tag)));
    const all = [...spec.props.filter((p) => !given.has(propId(p.tag)) && !STORE_FOLDER_IDS.some((s) => s.id === propId(p.tag))), ...props];
    const have = new Set(all.map((p) => propId(p.tag)));
    for (const d of NEW_STORE_DEFAULTS) if (!have.has(propId(d.tag))) all.push(d);
    const n = new NodeBuilder(this.ndb);
    this.ndb.addNode(NID.STORE, n.writePc(all), n.finish(), 0);
  }

  /** Table templates, the receive-folder table and the (empty) search bookkeeping nodes of a new store. */
  private writeTemplates(spec: StoreSpec): void {
    const kit = this.kit;
    const t = (nid: number, cols: readonly number[], rows: ContentsRow[] = []) => {
      const n = new NodeBuilder(this.ndb);
      this.ndb.addNode(nid, n.writeTc(kit.tags(cols), rows), n.finish(), 0);
    };
    t(0x60d, HIERARCHY_COLUMNS);
    t(0x60e, CONTENTS_COLUMNS);
    t(0x60f, ASSOC_CONTENTS_COLUMNS);
    t(0x610, SEARCH_CONTENTS_COLUMNS);
    t(NID.ATT_TABLE, ATTACHMENT_COLUMNS);
    t(NID.RCP_TABLE, RECIPIENT_COLUMNS);
    for (const o of OTHER_TEMPLATES) t(o.nid, o.columns);
    const receive = (spec.receive ?? [{ cls: '', nid: spec.ipmSubtree }]).filter((r) => this.folders.has(r.nid));
    t(NID.RECEIVE_FOLDER_TABLE, RECEIVE_FOLDER_COLUMNS, receive.map((r, i) => {
      const nid = Buffer.alloc(4);
      nid.writeUInt32LE(r.nid >>> 0);
      return { rowId: i + 1, values: new Map([[kit.strTag(0x001a), kit.encode(r.cls)], [TAG_RECEIVE_FOLDER_NID, nid]]) };
    }));
    // Search bookkeeping ([MS-PST] 2.4.8): an empty search management queue, no folder with search activity, an
    // empty search domain. The store has no search folders, so there is nothing to queue.
    for (const nid of [NID.SEARCH_MANAGEMENT_QUEUE, NID.SEARCH_ACTIVITY_LIST, NID.SEARCH_DOMAIN_OBJECT]) this.ndb.addNode(nid, 0, 0, 0);
  }
}

export { nidType, TYPE };

/**
 * Folders and messages take ids from the root folder's (0x122) up: below it live only the nodes every store has, and
 * libpff, which builds its tree in id order, refuses a store in which a node met before the root folder hangs below it.
 */
function belowRootCheck(nid: number, what: string): void {
  if (what === 'root folder' && nid !== NID.ROOT) throw new Error(`root folder id 0x${nid.toString(16)} is not 0x122`);
  if (nid < NID.ROOT) throw new Error(`${what} id 0x${nid.toString(16)} is below the root folder's (0x122)`);
}
