import { LtpError } from '../ltp.ts';
import { nidIndex, nidOf, TYPE } from '../nids.ts';
import type { NodeReader } from '../nodes.ts';
import { splitMv } from './convert.ts';
import { readTable, type RawProp } from './read.ts';
import { rawString } from './store-info.ts';

// A folder's container class (PidTagContainerClass) tells Outlook what the folder holds: a calendar, contacts, tasks.
// Where the source's class cannot be read, the new store gives the folder the class the store itself names it by
// (the special-folder entry IDs on the root folder and the Inbox, [MS-OXOSFLD] 2.2.3–2.2.4), else the one most of
// its items call for (their message classes, from its contents table); without either it is left without one.

/** Special-folder entry IDs ([MS-OXPROPS]) → the container class of the folder each names. */
const SPECIAL: ReadonlyMap<number, { cls: string; what: string }> = new Map([
  [0x36d0, { cls: 'IPF.Appointment', what: 'calendar' }],
  [0x36d1, { cls: 'IPF.Contact', what: 'contacts folder' }],
  [0x36d2, { cls: 'IPF.Journal', what: 'journal' }],
  [0x36d3, { cls: 'IPF.StickyNote', what: 'notes folder' }],
  [0x36d4, { cls: 'IPF.Task', what: 'tasks folder' }],
  [0x36d7, { cls: 'IPF.Note', what: 'drafts folder' }],
]);
/** PidTagAdditionalRenEntryIds (multi-valued, [MS-OXOSFLD] 2.2.4): mail folders, by position. */
const ADDITIONAL_REN = 0x36d8;
const ADDITIONAL = ['conflicts folder', 'sync issues folder', 'local failures folder', 'server failures folder', 'junk e-mail folder'];

export interface FolderClass {
  cls: string;
  /** Why, in words for the notes ("the store names it its calendar"). */
  why: string;
}

/**
 * Folder NID → class, from the special-folder entry IDs among `props` (the root folder's and the Inbox's); `nidOf`
 * tells the folder an entry ID names (a PST's: entryIdNid; an OST's Exchange ones: ExchangeFolders.resolve).
 */
export function specialFolderClasses(props: RawProp[], nidOf: (entryId: Buffer) => number | null): Map<number, FolderClass> {
  const out = new Map<number, FolderClass>();
  const name = (entryId: Buffer, cls: string, what: string) => {
    const nid = nidOf(entryId);
    if (nid !== null && !out.has(nid)) out.set(nid, { cls, why: `the store names it its ${what}` });
  };
  for (const p of props) {
    if (!('bytes' in p.value)) continue;
    const s = SPECIAL.get(p.id);
    if (s) name(p.value.bytes, s.cls, s.what);
    if (p.id === ADDITIONAL_REN && p.type === 0x1102) (splitMv(p.value.bytes) ?? []).slice(0, ADDITIONAL.length).forEach((b, i) => name(b, 'IPF.Note', ADDITIONAL[i]!));
  }
  return out;
}

/** The container class a message class belongs in ([MS-OXOCAL], [MS-OXOCNTC], [MS-OXOTASK], [MS-OXONOTE], [MS-OXOJRNL]). */
export function folderClassOf(messageClass: string): string {
  const c = messageClass.toLowerCase();
  if (c.startsWith('ipm.appointment') || c.startsWith('ipm.schedule.meeting')) return 'IPF.Appointment';
  if (c.startsWith('ipm.contact') || c.startsWith('ipm.distlist')) return 'IPF.Contact';
  if (c.startsWith('ipm.task')) return 'IPF.Task';
  if (c.startsWith('ipm.stickynote')) return 'IPF.StickyNote';
  if (c.startsWith('ipm.activity')) return 'IPF.Journal';
  return 'IPF.Note';
}

/** The class most of `messageClasses` call for (ties: the first met), or null for none. */
export function classFromItems(messageClasses: string[]): FolderClass | null {
  const votes = new Map<string, number>();
  for (const m of messageClasses) votes.set(folderClassOf(m), (votes.get(folderClassOf(m)) ?? 0) + 1);
  let best: [string, number] | null = null;
  for (const v of votes) if (!best || v[1] > best[1]) best = v;
  if (!best) return null;
  return { cls: best[0], why: `${best[1]} of its ${messageClasses.length} item(s) belong in such a folder` };
}

/** The message classes the contents table of `folder` lists (none when the table cannot be read). */
export async function contentsClasses(reader: NodeReader, folder: number, ansi: boolean, codepage: number): Promise<string[]> {
  const node = await reader.node(nidOf(nidIndex(folder), TYPE.CONTENTS));
  if (!node) return [];
  try {
    const out: string[] = [];
    for (const r of (await readTable(node, reader, ansi)).rows) {
      for (const [tag, v] of r.cells) {
        if (tag >>> 16 !== 0x001a) continue;
        const s = rawString({ id: 0x001a, type: tag & 0xffff, value: v }, codepage);
        if (s) out.push(s);
      }
    }
    return out;
  } catch (err) {
    if (err instanceof LtpError) return [];
    throw err;
  }
}
