import { createHash } from 'node:crypto';
import { nidOf, NID, TYPE } from '../../../electron/pst/nids.ts';
import type { MessageBuilder } from '../../../electron/pst/writer/message.ts';
import type { NdbStats } from '../../../electron/pst/writer/ndb.ts';
import { PT, tagOf, type Prop, type PropKit, type RawValue, type StreamValue } from '../../../electron/pst/writer/props.ts';
import { StoreWriter } from '../../../electron/pst/writer/store.ts';
import { RECIPIENT_COLUMNS } from '../../../electron/pst/writer/templates.ts';
import type { Variant } from '../../../electron/pst/writer/variant.ts';
import { attachmentName, body, html, person, scriptFor, subject, type Person, type Script } from './content.ts';
import { Rng } from './rng.ts';

// Synthetic stores for tests, benchmarks and `npm run gen-pst`, written through the product's writer
// (electron/pst/writer): a store is a pure function of its options and seed. Root folder, IPM subtree, Search Root,
// Deleted Items and N user folders (every third nested under the previous one), messages with recipients, plain and
// HTML bodies and attachments, spread over the user folders.

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
  /**
   * Code page of an ANSI store's 8-bit strings (default 1252), recorded on the store and its messages
   * (PidTagMessageCodepage). 1251 writes Cyrillic and 932 Japanese text, so a reader must decode with it.
   */
  codepage?: number;
  /** The store's display name (default "Synthetic Personal Folders"). */
  displayName?: string;
  /** The sender of every message in the "Sent Items" folder (default: random people like everywhere else). */
  sentBy?: Person;
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

const BASE_TIME = Date.UTC(2024, 0, 1);
const PSETID_COMMON = '0820060000000000c000000000000046';
const ONE_OFF_UID = Buffer.from('812b1fa4bea310199d6e00dd010f5402', 'hex');

interface FolderPlan {
  nid: number;
  parent: number;
  name: string;
  path: string;
  cls: string | null;
  messages: number;
}

/** Writes a store; on any failure the partial file is deleted and the error rethrown. */
export function writePst(path: string, opts: PstWriteOptions): PstWriteSummary {
  const rng = new Rng(opts.seed);
  const dwUnique = rng.u32();
  const providerUid = Buffer.alloc(16);
  rng.fill(providerUid);
  const w = new StoreWriter(path, { ...opts, dwUnique, providerUid });
  try {
    return writeContent(path, opts, rng, w);
  } catch (e) {
    w.abort();
    throw e;
  }
}

function writeContent(path: string, opts: PstWriteOptions, rng: Rng, w: StoreWriter): PstWriteSummary {
  if (opts.codepage !== undefined && opts.format !== 'ansi') throw new Error('codepage applies to ANSI stores only (Unicode stores hold UTF-16 text)');
  const kit = w.kit;
  const sc = scriptFor(opts.format === 'ansi' ? opts.codepage : undefined);
  const pool = Buffer.alloc(Math.max(2 * w.ndb.g.blockDataMax, 1 << 18));
  rng.fill(pool);

  // ---- plan the folder tree (names, parents, message counts) --------------------------------------------------
  const root: FolderPlan = { nid: NID.ROOT, parent: NID.ROOT, name: '', path: '', cls: null, messages: 0 };
  const ipm: FolderPlan = { nid: nidOf(0x401, TYPE.FOLDER), parent: NID.ROOT, name: 'Top of Personal Folders', path: '', cls: null, messages: 0 };
  const finder: FolderPlan = { nid: nidOf(0x402, TYPE.FOLDER), parent: NID.ROOT, name: 'Search Root', path: '', cls: null, messages: 0 };
  const deleted: FolderPlan = { nid: nidOf(0x403, TYPE.FOLDER), parent: ipm.nid, name: 'Deleted Items', path: 'Deleted Items', cls: 'IPF.Note', messages: 0 };
  const user: FolderPlan[] = [];
  for (let i = 0; i < opts.folders; i++) {
    // Every third folder nests under the previous one, so hierarchies have depth as well as breadth.
    const parent = opts.nesting === 'chain' ? (user[i - 1] ?? ipm) : i % 3 === 2 ? user[i - 1]! : ipm;
    const base = sc.folders[i % sc.folders.length]!;
    const name = i < sc.folders.length ? base : `${base} ${Math.floor(i / sc.folders.length) + 1}`;
    user.push({ nid: nidOf(0x404 + i, TYPE.FOLDER), parent: parent.nid, name, path: parent === ipm ? name : `${parent.path}/${name}`, cls: 'IPF.Note', messages: 0 });
  }
  const homes = user.length > 0 ? user : [deleted];
  for (let m = 0; m < opts.messages; m++) homes[rng.u32() % homes.length]!.messages++;
  const all = [root, ipm, finder, deleted, ...user];
  for (const f of all) w.addFolder(f.nid, f.parent, [kit.str(0x3001, f.name), ...(f.cls ? [kit.str(0x3613, f.cls)] : [])]);

  // ---- messages, folder by folder ------------------------------------------------------------------------------
  const sideEffects = w.names.idFor({ guid: PSETID_COMMON, kind: 'id', id: 0x8510 })!; // PidLidSideEffects
  let nextMessage = 0x10000;
  let attachments = 0;
  let attachmentBytes = 0;
  let recipients = 0;
  let serial = 0;
  for (const f of all) {
    for (let k = 0; k < f.messages; k++) {
      const nid = nidOf(nextMessage++, TYPE.MESSAGE);
      const sender = f.path === 'Sent Items' ? opts.sentBy : undefined;
      const m = synthMessage(w.message(), kit, sc, rng.fork(), pool, ++serial, opts, sideEffects, !!opts.onMessage, opts.codepage ?? 1252, sender);
      w.addMessage(f.nid, nid, m.written, m.props);
      if (opts.onMessage) opts.onMessage({ ...m.detail, nid, bid: m.written.bidData, folder: f.path });
      attachments += m.detail.attachments.length;
      attachmentBytes += m.attachmentBytes;
      recipients += m.detail.recipients.length;
    }
    w.closeContents(f.nid);
  }

  const stats = w.finish({
    props: [
      kit.str(0x3001, opts.displayName ?? 'Synthetic Personal Folders'), kit.long(0x340d, 0x000e7bfd), kit.long(0x67ff, 0),
      // PidTagMessageCodepage on the store: the code page of its 8-bit strings.
      ...(opts.codepage !== undefined ? [kit.long(0x3ffd, opts.codepage)] : []),
    ],
    ipmSubtree: ipm.nid,
    wastebasket: deleted.nid,
    finder: finder.nid,
  });
  return {
    path,
    bytes: stats.fileBytes,
    folders: user.map((f) => ({ nid: f.nid, name: f.name, path: f.path, messages: f.messages })),
    messages: opts.messages,
    attachments,
    attachmentBytes,
    recipients,
    ndb: stats,
    locate: (bid) => w.ndb.locate(bid),
  };
}

/** One-off recipient EntryID ([MS-OXCDATA] 2.2.5.1). */
function oneOff(kit: PropKit, p: Person, unicode: boolean): Buffer {
  const z = unicode ? Buffer.alloc(2) : Buffer.alloc(1);
  const flags = Buffer.alloc(4);
  flags.writeUInt16LE(unicode ? 0x8190 : 0x0190, 2);
  return Buffer.concat([Buffer.alloc(4), ONE_OFF_UID, flags, kit.encode(p.name), z, kit.encode('SMTP'), z, kit.encode(p.email), z]);
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

function synthMessage(
  mb: MessageBuilder,
  kit: PropKit,
  sc: Script,
  rng: Rng,
  pool: Buffer,
  n: number,
  opts: PstWriteOptions,
  sideEffects: number,
  wantDetail: boolean,
  codepage: number,
  sender?: Person,
): { written: { bidData: number; bidSub: number }; props: Prop[]; attachmentBytes: number; detail: Omit<WrittenMessage, 'folder' | 'nid' | 'bid'> } {
  const unicode = mb.ndb.g.unicodeStrings;
  const from = sender ?? person(rng, sc);
  const to = Array.from({ length: rng.int(1, 3) }, () => person(rng, sc));
  const subj = subject(rng, n, sc);
  const when = BASE_TIME + n * 3_600_000 + rng.int(0, 3_599_999);
  const text = body(rng, rng.pick([300, 1200, 5000, 12_000]), sc);

  const rcpColumns = kit.tags([...RECIPIENT_COLUMNS.filter((t) => t !== 0x39ff001f), 0x39fe001f, 0x5ff6001f, 0x5ffd0003, 0x5fff0003]);
  mb.recipients(rcpColumns, to.map((p, i) => {
    const key = Buffer.alloc(16);
    rng.fill(key);
    const props = [
      kit.long(0x0c15, i === 2 ? 2 : 1), kit.bool(0x0e0f, true), kit.bin(0x0ff9, key), kit.long(0x0ffe, 6),
      kit.bin(0x0fff, oneOff(kit, p, unicode)), kit.str(0x3001, p.name), kit.str(0x3002, 'SMTP'), kit.str(0x3003, p.email),
      kit.bin(0x300b, Buffer.from(`SMTP:${p.email.toUpperCase()}\0`, 'latin1')), kit.long(0x3900, 0), kit.str(0x39fe, p.email),
      kit.bool(0x3a40, false), kit.str(0x5ff6, p.name), kit.long(0x5ffd, 1), kit.long(0x5fff, 0),
    ];
    return { rowId: i, values: new Map<number, RawValue>(props.map((q) => [q.tag, q.value])) };
  }));

  // Attachments: each one a subnode PC; its data a subnode of that subnode once it outgrows the heap.
  const attDetail: WrittenMessage['attachments'] = [];
  let attBytes = 0;
  const attachKb = opts.attachmentKb ?? null;
  const perMessage = opts.attachmentsPerMessage ?? null;
  const count = !attachKb ? 0 : perMessage ? rng.int(perMessage.min, perMessage.max) : [0, 1, 1, 2][rng.u32() % 4]!;
  for (let a = 0; a < count; a++) {
    const size = rng.int(attachKb!.min * 1024, attachKb!.max * 1024);
    const name = attachmentName(rng, n, a, sc);
    const data = streamOf(pool, size, mb.ndb.g.blockDataMax, rng.u32() & 0xffff);
    const value: RawValue = size <= 3580 ? Buffer.from(data.chunk(0)) : data;
    const ab = mb.attachment();
    const written = ab.finish([
      kit.long(0x0e20, size), kit.str(0x3704, name.name), kit.long(0x3705, 1), kit.long(0x370b, -1),
      kit.long(0x0e21, a), kit.bin(0x3701, value), kit.str(0x3703, name.ext), kit.str(0x3707, name.name),
      kit.str(0x370e, name.mime), kit.str(0x3001, name.name), kit.bool(0x7ffe, false),
    ]);
    attBytes += size;
    if (wantDetail) attDetail.push({ name: name.name, size, sha256: lazyHash(data), bid: written.bidData });
    else attDetail.push({ name: name.name, size, sha256: '', bid: written.bidData });
  }

  const msgId = `<${n}.${rng.u32().toString(16)}@${from.email.split('@')[1]}>`;
  const date = new Date(when).toUTCString().replace('GMT', '+0000');
  const headers = `From: ${from.name} <${from.email}>\r\nTo: ${to.map((p) => `${p.name} <${p.email}>`).join(', ')}\r\nSubject: ${subj}\r\n` +
    `Date: ${date}\r\nMessage-ID: ${msgId}\r\nMIME-Version: 1.0\r\n`;
  const search = Buffer.alloc(16);
  rng.fill(search);
  const size = text.length * (unicode ? 2 : 1) + attBytes + 1024;
  const flags = 0x01 | (count > 0 ? 0x10 : 0);
  const props: Prop[] = [
    kit.long(0x0017, 1), kit.str(0x001a, 'IPM.Note'), kit.long(0x0036, 0), kit.str(0x0037, subj), kit.time(0x0039, when),
    kit.str(0x0042, from.name), kit.str(0x0e04, to.map((p) => p.name).join('; ')), kit.time(0x0e06, when + 60_000),
    kit.long(0x0e07, flags), kit.long(0x0e08, size), kit.time(0x3008, when + 60_000),
    kit.long(0x0026, 0), kit.str(0x0064, 'SMTP'), kit.str(0x0065, from.email), kit.str(0x007d, headers),
    kit.str(0x0c1a, from.name), kit.str(0x0c1e, 'SMTP'), kit.str(0x0c1f, from.email), kit.str(0x0e1d, subj),
    kit.long(0x0e17, 0), kit.bool(0x0e1b, count > 0), kit.str(0x1000, text), kit.str(0x1035, msgId),
    kit.time(0x3007, when), kit.bin(0x300b, search), kit.long(0x3fde, 65001), kit.long(0x3ffd, codepage),
    kit.str(0x5d01, from.email), { tag: tagOf(sideEffects, PT.LONG), value: Buffer.alloc(4) },
  ];
  if (n % 2 === 0) props.push(kit.bin(0x1013, Buffer.from(html(text, subj), 'utf8')));
  const written = mb.finish(props);
  return {
    written,
    props,
    attachmentBytes: attBytes,
    detail: { subject: subj, body: text, html: n % 2 === 0, recipients: to.map((p) => p.email), attachments: attDetail },
  };
}
