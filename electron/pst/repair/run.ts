import { basename } from 'node:path';
import { throwIfCancelled, UsageError } from '../../core/errors.ts';
import type { Progress } from '../../core/progress.ts';
import { hex } from '../layout.ts';
import { LtpError } from '../ltp.ts';
import { messageLabel, type MessageInfo, type StoreWalk } from '../messaging.ts';
import type { NamedProp } from '../nameid.ts';
import type { NdbResult } from '../ndb.ts';
import { NID, nidIndex, nidOf, nidType, TYPE } from '../nids.ts';
import type { NodeReader } from '../nodes.ts';
import { ScratchArena } from '../source.ts';
import type { PstFileResult } from '../schema.ts';
import { propId, type Prop } from '../writer/props.ts';
import { StoreWriter } from '../writer/store.ts';
import { copyMessage, copyProps, type CopyEnv } from './copy.ts';
import { ExchangeFolders, holdsSpecialFolderIds, repointSpecialFolderIds } from './exchange-ids.ts';
import { classFromItems, contentsClasses, specialFolderClasses, type FolderClass } from './folder-class.ts';
import type { OutputFiles } from './output.ts';
import { planFolders, type PlanFolder } from './plan.ts';
import { outlookSizeNote } from './size-limit.ts';
import { readProps, readTable, type RawProp } from './read.ts';
import { entryIdNid, type SourceStore } from './store-info.ts';

// The copy itself: folder by folder in the order the scan walked them, every message straight from the source into
// the current output part, then the folder's FAI; orphans into Lost and Found; messages that cannot be read are
// listed as lost with what their folder's contents table still says. With a size limit, a message that would take
// a part over it is rolled back and written again into the next part (which repeats the folder path it needs).

export type RepairStatus = 'kept' | 'partial' | 'recovered' | 'lost';

export interface RepairItem {
  status: RepairStatus;
  /** The message's node id in the source (hex), as the scan report names it; the new store keeps it unless newId says. */
  id: string;
  /** Its id in the new store, where it had to change (the source's lay below the root folder's). */
  newId?: string;
  /** Folder path: in the new store (kept, partial, recovered), or in the source (lost). */
  folder: string;
  subject: string;
  sender: string;
  /** ISO 8601, or null when unknown. */
  date: string | null;
  /** What is missing or why the item is lost ("attachment 2 of 3 unreadable: …"); empty when kept whole. */
  detail: string;
}

export interface RepairOutput {
  path: string;
  bytes: number;
  folders: number;
  messages: number;
}

export interface RunInput {
  source: string;
  scan: PstFileResult;
  ndb: NdbResult;
  walk: StoreWalk;
  damagedItems: Set<number>;
  reader: NodeReader;
  store: SourceStore;
  names: { map: Map<number, NamedProp>; damage: string | null } | null;
  files: OutputFiles;
  splitBytes: number | null;
  /** What changed in the source since it was opened, or null (PstSource.changedSinceOpen). */
  sourceChanged: () => Promise<string | null>;
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
}

export interface RunResult {
  outputs: RepairOutput[];
  items: RepairItem[];
  notes: string[];
}

interface Part {
  k: number;
  temp: string;
  w: StoreWriter;
  /** Messages written into this part (normal and FAI). */
  written: number;
}

const YIELD_MS = 50;
/** Room for one message's blocks (PC, recipient table, attachment objects); a bigger message spills to fresh buffers. */
const SCRATCH_BYTES = 4 << 20;
const FOLDER_COMPUTED = new Set([0x3602, 0x3603, 0x360a, 0x6635, 0x6636]);
/** Store properties the new store writes itself: record key, valid-folder mask, the folder entry IDs. */
const STORE_OWN = new Set([0x0ff9, 0x35df, 0x35e0, 0x35e1, 0x35e2, 0x35e3, 0x35e4, 0x35e5, 0x35e6, 0x35e7]);

export async function runRepair(input: RunInput): Promise<RunResult> {
  const { ndb, walk, reader, store, files } = input;
  const ansi = ndb.header.layout.id === 4;
  const ost = ndb.header.kind === 'ost';
  const plan = planFolders(walk, ndb, store);
  const notes: string[] = [];
  const items: RepairItem[] = [];
  const outputs: RepairOutput[] = [];
  const dropped = { unnamed: 0, offline: 0, full: 0 };
  const rebuilt = { attachmentTables: 0 };
  const unnamedKept = new Set<number>();
  let part: Part | null = null;
  const finished: { temp: string; final: string }[] = [];
  let faiCopied = 0;
  let faiLost = 0;
  const faiSeen = new Set<number>();
  let oversized = 0;

  // The copy reads on this thread (see PstSource.syncReads): the event loop is let through every YIELD_MS so that
  // progress reaches its listeners and a cancel from outside (UI, HTTP, Ctrl-C) is seen.
  let lastYield = performance.now();
  const letEventsThrough = async () => {
    if (performance.now() - lastYield < YIELD_MS) return;
    await new Promise<void>((r) => setImmediate(r));
    lastYield = performance.now();
  };

  const env = (p: Part): CopyEnv => ({
    reader,
    ansi,
    storeCodepage: store.codepage,
    ctx: { ansi, names: input.names?.map ?? null, out: p.w.names, uid: store.uid ? { from: store.uid, to: p.w.uid } : null, ost },
    signal: input.signal,
    sameEncoding: ndb.header.crypt === 'permute',
    dropped,
    rebuilt,
    unnamedKept,
  });

  // ---- folders ----------------------------------------------------------------------------------------------------
  const rawFolders = new Map<number, RawProp[] | null>();
  const folderRaw = async (f: PlanFolder): Promise<RawProp[] | null> => {
    if (f.source === null) return null;
    if (rawFolders.has(f.source)) return rawFolders.get(f.source)!;
    let raw: RawProp[] | null = null;
    const node = await reader.node(f.source);
    if (node) {
      try {
        raw = readProps(node);
      } catch (err) {
        if (!(err instanceof LtpError)) throw err;
      }
    }
    if (!raw) notes.push(`folder '${f.path}' (${hex(f.source)}): its properties are unreadable; it was rebuilt with its name only`);
    rawFolders.set(f.source, raw);
    return raw;
  };
  // An OST's special-folder entry IDs are Exchange ones: re-pointed to the new store's folders (exchange-ids.ts).
  let exchangeFolders: ExchangeFolders | null = null;
  const exchangeIds = { done: 0, unmatched: 0 };
  const ostFolders = async (): Promise<ExchangeFolders> => {
    if (!exchangeFolders) {
      const folders = [];
      for (const g of plan.order) if (g.source !== null) folders.push({ raw: (await folderRaw(g)) ?? [], nid: g.source });
      exchangeFolders = new ExchangeFolders(folders);
    }
    return exchangeFolders;
  };
  const repointExchange = async (p: Part, raw: RawProp[]): Promise<RawProp[]> => {
    if (!ost || !holdsSpecialFolderIds(raw)) return raw;
    const r = repointSpecialFolderIds(raw, await ostFolders(), (nid) => p.w.entryId(plan.bySource.get(nid)?.nid ?? nid));
    // Counted once per source folder (a split run writes a folder into several parts).
    if (p.k === 1) {
      exchangeIds.done += r.done;
      exchangeIds.unmatched += r.unmatched;
    }
    return r.raw;
  };
  // A container class the source's folder lost is taken from the store's special-folder entry IDs or the folder's
  // items (folder-class.ts), decided once per folder.
  let special: Map<number, FolderClass> | null = null;
  const classes = new Map<number, FolderClass | null>();
  const lostClass = async (source: number): Promise<FolderClass | null> => {
    if (classes.has(source)) return classes.get(source)!;
    if (!special) {
      special = new Map();
      for (const nid of new Set([NID.ROOT, ...store.receive.map((r) => r.nid)])) {
        const f = plan.bySource.get(nid);
        const raw = f ? await folderRaw(f) : null;
        if (!raw) continue;
        // An OST's are Exchange entry IDs, resolved to the source's folders through their Exchange folder IDs.
        const exchange = ost && holdsSpecialFolderIds(raw) ? await ostFolders() : null;
        const nidOf = exchange ? (b: Buffer) => exchange.resolve(b) : (b: Buffer) => entryIdNid(b, store.uid);
        for (const [k, v] of specialFolderClasses(raw, nidOf)) if (!special.has(k)) special.set(k, v);
      }
    }
    const found = special.get(source) ?? classFromItems(await contentsClasses(reader, source, ansi, store.codepage));
    classes.set(source, found);
    return found;
  };
  const folderProps = async (p: Part, f: PlanFolder): Promise<Prop[]> => {
    const kit = p.w.kit;
    const stored = await folderRaw(f);
    const raw = stored ? await repointExchange(p, stored) : null;
    let props: Prop[] = [];
    let missing: string[] = [];
    if (raw) {
      const c = await copyProps(env(p), raw, store.codepage, null, (q) => FOLDER_COMPUTED.has(q.id));
      props = c.props;
      missing = c.missing;
      if (missing.length > 0) notes.push(`folder '${f.path}': ${missing.join('; ')}`);
    }
    if (!props.some((q) => propId(q.tag) === 0x3001)) props.push(kit.str(0x3001, f.name));
    const hasClass = () => props.some((q) => propId(q.tag) === 0x3613);
    if (f.cls && !hasClass()) props.push(kit.str(0x3613, f.cls));
    if (f.source !== null && !hasClass() && (!raw || missing.some((m) => m.startsWith('property 0x3613 ')))) {
      const known = classes.has(f.source);
      const c = await lostClass(f.source);
      if (c) {
        props.push(kit.str(0x3613, c.cls));
        if (!known) notes.push(`folder '${f.path}': its container class could not be read; set to ${c.cls}: ${c.why}`);
      }
    }
    return props;
  };
  const ensureFolder = async (p: Part, f: PlanFolder): Promise<void> => {
    if (p.w.hasFolder(f.nid)) return;
    if (f.parent !== f.nid) await ensureFolder(p, plan.byNid.get(f.parent)!);
    p.w.addFolder(f.nid, f.parent, await folderProps(p, f));
  };

  // ---- parts ------------------------------------------------------------------------------------------------------
  const startPart = async (k: number): Promise<Part> => {
    const temp = files.tempPath(k);
    const w = new StoreWriter(temp, { format: 'unicode', encoding: 'permute', ost: false, durable: true, exclusive: true });
    // The source's named-property ids are kept where possible, so ids stored inside values (views, forms) stay right.
    for (const [id, n] of input.names?.map ?? []) w.names.keep(id, n);
    const p: Part = { k, temp, w, written: 0 };
    for (const f of [plan.root, plan.ipm, plan.finder, plan.wastebasket]) await ensureFolder(p, f);
    // The first part carries the whole folder tree, empty folders included; later ones only the paths they need.
    if (k === 1) for (const f of plan.order) await ensureFolder(p, f);
    return p;
  };
  const finishPart = async (p: Part): Promise<void> => {
    const kit = p.w.kit;
    // A PST's own store properties are copied (an OST's belong to its Exchange mailbox: only its name is kept).
    const raw = (store.props ?? []).filter((q) => !STORE_OWN.has(q.id) && (!ost || q.id === 0x3001));
    const props = (await copyProps(env(p), raw, store.codepage, null)).props;
    // A store without a name (the OSTs Exchange writes have none) is named after its source file; the parts of a
    // split run are told apart by their number, as Outlook lists each store by its name.
    const at = props.findIndex((q) => propId(q.tag) === 0x3001 && Buffer.isBuffer(q.value));
    let name = at >= 0 ? (props[at]!.value as Buffer).toString('utf16le').replace(/\0+$/, '') : '';
    if (!name) name = basename(input.source).replace(/\.(pst|ost)$/i, '') || 'Personal Folders';
    if (files.split) name = `${name} (${p.k})`;
    if (at >= 0) props.splice(at, 1);
    props.push(kit.str(0x3001, name));
    const folderIds = new Map<number, number>();
    const own = (nid: number) => plan.bySource.get(nid)?.nid ?? nid;
    for (const [id, nid] of store.folders) if (![0x35e0, 0x35e3, 0x35e7].includes(id)) folderIds.set(id, own(nid));
    await p.w.ndb.settle();
    const stats = p.w.finish({
      props,
      ipmSubtree: plan.ipm.nid,
      wastebasket: plan.wastebasket.nid,
      finder: plan.finder.nid,
      folderIds,
      receive: store.receive.length > 0 ? store.receive.map((r) => ({ cls: r.cls, nid: own(r.nid) })) : undefined,
    });
    const final = files.finalPath(p.k);
    finished.push({ temp: p.temp, final });
    outputs.push({ path: final, bytes: stats.fileBytes, folders: foldersOf(p), messages: p.w.messages });
  };
  const foldersOf = (p: Part) => plan.order.filter((f) => p.w.hasFolder(f.nid)).length;

  // ---- messages ---------------------------------------------------------------------------------------------------
  const scratch = new ScratchArena(SCRATCH_BYTES);
  const total = walk.messages.length;
  let done = 0;
  const progress = () => {
    done++;
    if (done % 25 === 0 || done === total) input.onProgress?.({ phase: 'repair', done, total, unit: 'items' });
  };

  /** Copies one message into folder `f` of the current part; null when it cannot be read at all. */
  const copyOne = async (nid: number, f: PlanFolder, assoc: boolean, retried = false): Promise<{ missing: string[] } | { lost: string }> => {
    await letEventsThrough();
    throwIfCancelled(input.signal, 'repair');
    const p = part!;
    // The message is read into the scratch region: nothing read for it outlives this call (the writer copies what it
    // keeps), so the next message reuses the memory. The folder's own reads stay outside it (they are kept).
    scratch.reset();
    reader.scratch = scratch;
    const node = await reader.node(nid).finally(() => (reader.scratch = null));
    if (!node) return { lost: `message ${hex(nid)} is missing from the node B-tree` };
    await ensureFolder(p, f);
    const sp = p.w.ndb.savepoint();
    const mb = p.w.message();
    let r;
    reader.scratch = scratch;
    try {
      r = await copyMessage(env(p), node, mb, store.codepage);
    } catch (err) {
      if (!(err instanceof LtpError)) throw err;
      p.w.ndb.rollback(sp);
      return { lost: `its properties are unreadable: ${err.message}` };
    } finally {
      reader.scratch = null;
    }
    const written = mb.finish(r.props);
    if (input.splitBytes !== null && p.written > 0 && p.w.ndb.projectedBytes(p.w.pendingTableBytes()) > input.splitBytes) {
      if (retried) throw new Error('a message did not fit an empty part twice');
      p.w.ndb.rollback(sp);
      await finishPart(p);
      part = await startPart(p.k + 1);
      return copyOne(nid, f, assoc, true);
    }
    if (input.splitBytes !== null && p.written === 0 && p.w.ndb.projectedBytes(p.w.pendingTableBytes()) > input.splitBytes) oversized++;
    p.w.addMessage(f.nid, plan.ownNid(nid), written, r.props, assoc);
    p.written++;
    p.w.ndb.writeback();
    return { missing: r.missing };
  };

  const byFolder = new Map<number, MessageInfo[]>();
  for (const m of walk.messages) {
    if (m.orphan || !m.readable) continue;
    const list = byFolder.get(m.folderNid);
    if (list) list.push(m);
    else byFolder.set(m.folderNid, [m]);
  }
  const date = (m: MessageInfo) => (m.date ? m.date.toISOString() : null);
  const named = (m: MessageInfo): string => {
    const label = messageLabel(m);
    const p = input.scan.problems.find((q) => q.severity !== 'info' && q.affects.some((a) => a.startsWith(label)));
    return p ? `named damaged by the scan: ${p.detail}` : 'named damaged by the scan';
  };
  const record = (m: MessageInfo, f: PlanFolder, r: { missing: string[] } | { lost: string }, recovered: boolean) => {
    if ('lost' in r) {
      items.push({ status: 'lost', id: hex(m.nid), folder: m.folderPath, subject: m.subject, sender: m.sender, date: date(m), detail: r.lost });
      return;
    }
    const hit = input.damagedItems.has(m.nid);
    const detail = r.missing.length > 0 ? r.missing.join('; ') : hit ? named(m) : '';
    // Incomplete outranks recovered: an orphan with parts missing is `partial` (and sits in Lost and Found), so that
    // every item that lost something counts against a clean exit.
    const status: RepairStatus = hit || r.missing.length > 0 ? 'partial' : recovered ? 'recovered' : 'kept';
    const where = recovered ? `not listed in any folder (found through the node B-tree${m.folderPath.startsWith('(') ? '' : `; it belonged to '${m.folderPath}'`})` : '';
    const moved = plan.ownNid(m.nid) !== m.nid ? { newId: hex(plan.ownNid(m.nid)) } : {};
    items.push({ status, id: hex(m.nid), ...moved, folder: f.path, subject: m.subject, sender: m.sender, date: date(m), detail: [where, detail].filter(Boolean).join('; ') });
  };

  part = await startPart(1);
  try {
    for (const f of plan.order) {
      if (f.source !== null) {
        for (const m of byFolder.get(f.source) ?? []) {
          record(m, f, await copyOne(m.nid, f, false), false);
          progress();
        }
        // Associated (FAI) contents: views, rules, forms. Not items of the report; counted in the notes.
        for (const nid of await faiOf(reader, f.source, ansi)) {
          // A damaged store may list one FAI node in two folders' tables: a node is written once (NIDs are unique).
          if (faiSeen.has(nid)) continue;
          faiSeen.add(nid);
          const r = await copyOne(nid, f, true);
          if ('lost' in r || r.missing.length > 0) faiLost++;
          else faiCopied++;
        }
      }
      // Created folders (Lost and Found) still take orphans below; finish() writes their tables.
      if (f.source !== null && part.w.hasFolder(f.nid)) part.w.closeContents(f.nid);
    }
    for (const m of walk.messages) {
      if (!m.orphan || !m.readable) continue;
      const home = plan.lostAndFound(m.folderPath);
      record(m, home, await copyOne(m.nid, home, false), true);
      progress();
    }
    for (const m of walk.messages) {
      if (m.readable) continue;
      items.push({ status: 'lost', id: hex(m.nid), folder: m.folderPath, subject: m.subject, sender: m.sender, date: date(m), detail: lostDetail(m, input.scan) });
      progress();
    }
    await finishPart(part);
  } catch (err) {
    // The part being written is closed and deleted; finished parts are the caller's to discard.
    part.w.abort();
    throw err;
  }
  // A copy of a store that another program wrote meanwhile can mix old and new data: it is not put in place.
  const changed = await input.sourceChanged();
  if (changed) {
    throw new UsageError(`${input.source} changed while it was being repaired (${changed}): a program that has it open, such as Outlook, is writing it. Close that program and run the repair again. Nothing was written.`);
  }
  files.commit(finished);

  // ---- notes ------------------------------------------------------------------------------------------------------
  const searchFolders = walk.folders.filter((f) => nidType(f.nid) === TYPE.SEARCH_FOLDER).length;
  if (searchFolders > 0) notes.push(`${searchFolders} search folder(s) not copied: search folders are views of other folders, and Outlook rebuilds its own`);
  if (plan.displaced > 0) notes.push(`${plan.displaced} folder(s) whose parent folder is gone were put in '${plan.ipm.name}/Lost and Found'`);
  const hidden = walk.folders.filter((f) => f.hidden).length;
  if (hidden > 0) notes.push(`${hidden} folder(s) sat under a folder that did not flag subfolders (some clients never showed them); every folder now flags its subfolders`);
  if (faiCopied + faiLost > 0) notes.push(`${faiCopied} associated (FAI) item(s) copied (views, rules, forms)${faiLost > 0 ? `; ${faiLost} unreadable or incomplete, left out or copied in part` : ''}`);
  if (unnamedKept.size > 0) notes.push(`${unnamedKept.size} named-property id(s) that the source's name-to-id map ${input.names ? 'does not list' : 'cannot name (the map is unreadable)'} were copied under the same ids, unnamed as in the source`);
  if (dropped.unnamed > 0) notes.push(`${dropped.unnamed} value(s) of unnamed named-property ids left out: the new store had given those ids to names`);
  if (input.names?.damage) notes.push(`the source's name-to-id map is damaged (${input.names.damage}); named properties were copied where it could still name them`);
  if (dropped.offline > 0) notes.push(`${dropped.offline} offline-cache propert${dropped.offline === 1 ? 'y' : 'ies'} (OST sync state, ids 0x6600–0x67FF) dropped`);
  if (rebuilt.attachmentTables > 0) notes.push(`${rebuilt.attachmentTables} attachment table(s) could not be read; their attachments were found through their messages' subnodes, and the tables written afresh`);
  if (dropped.full > 0) notes.push(`${dropped.full} named propert${dropped.full === 1 ? 'y' : 'ies'} left out: the new store's named-property ids are used up`);
  if (plan.renumbered.size > 0) {
    const moved = [...plan.renumbered].slice(0, 5).map(([from, to]) => `${hex(from)} → ${hex(to)}`).join(', ') + (plan.renumbered.size > 5 ? ', …' : '');
    notes.push(`${plan.renumbered.size} folder(s) or message(s) given new ids (${moved}): their ids lay below the root folder's (0x122), among the nodes every store has, and pffexport refuses a store with such a folder or message`);
  }
  if (exchangeIds.done + exchangeIds.unmatched > 0) {
    const rest = exchangeIds.unmatched > 0 ? `; ${exchangeIds.unmatched} name folders the new store does not have (such as search folders, which are not copied) and were copied as stored` : '';
    notes.push(`${exchangeIds.done} of the OST's special-folder entry IDs (Calendar, Contacts, Drafts, Junk E-mail, …) re-pointed from its Exchange mailbox to the new store's folders${rest}`);
  }
  if (oversized > 0) notes.push(`${oversized} message(s) are larger than the size limit on their own; each went into a part of its own`);
  // First: it decides whether the user can keep using the new store in Outlook.
  const tooBig = outlookSizeNote(outputs, files.split);
  if (tooBig) notes.unshift(tooBig);
  for (const d of store.damage) notes.push(d);
  return { outputs, items, notes };
}

/** The FAI messages a folder's associated contents table lists (none when it is unreadable). */
async function faiOf(reader: NodeReader, folder: number, ansi: boolean): Promise<number[]> {
  const node = await reader.node(nidOf(nidIndex(folder), TYPE.ASSOC));
  if (!node) return [];
  try {
    return (await readTable(node, reader, ansi)).rows.map((r) => r.rowId >>> 0).filter((nid) => nidType(nid) === TYPE.ASSOC_MESSAGE);
  } catch (err) {
    if (err instanceof LtpError) return [];
    throw err;
  }
}

function lostDetail(m: MessageInfo, scan: PstFileResult): string {
  const label = messageLabel(m);
  const p = scan.problems.find((q) => q.severity !== 'info' && (q.affects.some((a) => a.startsWith(label)) || q.nid === hex(m.nid)));
  const what = p ? p.detail : 'its properties are unreadable';
  const listed = m.subject || m.sender || m.date ? '; subject, sender and date are what its folder\'s contents table still says' : '';
  return `${what}${listed}`;
}
