import { bidKey } from './index.ts';
import { hex } from './layout.ts';
import { folderLabel, messageLabel, type StoreWalk } from './messaging.ts';
import type { NdbResult } from './ndb.ts';
import type { RawProblem } from './problems.ts';
import type { PstProblem } from './schema.ts';

// Attribution: maps every damaged block/page/node back to the folders, messages and attachments it belongs to,
// by following block → (XBLOCK parent)* → (SLBLOCK entry → subnode)* → NBT node → item.

const MAX_AFFECTS = 50;
const MAX_CHAIN = 32;

/** Folder NID a table node belongs to (hierarchy/contents/associated/search tables share the folder's index). */
function ownerFolder(nid: number): number | null {
  const t = nid & 0x1f;
  return t >= 0x0d && t <= 0x10 ? (nid & ~0x1f) | 0x02 : null;
}

export interface Attribution {
  problems: PstProblem[];
  /** Folders and messages hit by at least one error. */
  damagedItems: Set<number>;
}

export function attribute(ndb: NdbResult | null, walk: StoreWalk | null, raw: RawProblem[]): Attribution {
  const labelOf = itemLabels(walk);
  const damagedItems = new Set<number>();
  const problems: PstProblem[] = raw.map((p) => {
    const affects = new Set<string>();
    const hit = (nid: number, subnids: number[]) => {
      if (affects.size < MAX_AFFECTS) affects.add(labelOf(nid, subnids));
      if (p.severity === 'error') damagedItems.add(ownerFolder(nid) ?? nid);
    };
    if (p.nid !== undefined) hit(p.nid, p.subnid !== undefined ? [p.subnid] : []);
    for (const nid of p.nids ?? []) hit(nid, []);
    for (const bid of [...(p.bid !== undefined ? [p.bid] : []), ...(p.bids ?? [])]) {
      for (const o of ownersOf(ndb, bid)) hit(o.nid, o.subnids);
    }
    if (affects.size === 0) {
      const whole = wholeStructure(p.structure);
      if (whole) affects.add(whole);
    }
    const total = (p.nids?.length ?? 0) + (p.bids?.length ?? 0);
    const detail = total > MAX_AFFECTS ? `${p.detail} (${total} entries; first ${MAX_AFFECTS} items listed)` : p.detail;
    return {
      structure: p.structure,
      offset: p.offset,
      bid: p.bid !== undefined ? hex(p.bid) : null,
      nid: p.nid !== undefined ? hex(p.nid) : null,
      detail,
      severity: p.severity,
      affects: [...affects],
    };
  });
  // Only folders and messages count as items (tables were mapped to their folder above).
  for (const nid of [...damagedItems]) {
    const t = nid & 0x1f;
    if (t !== 0x02 && t !== 0x03 && t !== 0x04) damagedItems.delete(nid);
  }
  return { problems, damagedItems };
}

/** What a problem that names no node affects, by the structure it is in. */
function wholeStructure(structure: string): string | null {
  if (['header', 'file-size', 'amap', 'pmap', 'fmap', 'fpmap', 'dlist'].includes(structure)) return 'whole store';
  // An index page above the leaves: the items below it are named by the "missing from the B-tree" problems.
  if (structure === 'bbt-page') return 'block index: every item whose blocks are listed below this page';
  if (structure === 'nbt-page') return 'node index: every folder/message listed below this page';
  return null;
}

/** How a node (and a subnode chain inside it) is named to the user: the folder, message or attachment it holds. */
function itemLabels(walk: StoreWalk | null): (nid: number, subnids: number[]) => string {
  const labels = new Map<number, string>();
  const attach = new Map<string, string>();
  for (const f of walk?.folders ?? []) labels.set(f.nid, `folder '${folderLabel(f)}'`);
  for (const m of walk?.messages ?? []) {
    const label = messageLabel(m);
    labels.set(m.nid, label);
    for (const a of m.attachments) attach.set(`${m.nid}:${a.subnid}`, `${label}: attachment '${a.name || hex(a.subnid)}'`);
  }
  return (nid, subnids) => {
    for (const s of subnids) {
      const a = attach.get(`${nid}:${s}`);
      if (a) return a;
    }
    if (nid >= 0x60d && nid <= 0x6b6 && (nid >>> 5) < 0x40) return `table template ${hex(nid)} (used when Outlook creates folders/messages)`;
    const folder = ownerFolder(nid);
    if (folder !== null) {
      const kind = (nid & 0x1f) === 0x0d ? 'subfolder list' : (nid & 0x1f) === 0x0e ? 'message list' : 'table';
      return `${labels.get(folder) ?? `folder ${hex(folder)}`} (its ${kind})`;
    }
    const base = labels.get(nid);
    if (base) return subnids.length > 0 && (nid & 0x1f) === 0x04 ? `${base}: part ${hex(subnids[0]!)}` : base;
    if (nid === 0x21) return 'message store properties';
    if (nid === 0x61) return 'named-property map (custom fields of every item)';
    if (nid === 0x122) return 'root folder';
    return `node ${hex(nid)}`;
  };
}

/** BID → owning nodes (with the subnode chain, innermost first). */
function ownersOf(ndb: NdbResult | null, bid: number): { nid: number; subnids: number[] }[] {
  if (!ndb) return [];
  let b = bidKey(bid);
  const subnids: number[] = [];
  for (let i = 0; i < MAX_CHAIN; i++) {
    const owners = ndb.owners.get(b);
    if (owners) return owners.map((nid) => ({ nid, subnids: [...subnids].reverse() }));
    const sl = ndb.slOwner.get(b);
    if (sl) {
      subnids.push(sl.subnid);
      b = sl.slBid;
      continue;
    }
    const parent = ndb.parentOf.get(b);
    if (parent === undefined) return [];
    b = parent;
  }
  return [];
}
