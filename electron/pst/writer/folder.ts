import { nidIndex, nidOf, TYPE } from '../nids.ts';
import type { ContentsRow } from './ids.ts';
import { NodeBuilder } from './ltp.ts';
import type { NdbWriter } from './ndb.ts';
import { isStream, isSubnode, type Prop, type PropKit, type RawValue } from './props.ts';
import { ASSOC_CONTENTS_COLUMNS, CONTENTS_COLUMNS, HIERARCHY_COLUMNS } from './templates.ts';

// A folder ([MS-PST] 2.4.4): its property context plus hierarchy, contents and associated-contents tables, all
// sharing the folder's NID index. The contents tables are written as soon as a folder's messages are (so only one
// folder's rows are ever held), the PC and hierarchy table once every child folder is known.

/** Table cells for `columns` from an object's properties (values held in memory only: tables copy, never spill). */
export function rowOf(rowId: number, props: readonly Prop[], columns: readonly number[]): ContentsRow {
  const wanted = new Set(columns);
  const values = new Map<number, RawValue>();
  // Values are copied: a row lives until its folder's tables are written, and the caller's buffers may be views into
  // memory it reuses (the repair's scratch region) or into whole source blocks.
  for (const p of props) if (wanted.has(p.tag) && !isStream(p.value) && !isSubnode(p.value)) values.set(p.tag, Buffer.isBuffer(p.value) ? Buffer.from(p.value) : p.value);
  return { rowId, values };
}

export function hierarchyColumns(kit: PropKit): number[] {
  return kit.tags(HIERARCHY_COLUMNS);
}

export function contentsColumns(kit: PropKit): number[] {
  return kit.tags(CONTENTS_COLUMNS);
}

export function assocColumns(kit: PropKit): number[] {
  return kit.tags(ASSOC_CONTENTS_COLUMNS);
}

/** The folder's PC (NBT parent = its parent folder) and its hierarchy table, one row per child folder. */
export function writeFolderObject(ndb: NdbWriter, kit: PropKit, nid: number, parent: number, props: Prop[], children: { nid: number; props: Prop[] }[]): void {
  const pc = new NodeBuilder(ndb);
  ndb.addNode(nid, pc.writePc(props), pc.finish(), parent);
  const cols = hierarchyColumns(kit);
  const hier = new NodeBuilder(ndb);
  ndb.addNode(nidOf(nidIndex(nid), TYPE.HIER), hier.writeTc(cols, children.map((c) => rowOf(c.nid, c.props, cols))), hier.finish(), 0);
}

/** The folder's contents and associated-contents (FAI) tables. */
export function writeContentsTables(ndb: NdbWriter, kit: PropKit, nid: number, rows: ContentsRow[], assocRows: ContentsRow[]): void {
  const contents = new NodeBuilder(ndb);
  ndb.addNode(nidOf(nidIndex(nid), TYPE.CONTENTS), contents.writeTc(contentsColumns(kit), rows), contents.finish(), 0);
  const assoc = new NodeBuilder(ndb);
  ndb.addNode(nidOf(nidIndex(nid), TYPE.ASSOC), assoc.writeTc(assocColumns(kit), assocRows), assoc.finish(), 0);
}
