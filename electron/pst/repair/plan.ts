import type { StoreWalk } from '../messaging.ts';
import type { NdbResult } from '../ndb.ts';
import { NID, nidIndex, nidOf, nidType, TYPE } from '../nids.ts';
import type { SourceStore } from './store-info.ts';

// The folder tree of the new store, decided before anything is written: every normal folder the scan reached keeps
// its NID (so entry IDs, the receive-folder table and FAI that name folders stay right) and its place (under the
// folder whose hierarchy table lists it, as Outlook shows it, even where the node B-tree names another parent); search
// folders are not copied; the store's special folders (IPM subtree, Deleted Items, Search Root) are found through the
// store's entry IDs, else by name, else created; folders whose parent is gone, and messages no folder lists
// (orphans), go to a top-level "Lost and Found" that repeats their original folder path where it is known.
// A folder or message whose id lies below the root folder's takes a new one (see ownNid).

export interface PlanFolder {
  nid: number;
  parent: number;
  name: string;
  /** Path in the new store ("Top of Personal Folders/Inbox"); the root folder's is "". */
  path: string;
  /** The source folder copied here (null for folders the repair creates). */
  source: number | null;
  /** Container class for created folders. */
  cls: string | null;
}

export interface FolderPlan {
  root: PlanFolder;
  ipm: PlanFolder;
  finder: PlanFolder;
  wastebasket: PlanFolder;
  /** Every folder in creation order (parents first). */
  order: PlanFolder[];
  byNid: Map<number, PlanFolder>;
  /** The new store's folder for a source folder. */
  bySource: Map<number, PlanFolder>;
  /** Source folders placed under Lost and Found because their parent is not in the store any more. */
  displaced: number;
  /** The Lost and Found folder for an original path (created on first use). */
  lostAndFound(originalPath: string | null): PlanFolder;
  /** The id a source folder or message has in the new store (the same one unless it had to change). */
  ownNid(nid: number): number;
  /** The ids that changed so far: source → new store. */
  renumbered: ReadonlyMap<number, number>;
}

export const LOST_AND_FOUND = 'Lost and Found';

/** A NID's index is its upper 27 bits ([MS-PST] 2.2.2.1). */
const MAX_NID_INDEX = 2 ** 27 - 1;

export function planFolders(walk: StoreWalk, ndb: NdbResult, store: SourceStore): FolderPlan {
  // New folders take indexes no node of the source uses (a folder shares its index with its tables), from 0x400 up
  // (the indexes below belong to the nodes every store has). Free indexes are searched, not counted on from the
  // largest in use: a damaged entry can carry any NID, the largest index included, and counting past it would wrap
  // to index 0.
  const used = new Set<number>();
  for (const e of ndb.nbt.entries()) used.add(nidIndex(e.nid));
  let nextIndex = 0x400;
  const fresh = (type: number = TYPE.FOLDER) => {
    while (used.has(nextIndex)) nextIndex++;
    if (nextIndex > MAX_NID_INDEX) throw new Error('no free node id for a new folder or message');
    return nidOf(nextIndex++, type);
  };
  // Ids below the root folder's belong to the nodes every store has; a folder or message there is damage. Such an id
  // is replaced: libpff (pffexport) builds its folder tree in id order and refuses a store in which a node that comes
  // before the root folder hangs below it. The source's intact stores all use higher ids, so they never change.
  const renumbered = new Map<number, number>();
  const ownNid = (nid: number): number => {
    if (nid >= NID.ROOT) return nid;
    let to = renumbered.get(nid);
    if (to === undefined) renumbered.set(nid, (to = fresh(nidType(nid))));
    return to;
  };

  const walked = new Map(walk.folders.filter((f) => nidType(f.nid) === TYPE.FOLDER).map((f) => [f.nid, f]));
  // Where the walk found a folder (the hierarchy table that lists it, which is what Outlook shows), else the parent
  // its node B-tree entry names.
  const parentOf = (nid: number) => walked.get(nid)?.parent ?? ndb.nbt.find(nid)?.nidParent ?? null;
  const byNid = new Map<number, PlanFolder>();
  const bySource = new Map<number, PlanFolder>();
  const order: PlanFolder[] = [];
  const add = (f: PlanFolder) => {
    byNid.set(f.nid, f);
    if (f.source !== null) bySource.set(f.source, f);
    order.push(f);
    return f;
  };
  const childPath = (parent: PlanFolder, name: string) => (parent.path ? `${parent.path}/${name}` : name);
  const nameOf = (nid: number) => walked.get(nid)?.name || `Folder ${nid.toString(16)}`;

  const root = add({ nid: NID.ROOT, parent: NID.ROOT, name: '', path: '', source: walked.has(NID.ROOT) ? NID.ROOT : null, cls: null });
  const childrenOf = (nid: number) => [...walked.values()].filter((f) => f.nid !== nid && parentOf(f.nid) === nid);
  /**
   * A special folder: the one the store's entry ID names, else the one `guess` finds, else a new one. Special folders
   * sit where a new store has them (IPM subtree and Search Root under the root, Deleted Items under the IPM subtree),
   * whatever their place in the source: an OST keeps its IPM subtree under "Root - Mailbox".
   */
  const special = (propId: number, guess: () => number | undefined, parent: PlanFolder, name: string, cls: string | null): PlanFolder => {
    const byId = store.folders.get(propId);
    const free = (nid: number | undefined) => nid !== undefined && walked.has(nid) && !bySource.has(nid) && nid !== NID.ROOT;
    const nid = free(byId) ? byId : guess();
    if (nid !== undefined && free(nid)) return add({ nid: ownNid(nid), parent: parent.nid, name: nameOf(nid), path: childPath(parent, nameOf(nid)), source: nid, cls: null });
    return add({ nid: fresh(), parent: parent.nid, name, path: childPath(parent, name), source: null, cls });
  };
  const named = (pool: { nid: number; name: string }[], re: RegExp) => pool.find((f) => re.test(f.name) && !bySource.has(f.nid))?.nid;
  // Without an entry ID: the folder that receives IPM mail (the Inbox) sits in the IPM subtree.
  const inbox = store.receive.find((r) => r.cls === 'IPM' || r.cls === 'IPM.Note')?.nid ?? store.receive.find((r) => r.cls === '')?.nid;
  const inboxParent = inbox !== undefined && inbox !== NID.ROOT ? (parentOf(inbox) ?? undefined) : undefined;
  const ipm = special(0x35e0, () => (inboxParent !== undefined && inboxParent !== NID.ROOT ? inboxParent : named(childrenOf(NID.ROOT), /^(Top of |IPM_SUBTREE$)/i)), root, 'Top of Personal Folders', null);
  const ipmParent = ipm.source !== null ? parentOf(ipm.source) : null;
  const finder = special(0x35e7, () => named([...childrenOf(NID.ROOT), ...(ipmParent !== null && ipmParent !== NID.ROOT ? childrenOf(ipmParent) : [])], /^(Search Root|Finder)$/i), root, 'Search Root', null);
  const wastebasket = special(0x35e3, () => (ipm.source !== null ? named(childrenOf(ipm.source), /^Deleted Items$/i) : undefined), ipm, 'Deleted Items', 'IPF.Note');

  let lf: PlanFolder | null = null;
  const lfPaths = new Map<string, PlanFolder>();
  const lostAndFound = (originalPath: string | null): PlanFolder => {
    lf ??= add({ nid: fresh(), parent: ipm.nid, name: LOST_AND_FOUND, path: childPath(ipm, LOST_AND_FOUND), source: null, cls: 'IPF.Note' });
    let at = lf;
    // The original path without the IPM subtree it lived in; unknown paths leave the item in Lost and Found itself.
    const parts = (originalPath ?? '').split('/').filter(Boolean);
    if (parts[0] === ipm.name || /^Top of /i.test(parts[0] ?? '')) parts.shift();
    if (parts.some((p) => p.startsWith('('))) return at;
    for (const p of parts) {
      const key = `${at.nid}/${p}`;
      let next = lfPaths.get(key);
      if (!next) {
        next = add({ nid: fresh(), parent: at.nid, name: p, path: childPath(at, p), source: null, cls: 'IPF.Note' });
        lfPaths.set(key, next);
      }
      at = next;
    }
    return at;
  };

  let displaced = 0;
  for (const f of walk.folders) {
    if (nidType(f.nid) !== TYPE.FOLDER || bySource.has(f.nid)) continue;
    const p = parentOf(f.nid);
    const parent = p !== null ? bySource.get(p) : undefined;
    if (parent && parent !== finder) {
      add({ nid: ownNid(f.nid), parent: parent.nid, name: nameOf(f.nid), path: childPath(parent, nameOf(f.nid)), source: f.nid, cls: null });
      continue;
    }
    // Its parent is not in the new store (unreadable, a search folder, or the Search Root): keep it in Lost and Found.
    displaced++;
    const home = lostAndFound(null);
    add({ nid: ownNid(f.nid), parent: home.nid, name: nameOf(f.nid), path: childPath(home, nameOf(f.nid)), source: f.nid, cls: null });
  }
  return { root, ipm, finder, wastebasket, order, byNid, bySource, displaced, lostAndFound, ownNid, renumbered };
}
