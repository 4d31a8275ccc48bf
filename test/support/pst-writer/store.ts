import { FOLDER_NAMES } from './content.ts';
import { contentsColumns, hierarchyColumns, writeFolder, type FolderPlan } from './folder.ts';
import { NID, NID_ATT_TABLE, NID_RCP_TABLE, nidOf, TYPE, type ContentsRow } from './ids.ts';
import { NodeBuilder } from './ltp.ts';
import { attachmentColumns, recipientColumns, writeMessage, type WrittenMessage } from './message.ts';
import { writeNameToIdMap } from './nameid.ts';
import { NdbWriter, type NdbStats } from './ndb.ts';
import { PropKit } from './props.ts';
import { Rng } from './rng.ts';
import type { Variant } from './variant.ts';
import type { Person } from './content.ts';

export type { WrittenMessage };

// The messaging layer ([MS-PST] 2.4): message store, name-to-id map, root folder, IPM subtree with "Deleted Items"
// and N user folders (hierarchy, contents and associated-contents tables), messages with recipients, plain/HTML
// bodies and attachments. Written folder by folder so only one folder's table rows are ever held in memory.

export interface PstWriteOptions extends Variant {
  folders: number;
  messages: number;
  /** Attachment size range in KiB; when set, messages get 0–2 attachments (1 on average). */
  attachmentKb?: { min: number; max: number } | null;
  /** Attachments per message (default 0–2, 1 on average). Hundreds force an SIBLOCK subnode tree. */
  attachmentsPerMessage?: { min: number; max: number };
  seed: number;
  /** Refuse to write a store larger than this many bytes (default: the format's own limit). */
  maxFileBytes?: number;
  /** 'chain': every user folder nests under the previous one (deep hierarchies); default: a broad, shallow tree. */
  nesting?: 'tree' | 'chain';
  /** Code page of an ANSI store's 8-bit strings (default 1252), recorded on the store and its messages. */
  codepage?: number;
  /** The store's display name (default "Synthetic Personal Folders"). */
  displayName?: string;
  /** The sender of every message in the "Sent Items" folder (default: random people like everywhere else). */
  sentBy?: Person;
  /** Called once per message with what was written (for tests that compare a reader's output field by field). */
  onMessage?: (m: WrittenMessage) => void;
}

export interface WrittenFolder {
  nid: number;
  name: string;
  /** Path below the IPM subtree, e.g. "Projects/Archive". */
  path: string;
  messages: number;
}

export interface PstWriteSummary {
  path: string;
  bytes: number;
  folders: WrittenFolder[];
  messages: number;
  attachments: number;
  attachmentBytes: number;
  recipients: number;
  ndb: NdbStats;
  /** File position of a block the writer wrote (for tests that damage one exact structure). */
  locate(bid: number): { ib: number; cb: number; span: number } | null;
}

export function writePst(path: string, opts: PstWriteOptions): PstWriteSummary {
  const rng = new Rng(opts.seed);
  const ndb = new NdbWriter(path, opts, rng.u32(), opts.maxFileBytes);
  try {
    return writeStoreContent(path, opts, rng, ndb);
  } catch (e) {
    ndb.abort();
    throw e;
  }
}

function writeStoreContent(path: string, opts: PstWriteOptions, rng: Rng, ndb: NdbWriter): PstWriteSummary {
  if (opts.codepage !== undefined && opts.format !== 'ansi') throw new Error('codepage applies to ANSI stores only (Unicode stores hold UTF-16 text)');
  const kit = new PropKit(ndb.g.unicodeStrings, opts.codepage);
  const providerUid = Buffer.alloc(16);
  rng.fill(providerUid);
  const pool = Buffer.alloc(Math.max(2 * ndb.g.blockDataMax, 1 << 18));
  rng.fill(pool);

  // ---- plan the folder tree (names, parents, message counts) --------------------------------------------------
  const root: FolderPlan = { nid: NID.ROOT, parent: NID.ROOT, name: 'Root', path: '', cls: null, messages: 0, children: [] };
  const ipm: FolderPlan = { nid: nidOf(0x401, TYPE.FOLDER), parent: NID.ROOT, name: 'Top of Personal Folders', path: '', cls: null, messages: 0, children: [] };
  const finder: FolderPlan = { nid: nidOf(0x402, TYPE.FOLDER), parent: NID.ROOT, name: 'Search Root', path: '', cls: null, messages: 0, children: [] };
  const deleted: FolderPlan = { nid: nidOf(0x403, TYPE.FOLDER), parent: ipm.nid, name: 'Deleted Items', path: 'Deleted Items', cls: 'IPF.Note', messages: 0, children: [] };
  root.children.push(ipm, finder);
  ipm.children.push(deleted);
  const user: FolderPlan[] = [];
  for (let i = 0; i < opts.folders; i++) {
    // Every third folder nests under the previous one, so hierarchies have depth as well as breadth.
    const parent = opts.nesting === 'chain' ? (user[i - 1] ?? ipm) : i % 3 === 2 ? user[i - 1]! : ipm;
    const base = FOLDER_NAMES[i % FOLDER_NAMES.length]!;
    const name = i < FOLDER_NAMES.length ? base : `${base} ${Math.floor(i / FOLDER_NAMES.length) + 1}`;
    const f: FolderPlan = {
      nid: nidOf(0x404 + i, TYPE.FOLDER),
      parent: parent.nid,
      name,
      path: parent === ipm ? name : `${parent.path}/${name}`,
      cls: 'IPF.Note',
      messages: 0,
      children: [],
    };
    parent.children.push(f);
    user.push(f);
  }
  const homes = user.length > 0 ? user : [deleted];
  for (let m = 0; m < opts.messages; m++) homes[rng.u32() % homes.length]!.messages++;

  // ---- messages, folder by folder ------------------------------------------------------------------------------
  let nextMessage = 0x10000;
  let attachments = 0;
  let attachmentBytes = 0;
  let recipients = 0;
  let serial = 0;
  const all = [root, ipm, finder, deleted, ...user];
  for (const f of all) {
    const rows: ContentsRow[] = [];
    for (let k = 0; k < f.messages; k++) {
      const nid = nidOf(nextMessage++, TYPE.MESSAGE);
      const sender = f.path === 'Sent Items' ? opts.sentBy : undefined;
      const w = writeMessage(ndb, kit, rng.fork(), pool, nid, f.nid, ++serial, opts.attachmentKb ?? null, opts.attachmentsPerMessage ?? null, !!opts.onMessage, sender);
      if (opts.onMessage) opts.onMessage({ ...w.detail, folder: f.path });
      attachments += w.attachments;
      attachmentBytes += w.attachmentBytes;
      recipients += w.recipients;
      rows.push(w.row);
    }
    writeFolder(ndb, kit, f, rows);
  }

  writeStore(ndb, kit, providerUid, ipm.nid, deleted.nid, finder.nid, opts.displayName ?? 'Synthetic Personal Folders', opts.codepage);
  writeNameToIdMap(ndb, kit);
  writeTemplates(ndb, kit);
  const stats = ndb.finish();
  return {
    path,
    bytes: stats.fileBytes,
    folders: user.map((f) => ({ nid: f.nid, name: f.name, path: f.path, messages: f.messages })),
    messages: opts.messages,
    attachments,
    attachmentBytes,
    recipients,
    ndb: stats,
    locate: (bid) => ndb.locate(bid),
  };
}

// ---- store-wide nodes ------------------------------------------------------------------------------------------

function entryId(uid: Buffer, nid: number): Buffer {
  const b = Buffer.alloc(24);
  uid.copy(b, 4);
  b.writeUInt32LE(nid, 20);
  return b;
}

function writeStore(ndb: NdbWriter, kit: PropKit, uid: Buffer, ipm: number, wastebasket: number, finder: number, name: string, codepage?: number): void {
  const n = new NodeBuilder(ndb);
  const bid = n.writePc([
    kit.bin(0x0ff9, uid), kit.str(0x3001, name), kit.long(0x340d, 0x000e7bfd),
    kit.long(0x35df, 0x89), kit.bin(0x35e0, entryId(uid, ipm)), kit.bin(0x35e3, entryId(uid, wastebasket)),
    kit.bin(0x35e7, entryId(uid, finder)), kit.long(0x67ff, 0),
    // PidTagMessageCodepage on the store: the code page of its 8-bit strings.
    ...(codepage !== undefined ? [kit.long(0x3ffd, codepage)] : []),
  ]);
  ndb.addNode(NID.STORE, bid, n.finish(), 0);
}

/** Empty template tables Outlook keeps at fixed NIDs ([MS-PST] 2.4.1). */
function writeTemplates(ndb: NdbWriter, kit: PropKit): void {
  const t = (nid: number, cols: number[]) => {
    const n = new NodeBuilder(ndb);
    ndb.addNode(nid, n.writeTc(cols, []), n.finish(), 0);
  };
  t(0x60d, hierarchyColumns(kit));
  t(0x60e, contentsColumns(kit));
  t(0x60f, [kit.strTag(0x001a), 0x0e070003]);
  t(0x610, contentsColumns(kit));
  t(NID_ATT_TABLE, attachmentColumns(kit));
  t(NID_RCP_TABLE, recipientColumns(kit));
}
