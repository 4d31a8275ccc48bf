import { hex } from './layout.ts';
import { LOWEST_NID } from './nids.ts';
import { openPropBag, openTable } from './objects.ts';
import { cleanSubject, PR } from './props.ts';
import { readMessage, type RowHint } from './read-message.ts';
import type { WalkContext } from './walk-context.ts';
import { folderLabel, type FolderInfo } from './walk-model.ts';

// The folder hierarchy: each folder's property context, the messages its contents table lists, and the folders its
// hierarchy table lists, depth first. A folder's tables share its NID index with another NID type ([MS-PST] 2.4.4).

/** Deep enough to see hierarchies past the 300 levels the Microsoft 365 import refuses; a bound against malformed chains. */
export const MAX_FOLDER_DEPTH = 1024;
const NID_TYPE_MASK = 0x1f;
export const NID_TYPE_NORMAL_FOLDER = 0x02;
export const NID_TYPE_NORMAL_MESSAGE = 0x04;
const NID_TYPE_SEARCH_FOLDER = 0x03;
const NID_TYPE_HIERARCHY_TABLE = 0x0d;
const NID_TYPE_CONTENTS_TABLE = 0x0e;

/**
 * Visits folder `nid` (below `path`, at `depth`) and everything under it. `hidden`: a folder above does not flag
 * subfolders, so clients that trust PidTagSubfolders never show this one. `listedBy`: the folder whose hierarchy table
 * lists it (null for the root and for folders found through the node B-tree).
 */
export async function visitFolder(ctx: WalkContext, nid: number, path: string, depth: number, hidden: boolean, listedBy: number | null = null): Promise<void> {
  ctx.checkCancel();
  if (ctx.folderPaths.has(nid)) {
    ctx.log.add({ structure: 'folder', offset: null, nid, detail: `folder ${hex(nid)} is listed twice in the hierarchy (loop); not followed again`, severity: 'error' });
    return;
  }
  if (depth > MAX_FOLDER_DEPTH) {
    ctx.log.add({ structure: 'folder', offset: null, nid, detail: `folder hierarchy deeper than ${MAX_FOLDER_DEPTH}; not followed`, severity: 'error' });
    return;
  }
  ctx.progress();
  const nbtParent = ctx.ndb.nbt.find(nid)?.nidParent ?? null;
  const f: FolderInfo = { nid, path, name: '', readable: false, hidden, parent: listedBy ?? (depth > 0 ? nbtParent : null) };
  let hasSubfolders: boolean | null = null;
  ctx.folderPaths.set(nid, path);
  const node = await ctx.reader.node(nid);
  if (!node) {
    ctx.log.add({ structure: 'reference', offset: null, nid, detail: `folder ${hex(nid)} is missing from the node B-tree`, severity: 'error' });
    return;
  }
  ctx.walk.folders.push(f);
  // The node B-tree names each folder's parent too; when it names another folder than the hierarchy table that lists
  // it, Outlook shows the folder where the table says, and the index disagrees ([MS-PST] 2.2.2.7.7.4, nidParent).
  if (listedBy !== null && nbtParent !== listedBy) {
    ctx.log.add({ structure: 'reference', offset: null, nid, detail: `folder ${hex(nid)} is listed in the hierarchy table of folder ${hex(listedBy)}, but its node B-tree entry names ${hex(nbtParent ?? 0)} as its parent`, severity: 'error' });
  }
  ctx.noteDamage(nid, `folder ${hex(nid)}`, node.damage);
  try {
    const bag = openPropBag(node, ctx.reader, ctx.codepage);
    f.name = (await bag.str(PR.DISPLAY_NAME)) ?? '';
    const sub = await bag.get(PR.SUBFOLDERS);
    hasSubfolders = typeof sub === 'boolean' ? sub : null;
    f.readable = true;
  } catch (err) {
    ctx.ltpFail(nid, 'property-context', `folder ${hex(nid)} properties unreadable`, err);
  }
  if (depth > 0) {
    f.path = path ? `${path}/${f.name}` : f.name;
    ctx.folderPaths.set(nid, f.path);
  }
  ctx.observe?.folder?.(f, depth);
  const base = nid & ~NID_TYPE_MASK;
  if ((nid & NID_TYPE_MASK) === NID_TYPE_NORMAL_FOLDER) {
    const contents = `contents table of folder '${folderLabel(f)}'`;
    const msgs = await tableRows(ctx, base | NID_TYPE_CONTENTS_TABLE, contents, MESSAGES, true);
    for (const m of msgs ?? []) if (!ctx.seenMessages.has(m.nid)) await readMessage(ctx, m.nid, nid, false, m.hint);
    reportForeignMessages(ctx, base | NID_TYPE_CONTENTS_TABLE, contents, nid, msgs ?? []);
  }
  const children = await tableRows(ctx, base | NID_TYPE_HIERARCHY_TABLE, `hierarchy table of folder '${folderLabel(f)}'`, FOLDERS, false);
  for (const c of children ?? []) await visitFolder(ctx, c.nid, f.path, depth + 1, hidden || (f.readable && hasSubfolders !== true), nid);
}

/**
 * Messages a folder's contents table lists whose node B-tree entries name another folder as their parent: one problem
 * per table (the messages stay where the table puts them, which is where Outlook shows them).
 */
function reportForeignMessages(ctx: WalkContext, tableNid: number, what: string, folder: number, rows: { nid: number }[]): void {
  const foreign: number[] = [];
  for (const r of rows) {
    const parent = ctx.ndb.nbt.find(r.nid)?.nidParent;
    if (parent !== undefined && parent !== folder) foreign.push(r.nid);
  }
  if (foreign.length === 0) return;
  const quoted = foreign.slice(0, MAX_QUOTED_ROWS).map(hex).join(', ') + (foreign.length > MAX_QUOTED_ROWS ? ', …' : '');
  ctx.log.add({ structure: 'reference', offset: null, nid: tableNid, detail: `${what}: ${foreign.length} message(s) whose node B-tree entries name another folder as their parent (${quoted})`, severity: 'error' });
}

/** What the rows of each table name: a contents table lists messages, a hierarchy table folders ([MS-PST] 2.4.4.4–5). */
const MESSAGES = { types: [NID_TYPE_NORMAL_MESSAGE], noun: 'message' } as const;
const FOLDERS = { types: [NID_TYPE_NORMAL_FOLDER, NID_TYPE_SEARCH_FOLDER], noun: 'folder' } as const;
/** Whether `nid` can be a folder or message of one of `types`: its type, and not below the lowest id a store uses. */
export function isNidOf(nid: number, types: readonly number[]): boolean {
  return nid >= LOWEST_NID && types.includes(nid & NID_TYPE_MASK);
}

/** How many wrong row ids one problem quotes. */
const MAX_QUOTED_ROWS = 5;

/**
 * The row ids of a hierarchy or contents table (with what each row says about its message when `hints`); null when
 * unreadable. A row whose id is not a NID of the kind the table lists (a damaged table, or a table node that points at
 * another table's data) is reported and left out: following it would read a folder as a message or the reverse.
 */
async function tableRows(ctx: WalkContext, nid: number, what: string, lists: typeof MESSAGES | typeof FOLDERS, hints: boolean): Promise<{ nid: number; hint?: RowHint }[] | null> {
  const node = await ctx.reader.node(nid);
  if (!node) return null;
  ctx.noteDamage(nid, what, node.damage);
  try {
    const t = await openTable(node, ctx.reader, ctx.ansi, ctx.codepage);
    const out: { nid: number; hint?: RowHint }[] = [];
    const wrong: number[] = [];
    for (const row of t.rows) {
      const id = await t.value(row, PR.LTP_ROW_ID);
      if (typeof id !== 'number') continue;
      if (!isNidOf(id >>> 0, lists.types)) {
        wrong.push(id >>> 0);
        continue;
      }
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
    if (wrong.length > 0) {
      const quoted = wrong.slice(0, MAX_QUOTED_ROWS).map(hex).join(', ') + (wrong.length > MAX_QUOTED_ROWS ? ', …' : '');
      ctx.log.add({ structure: 'table-context', offset: null, nid, detail: `${what}: ${wrong.length} row(s) name a node that is not a ${lists.noun} (${quoted}); left out`, severity: 'error' });
    }
    return out;
  } catch (err) {
    ctx.ltpFail(nid, 'table-context', `${what} unreadable`, err);
    return null;
  }
}
