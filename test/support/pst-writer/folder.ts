import { nidOf, tagsOf, TYPE, type ContentsRow } from './ids.ts';
import { NodeBuilder } from './ltp.ts';
import type { NdbWriter } from './ndb.ts';
import type { Prop, PropKit } from './props.ts';

// A folder ([MS-PST] 2.4.4): its property context plus hierarchy, contents and associated-contents tables, all
// sharing the folder's NID index.

export interface FolderPlan {
  nid: number;
  parent: number;
  name: string;
  path: string;
  cls: string | null;
  messages: number;
  children: FolderPlan[];
}

/** Writes a store; on any failure the partial file is deleted and the error rethrown. */
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

export function hierarchyColumns(kit: PropKit): number[] {
  return [kit.strTag(0x3001), 0x36020003, 0x36030003, 0x360a000b, kit.strTag(0x3613)];
}

export function contentsColumns(kit: PropKit): number[] {
  return [0x00170003, kit.strTag(0x001a), 0x00360003, kit.strTag(0x0037), 0x00390040, kit.strTag(0x0042), kit.strTag(0x0e04),
    0x0e060040, 0x0e070003, 0x0e080003, 0x30080040];
}

export function writeFolder(ndb: NdbWriter, kit: PropKit, f: FolderPlan, rows: ContentsRow[]): void {
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
