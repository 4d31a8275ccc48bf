import { hex } from './layout.ts';
import { LtpError } from './ltp.ts';
import type { NdbResult } from './ndb.ts';
import { NodeReader, type Damage, type NodeData } from './nodes.ts';
import { openPropBag, openTable, type PropBag } from './objects.ts';
import { checkCancel, type ProblemLog } from './problems.ts';
import { cleanSubject, PR } from './props.ts';
import type { PstSource } from './source.ts';
import type { Progress } from '../core/progress.ts';
import type { WalkObserver } from './walk-observer.ts';

// Messaging layer walk: folder hierarchy from the root folder (NID 0x122) through hierarchy tables, messages through
// contents tables, attachments through each message's attachment table. Every object that cannot be read is logged
// with its NID and the walk goes on; messages the tables no longer reach are picked up from the NBT.

const NID_ROOT_FOLDER = 0x122;
const NID_MESSAGE_STORE = 0x21;
const NID_ATTACHMENT_TABLE = 0x671;
/** Deep enough to see hierarchies past the 300 levels the Microsoft 365 import refuses; a bound against malformed chains. */
const MAX_FOLDER_DEPTH = 1024;

export interface AttachmentInfo {
  subnid: number;
  name: string;
  method: number | null;
}

export interface MessageInfo {
  nid: number;
  folderNid: number;
  folderPath: string;
  subject: string;
  sender: string;
  date: Date | null;
  attachments: AttachmentInfo[];
  /** Reached only through the NBT (its folder's contents table does not list it). */
  orphan: boolean;
  readable: boolean;
}

export interface FolderInfo {
  nid: number;
  path: string;
  name: string;
  readable: boolean;
  /**
   * Listed in a hierarchy table whose folder does not say it has subfolders (PidTagSubfolders false/absent), or below such a
   * folder. Walkers that trust the flag (pst-extractor, the SOURCES.md counts) never see these; we still read them.
   */
  hidden: boolean;
}

export interface StoreWalk {
  folders: FolderInfo[];
  messages: MessageInfo[];
  passwordProtected: boolean;
  attachments: number;
}

export function folderLabel(f: FolderInfo): string {
  return f.path || '(root folder)';
}

export function messageLabel(m: MessageInfo): string {
  const date = m.date ? ` (${m.date.toISOString().slice(0, 10)})` : '';
  const from = m.sender ? ` from ${m.sender}` : '';
  return `${m.folderPath || '(root)'}/'${m.subject || '(no subject)'}'${date}${from}`;
}

export async function walkStore(
  src: PstSource,
  ndb: NdbResult,
  log: ProblemLog,
  opts: { signal?: AbortSignal; onProgress?: (p: Progress) => void; observe?: WalkObserver },
): Promise<StoreWalk> {
  const reader = new NodeReader(src, ndb);
  const ansi = ndb.header.layout.id === 4;
  const walk: StoreWalk = { folders: [], messages: [], passwordProtected: false, attachments: 0 };
  const noteDamage = (nid: number, what: string, damage: Damage[]) => {
    for (const d of damage.slice(0, 20)) {
      if (ndb.badBlocks.has(d.bid)) continue; // already reported by the NDB pass, attributed later
      log.add({ structure: 'block', offset: null, nid, bid: d.bid, detail: `${what}: ${d.detail}`, severity: 'error' });
    }
  };
  const ltpFail = (nid: number, structure: string, what: string, err: unknown) => {
    if (!(err instanceof LtpError)) throw err;
    log.add({ structure: err.structure ?? structure, offset: null, nid, detail: `${what}: ${err.message}`, severity: 'error' });
  };

  let codepage = 1252;
  const store = await reader.node(NID_MESSAGE_STORE);
  if (store) {
    try {
      const bag = openPropBag(store, reader);
      // PidTagPstPassword holds a CRC of the password; Outlook offers no password for offline caches (.ost), and the
      // fixture OST carries a stray value there, so only PST stores are reported as protected.
      const pw = await bag.num(PR.PST_PASSWORD);
      walk.passwordProtected = ndb.header.kind !== 'ost' && pw !== null && pw !== 0;
      codepage = (await bag.num(PR.MESSAGE_CODEPAGE)) ?? 1252;
      await opts.observe?.store?.(bag);
    } catch (err) {
      ltpFail(NID_MESSAGE_STORE, 'property-context', 'message store properties unreadable', err);
    }
  }

  const folderPaths = new Map<number, string>();
  const seenMessages = new Set<number>();
  let items = 0;
  const progress = () => {
    items++;
    if (items % 50 === 0) opts.onProgress?.({ phase: 'items', done: items, total: null, unit: 'items' });
  };

  /** What a folder's contents table says about a message: names it even when the message itself is lost. */
  type RowHint = { subject: string; sender: string; date: Date | null };
  const readMessage = async (nid: number, folderNid: number, orphan: boolean, hint?: RowHint): Promise<void> => {
    checkCancel(opts.signal);
    seenMessages.add(nid);
    progress();
    const m: MessageInfo = {
      nid, folderNid, folderPath: folderPaths.get(folderNid) ?? '(unknown folder)',
      subject: hint?.subject ?? '', sender: hint?.sender ?? '', date: hint?.date ?? null,
      attachments: [], orphan, readable: false,
    };
    walk.messages.push(m);
    const node = await reader.node(nid);
    if (!node) {
      log.add({ structure: 'reference', offset: null, nid, detail: `message ${hex(nid)} is listed in its folder but missing from the node B-tree`, severity: 'error' });
      return;
    }
    let bag: PropBag;
    try {
      bag = openPropBag(node, reader, codepage);
      m.subject = cleanSubject((await bag.str(PR.SUBJECT)) ?? m.subject);
      m.sender = (await bag.str(PR.SENDER_NAME)) ?? (await bag.str(PR.SENT_REPRESENTING_NAME)) ?? m.sender;
      m.date = (await bag.date(PR.DELIVERY_TIME)) ?? (await bag.date(PR.CLIENT_SUBMIT_TIME)) ?? m.date;
      m.readable = true;
      await opts.observe?.message?.(m, bag);
    } catch (err) {
      ltpFail(nid, 'property-context', `message ${hex(nid)} properties unreadable`, err);
    }
    const at = node.subnodes.get(NID_ATTACHMENT_TABLE);
    if (at) {
      try {
        const tnode = await reader.readRef(at);
        noteDamage(nid, 'attachment table', tnode.damage);
        const table = await openTable(tnode, reader, ansi, codepage);
        for (const row of table.rows) {
          const subnid = (await table.value(row, PR.LTP_ROW_ID)) as number | null;
          const a: AttachmentInfo = { subnid: subnid ?? 0, name: '', method: null };
          m.attachments.push(a);
          const ref = subnid !== null ? node.subnodes.get(subnid) : undefined;
          if (!ref) continue;
          try {
            const an = await reader.readRef(ref);
            const ab = openPropBag(an, reader, codepage);
            a.name = (await ab.str(PR.ATTACH_LONG_FILENAME)) ?? (await ab.str(PR.ATTACH_FILENAME)) ?? (await ab.str(PR.DISPLAY_NAME)) ?? '';
            a.method = await ab.num(PR.ATTACH_METHOD);
            await opts.observe?.attachment?.(m, ab);
          } catch (err) {
            ltpFail(nid, 'property-context', `attachment ${hex(subnid ?? 0)} of message ${hex(nid)} unreadable`, err);
          }
        }
      } catch (err) {
        ltpFail(nid, 'table-context', `attachment table of message ${hex(nid)} unreadable`, err);
      }
    }
    walk.attachments += m.attachments.length;
    noteDamage(nid, `message ${hex(nid)}`, node.damage);
  };

  const tableRows = async (nid: number, what: string, hints: boolean): Promise<{ nid: number; hint?: RowHint }[] | null> => {
    const node = await reader.node(nid);
    if (!node) return null;
    noteDamage(nid, what, node.damage);
    try {
      const t = await openTable(node, reader, ansi, codepage);
      const out: { nid: number; hint?: RowHint }[] = [];
      for (const row of t.rows) {
        const id = await t.value(row, PR.LTP_ROW_ID);
        if (typeof id !== 'number') continue;
        if (!hints) {
          out.push({ nid: id >>> 0 });
          continue;
        }
        const subject = await t.value(row, PR.SUBJECT);
        const sender = (await t.value(row, PR.SENDER_NAME)) ?? (await t.value(row, PR.SENT_REPRESENTING_NAME));
        const date = (await t.value(row, PR.DELIVERY_TIME)) ?? (await t.value(row, PR.CLIENT_SUBMIT_TIME));
        out.push({
          nid: id >>> 0,
          hint: { subject: typeof subject === 'string' ? cleanSubject(subject) : '', sender: typeof sender === 'string' ? sender : '', date: date instanceof Date ? date : null },
        });
      }
      return out;
    } catch (err) {
      ltpFail(nid, 'table-context', `${what} unreadable`, err);
      return null;
    }
  };

  const visitFolder = async (nid: number, path: string, depth: number, hidden: boolean): Promise<void> => {
    checkCancel(opts.signal);
    if (folderPaths.has(nid)) {
      log.add({ structure: 'folder', offset: null, nid, detail: `folder ${hex(nid)} is listed twice in the hierarchy (loop); not followed again`, severity: 'error' });
      return;
    }
    if (depth > MAX_FOLDER_DEPTH) {
      log.add({ structure: 'folder', offset: null, nid, detail: `folder hierarchy deeper than ${MAX_FOLDER_DEPTH}; not followed`, severity: 'error' });
      return;
    }
    progress();
    const f: FolderInfo = { nid, path, name: '', readable: false, hidden };
    let hasSubfolders: boolean | null = null;
    folderPaths.set(nid, path);
    const node = await reader.node(nid);
    if (!node) {
      log.add({ structure: 'reference', offset: null, nid, detail: `folder ${hex(nid)} is missing from the node B-tree`, severity: 'error' });
      return;
    }
    walk.folders.push(f);
    noteDamage(nid, `folder ${hex(nid)}`, node.damage);
    try {
      const bag = openPropBag(node, reader, codepage);
      f.name = (await bag.str(PR.DISPLAY_NAME)) ?? '';
      const sub = await bag.get(PR.SUBFOLDERS);
      hasSubfolders = typeof sub === 'boolean' ? sub : null;
      f.readable = true;
    } catch (err) {
      ltpFail(nid, 'property-context', `folder ${hex(nid)} properties unreadable`, err);
    }
    if (depth > 0) {
      f.path = path ? `${path}/${f.name}` : f.name;
      folderPaths.set(nid, f.path);
    }
    opts.observe?.folder?.(f, depth);
    const base = nid & ~0x1f;
    if ((nid & 0x1f) === 0x02) {
      const msgs = await tableRows(base | 0x0e, `contents table of folder '${folderLabel(f)}'`, true);
      for (const m of msgs ?? []) if (!seenMessages.has(m.nid)) await readMessage(m.nid, nid, false, m.hint);
    }
    const children = await tableRows(base | 0x0d, `hierarchy table of folder '${folderLabel(f)}'`, false);
    for (const c of children ?? []) await visitFolder(c.nid, f.path, depth + 1, hidden || (f.readable && hasSubfolders !== true));
  };

  await visitFolder(NID_ROOT_FOLDER, '', 0, false);
  // Folders no hierarchy table reaches (damaged table or index, recovered node entries): attach each under its
  // NBT parent when that one is known, parents first; whatever is left goes under "(recovered)".
  let pending = [...ndb.nbt.entries()].filter((e) => (e.nid & 0x1f) === 0x02 && !folderPaths.has(e.nid));
  for (let pass = 0; pending.length > 0 && pass < MAX_FOLDER_DEPTH; pass++) {
    const ready = pending.filter((e) => folderPaths.has(e.nidParent));
    if (ready.length === 0) break;
    for (const e of ready) if (!folderPaths.has(e.nid)) await visitFolder(e.nid, folderPaths.get(e.nidParent) ?? '', 1, false);
    pending = pending.filter((e) => !folderPaths.has(e.nid));
  }
  for (const e of pending) if (!folderPaths.has(e.nid)) await visitFolder(e.nid, '(recovered)', 1, false);
  const hidden = walk.folders.filter((f) => f.hidden);
  if (hidden.length > 0) {
    log.add({
      structure: 'folder',
      offset: null,
      detail: `${hidden.length} folder(s) sit under a folder that does not flag subfolders (PidTagSubfolders), so some clients never show them: ${hidden.slice(0, 5).map((f) => f.path).join(', ')}${hidden.length > 5 ? ', …' : ''}; they are not in the folder count but are scanned and salvaged`,
      severity: 'info',
      nids: hidden.map((f) => f.nid),
    });
  }
  // Messages the contents tables do not list (damaged table, or recovered entries) are still items of the store.
  for (const e of ndb.nbt.entries()) {
    if ((e.nid & 0x1f) === 0x04 && !seenMessages.has(e.nid)) await readMessage(e.nid, e.nidParent, true);
  }
  opts.onProgress?.({ phase: 'items', done: items, total: items, unit: 'items' });
  return walk;
}

export type { NodeData };
