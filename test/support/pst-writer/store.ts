import { createHash } from 'node:crypto';
import { NdbWriter, type NdbStats } from './ndb.ts';
import { NodeBuilder } from './ltp.ts';
import { PropKit, type Prop, type RawValue, type StreamValue } from './props.ts';
import { Rng } from './rng.ts';
import type { Variant } from './variant.ts';
import { attachmentName, body, FOLDER_NAMES, html, person, subject, type Person } from './content.ts';
import { writeNameToIdMap } from './nameid.ts';

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
  /** Called once per message with what was written (for tests that compare a reader's output field by field). */
  onMessage?: (m: WrittenMessage) => void;
}

export interface WrittenMessage {
  nid: number;
  /** BID of the message's property context: damage it and exactly this message is hit. */
  bid: number;
  folder: string;
  subject: string;
  body: string;
  html: boolean;
  recipients: string[];
  attachments: { name: string; size: number; sha256: string; bid: number }[];
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

const NID = { STORE: 0x21, NAMEID: 0x61, ROOT: 0x122 } as const;
const TYPE = { FOLDER: 0x02, MESSAGE: 0x04, ATTACHMENT: 0x05, HIER: 0x0d, CONTENTS: 0x0e, ASSOC: 0x0f, ATT_TABLE: 0x11, RCP_TABLE: 0x12 } as const;
const NID_ATT_TABLE = 0x671;
const NID_RCP_TABLE = 0x692;
const BASE_TIME = Date.UTC(2024, 0, 1);

const nidOf = (index: number, type: number) => ((index << 5) | type) >>> 0;

interface FolderPlan {
  nid: number;
  parent: number;
  name: string;
  path: string;
  cls: string | null;
  messages: number;
  children: FolderPlan[];
}

/** Writes a store; on any failure the partial file is deleted and the error rethrown. */
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
  const kit = new PropKit(ndb.g.unicodeStrings);
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
    const parent = i % 3 === 2 ? user[i - 1]! : ipm;
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
      const w = writeMessage(ndb, kit, rng.fork(), pool, nid, f.nid, ++serial, opts.attachmentKb ?? null, opts.attachmentsPerMessage ?? null, !!opts.onMessage);
      if (opts.onMessage) opts.onMessage({ ...w.detail, folder: f.path });
      attachments += w.attachments;
      attachmentBytes += w.attachmentBytes;
      recipients += w.recipients;
      rows.push(w.row);
    }
    writeFolder(ndb, kit, f, rows);
  }

  writeStore(ndb, kit, providerUid, ipm.nid, deleted.nid, finder.nid);
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

// ---- folders ---------------------------------------------------------------------------------------------------

type ContentsRow = { rowId: number; values: Map<number, RawValue> };

function tagsOf(props: Prop[]): Map<number, RawValue> {
  return new Map(props.map((p) => [p.tag, p.value]));
}

function folderProps(kit: PropKit, f: FolderPlan): Prop[] {
  const props = [
    kit.str(0x3001, f.name),
    kit.long(0x3602, f.messages),
    kit.long(0x3603, 0),
    kit.bool(0x360a, f.children.length > 0),
  ];
  if (f.cls) props.push(kit.str(0x3613, f.cls));
  return props;
}

function hierarchyColumns(kit: PropKit): number[] {
  return [kit.strTag(0x3001), 0x36020003, 0x36030003, 0x360a000b, kit.strTag(0x3613)];
}

function contentsColumns(kit: PropKit): number[] {
  return [0x00170003, kit.strTag(0x001a), 0x00360003, kit.strTag(0x0037), 0x00390040, kit.strTag(0x0042), kit.strTag(0x0e04),
    0x0e060040, 0x0e070003, 0x0e080003, 0x30080040];
}

function writeFolder(ndb: NdbWriter, kit: PropKit, f: FolderPlan, rows: ContentsRow[]): void {
  const index = f.nid >>> 5;
  const pc = new NodeBuilder(ndb);
  ndb.addNode(f.nid, pc.writePc(folderProps(kit, f)), pc.finish(), f.parent);
  const hier = new NodeBuilder(ndb);
  const hrows = f.children.map((c) => ({ rowId: c.nid, values: tagsOf(folderProps(kit, c)) }));
  ndb.addNode(nidOf(index, TYPE.HIER), hier.writeTc(hierarchyColumns(kit), hrows), hier.finish(), 0);
  const contents = new NodeBuilder(ndb);
  ndb.addNode(nidOf(index, TYPE.CONTENTS), contents.writeTc(contentsColumns(kit), rows), contents.finish(), 0);
  const assoc = new NodeBuilder(ndb);
  ndb.addNode(nidOf(index, TYPE.ASSOC), assoc.writeTc([kit.strTag(0x001a), 0x0e070003], []), assoc.finish(), 0);
}

// ---- messages --------------------------------------------------------------------------------------------------

const ONE_OFF_UID = Buffer.from('812b1fa4bea310199d6e00dd010f5402', 'hex');

/** One-off recipient EntryID ([MS-OXCDATA] 2.2.5.1). */
function oneOff(kit: PropKit, p: Person, unicode: boolean): Buffer {
  const z = unicode ? Buffer.alloc(2) : Buffer.alloc(1);
  const flags = Buffer.alloc(4);
  flags.writeUInt16LE(unicode ? 0x8190 : 0x0190, 2);
  return Buffer.concat([Buffer.alloc(4), ONE_OFF_UID, flags, kit.encode(p.name), z, kit.encode('SMTP'), z, kit.encode(p.email), z]);
}

function recipientColumns(kit: PropKit): number[] {
  return [0x0c150003, 0x0e0f000b, 0x0ff90102, 0x0ffe0003, 0x0fff0102, kit.strTag(0x3001), kit.strTag(0x3002), kit.strTag(0x3003),
    0x300b0102, 0x39000003, kit.strTag(0x39fe), 0x3a40000b, kit.strTag(0x5ff6), 0x5ffd0003, 0x5fff0003];
}

function attachmentColumns(kit: PropKit): number[] {
  return [0x0e200003, kit.strTag(0x3704), 0x37050003, 0x370b0003];
}

/** SHA-256 of a stream value, computed from its chunks (regenerated from the pool, so nothing big is kept). */
function lazyHash(v: StreamValue): string {
  const h = createHash('sha256');
  for (let i = 0; i < v.chunks; i++) h.update(v.chunk(i));
  return h.digest('hex');
}

function streamOf(pool: Buffer, size: number, max: number, salt: number): StreamValue {
  return {
    size,
    chunks: Math.max(1, Math.ceil(size / max)),
    chunk(i) {
      const len = Math.min(max, size - i * max);
      const at = ((salt + i * 7919) * 64) % (pool.length - len);
      return pool.subarray(at, at + len);
    },
  };
}

function writeMessage(
  ndb: NdbWriter,
  kit: PropKit,
  rng: Rng,
  pool: Buffer,
  nid: number,
  folder: number,
  n: number,
  attachKb: { min: number; max: number } | null,
  perMessage: { min: number; max: number } | null,
  wantDetail: boolean,
): { row: ContentsRow; attachments: number; attachmentBytes: number; recipients: number; detail: Omit<WrittenMessage, 'folder'> } {
  const unicode = ndb.g.unicodeStrings;
  const node = new NodeBuilder(ndb);
  const from = person(rng);
  const to = Array.from({ length: rng.int(1, 3) }, () => person(rng));
  const subj = subject(rng, n);
  const when = BASE_TIME + n * 3_600_000 + rng.int(0, 3_599_999);
  const text = body(rng, rng.pick([300, 1200, 5000, 12_000]));

  // Recipient table (subnode 0x692).
  const rt = new NodeBuilder(ndb);
  const rcpRows = to.map((p, i) => {
    const key = Buffer.alloc(16);
    rng.fill(key);
    return {
      rowId: i,
      values: tagsOf([
        kit.long(0x0c15, i === 2 ? 2 : 1), kit.bool(0x0e0f, true), kit.bin(0x0ff9, key), kit.long(0x0ffe, 6),
        kit.bin(0x0fff, oneOff(kit, p, unicode)), kit.str(0x3001, p.name), kit.str(0x3002, 'SMTP'), kit.str(0x3003, p.email),
        kit.bin(0x300b, Buffer.from(`SMTP:${p.email.toUpperCase()}\0`, 'latin1')), kit.long(0x3900, 0), kit.str(0x39fe, p.email),
        kit.bool(0x3a40, false), kit.str(0x5ff6, p.name), kit.long(0x5ffd, 1), kit.long(0x5fff, 0),
      ]),
    };
  });
  node.addSubnode({ nid: NID_RCP_TABLE, bidData: rt.writeTc(recipientColumns(kit), rcpRows), bidSub: rt.finish() });

  // Attachments: each one a subnode PC; its data a subnode of that subnode once it outgrows the heap.
  const attRows: ContentsRow[] = [];
  const attDetail: WrittenMessage['attachments'] = [];
  let attBytes = 0;
  const count = !attachKb ? 0 : perMessage ? rng.int(perMessage.min, perMessage.max) : [0, 1, 1, 2][rng.u32() % 4]!;
  for (let a = 0; a < count; a++) {
    const anid = nidOf(0x401 + a, TYPE.ATTACHMENT);
    const size = rng.int(attachKb!.min * 1024, attachKb!.max * 1024);
    const name = attachmentName(rng, n, a);
    const data = streamOf(pool, size, ndb.g.blockDataMax, rng.u32() & 0xffff);
    const value: RawValue = size <= 3580 ? Buffer.from(data.chunk(0)) : data;
    const common = [kit.long(0x0e20, size), kit.str(0x3704, name.name), kit.long(0x3705, 1), kit.long(0x370b, -1)];
    const an = new NodeBuilder(ndb);
    const bidData = an.writePc([
      ...common, kit.long(0x0e21, a), kit.bin(0x3701, value), kit.str(0x3703, name.ext), kit.str(0x3707, name.name),
      kit.str(0x370e, name.mime), kit.str(0x3001, name.name), kit.bool(0x7ffe, false),
    ]);
    node.addSubnode({ nid: anid, bidData, bidSub: an.finish() });
    attRows.push({ rowId: anid, values: tagsOf(common) });
    attBytes += size;
    if (wantDetail) attDetail.push({ name: name.name, size, sha256: lazyHash(data), bid: bidData });
  }
  if (count > 0) {
    const at = new NodeBuilder(ndb);
    node.addSubnode({ nid: NID_ATT_TABLE, bidData: at.writeTc(attachmentColumns(kit), attRows), bidSub: at.finish() });
  }

  const msgId = `<${n}.${rng.u32().toString(16)}@${from.email.split('@')[1]}>`;
  const date = new Date(when).toUTCString().replace('GMT', '+0000');
  const headers = `From: ${from.name} <${from.email}>\r\nTo: ${to.map((p) => `${p.name} <${p.email}>`).join(', ')}\r\nSubject: ${subj}\r\n` +
    `Date: ${date}\r\nMessage-ID: ${msgId}\r\nMIME-Version: 1.0\r\n`;
  const search = Buffer.alloc(16);
  rng.fill(search);
  const size = text.length * (unicode ? 2 : 1) + attBytes + 1024;
  const flags = 0x01 | (count > 0 ? 0x10 : 0);
  const common: Prop[] = [
    kit.long(0x0017, 1), kit.str(0x001a, 'IPM.Note'), kit.long(0x0036, 0), kit.str(0x0037, subj), kit.time(0x0039, when),
    kit.str(0x0042, from.name), kit.str(0x0e04, to.map((p) => p.name).join('; ')), kit.time(0x0e06, when + 60_000),
    kit.long(0x0e07, flags), kit.long(0x0e08, size), kit.time(0x3008, when + 60_000),
  ];
  const props: Prop[] = [
    ...common,
    kit.long(0x0026, 0), kit.str(0x0064, 'SMTP'), kit.str(0x0065, from.email), kit.str(0x007d, headers),
    kit.str(0x0c1a, from.name), kit.str(0x0c1e, 'SMTP'), kit.str(0x0c1f, from.email), kit.str(0x0e1d, subj),
    kit.long(0x0e17, 0), kit.bool(0x0e1b, count > 0), kit.str(0x1000, text), kit.str(0x1035, msgId),
    kit.time(0x3007, when), kit.bin(0x300b, search), kit.long(0x3fde, 65001), kit.long(0x3ffd, 1252),
    kit.str(0x5d01, from.email), kit.long(0x8000, 0),
  ];
  if (n % 2 === 0) props.push(kit.bin(0x1013, Buffer.from(html(text, subj), 'utf8')));
  const bidData = node.writePc(props);
  ndb.addNode(nid, bidData, node.finish(), folder);
  return {
    row: { rowId: nid, values: tagsOf(common) },
    attachments: count,
    attachmentBytes: attBytes,
    recipients: to.length,
    detail: { nid, bid: bidData, subject: subj, body: text, html: n % 2 === 0, recipients: to.map((p) => p.email), attachments: attDetail },
  };
}

// ---- store-wide nodes ------------------------------------------------------------------------------------------

function entryId(uid: Buffer, nid: number): Buffer {
  const b = Buffer.alloc(24);
  uid.copy(b, 4);
  b.writeUInt32LE(nid, 20);
  return b;
}

function writeStore(ndb: NdbWriter, kit: PropKit, uid: Buffer, ipm: number, wastebasket: number, finder: number): void {
  const n = new NodeBuilder(ndb);
  const bid = n.writePc([
    kit.bin(0x0ff9, uid), kit.str(0x3001, 'Synthetic Personal Folders'), kit.long(0x340d, 0x000e7bfd),
    kit.long(0x35df, 0x89), kit.bin(0x35e0, entryId(uid, ipm)), kit.bin(0x35e3, entryId(uid, wastebasket)),
    kit.bin(0x35e7, entryId(uid, finder)), kit.long(0x67ff, 0),
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
