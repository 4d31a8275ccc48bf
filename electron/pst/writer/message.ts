import { NID, nidOf, TYPE } from '../nids.ts';
import type { ContentsRow } from './ids.ts';
import { rowOf } from './folder.ts';
import { NodeBuilder } from './ltp.ts';
import type { NdbWriter } from './ndb.ts';
import type { Prop, PropKit } from './props.ts';
import { ATTACHMENT_COLUMNS } from './templates.ts';

// A message ([MS-PST] 2.4.5): its property context, and in its subnode tree the recipient table, the attachment
// table and one property context per attachment (attachment data in that attachment's own subnode when large; an
// embedded message as a message node below its attachment, [MS-PST] 2.4.6.2). Built part by part, so a caller that
// reads another store can stream each attachment's bytes in as they are read.

export interface WrittenNode {
  bidData: number;
  bidSub: number;
}

export class MessageBuilder {
  readonly node: NodeBuilder;
  private readonly attRows: ContentsRow[] = [];
  private nextAttachment = 0;

  constructor(
    readonly ndb: NdbWriter,
    readonly kit: PropKit,
  ) {
    this.node = new NodeBuilder(ndb);
  }

  /** The recipient table (subnode 0x692): one row per recipient, cells as given. */
  recipients(columns: number[], rows: ContentsRow[]): void {
    const rt = new NodeBuilder(this.ndb);
    this.node.addSubnode({ nid: NID.RCP_TABLE, bidData: rt.writeTc(columns, rows), bidSub: rt.finish() });
  }

  /** The next attachment (subnodes 0x8025, 0x8045, … as Outlook numbers them). */
  attachment(): AttachmentBuilder {
    return new AttachmentBuilder(this, nidOf(0x401 + this.nextAttachment++, TYPE.ATTACHMENT));
  }

  /** Called by AttachmentBuilder.finish: the attachment's node and its attachment-table row. */
  addAttachment(nid: number, written: WrittenNode, props: Prop[]): void {
    this.node.addSubnode({ nid, ...written });
    this.attRows.push(rowOf(nid, props, this.kit.tags(ATTACHMENT_COLUMNS)));
  }

  get attachments(): number {
    return this.attRows.length;
  }

  /** Writes the attachment table (when there are attachments) and the message's PC. */
  finish(props: Prop[]): WrittenNode {
    if (this.attRows.length > 0) {
      const at = new NodeBuilder(this.ndb);
      this.node.addSubnode({ nid: NID.ATT_TABLE, bidData: at.writeTc(this.kit.tags(ATTACHMENT_COLUMNS), this.attRows), bidSub: at.finish() });
    }
    const bidData = this.node.writePc(props);
    return { bidData, bidSub: this.node.finish() };
  }
}

export class AttachmentBuilder {
  readonly node: NodeBuilder;

  constructor(
    private readonly msg: MessageBuilder,
    readonly nid: number,
  ) {
    this.node = new NodeBuilder(msg.ndb);
  }

  /** A message to embed in this attachment; pass what its finish() returned to embed(). */
  embedded(): MessageBuilder {
    return new MessageBuilder(this.msg.ndb, this.msg.kit);
  }

  /**
   * Puts a finished embedded message into this attachment's subnode tree; returns the PtypObject value for
   * PidTagAttachDataObject: the subnode's NID and the object's size ([MS-PST] 2.3.3.4.2).
   */
  embed(nid: number, written: WrittenNode, size: number): Buffer {
    this.node.addSubnode({ nid, ...written });
    const b = Buffer.alloc(8);
    b.writeUInt32LE(nid >>> 0, 0);
    b.writeUInt32LE(size >>> 0, 4);
    return b;
  }

  /** Writes the attachment's PC and adds it, with its attachment-table row, to the message. */
  finish(props: Prop[]): WrittenNode {
    const written = { bidData: this.node.writePc(props), bidSub: this.node.finish() };
    this.msg.addAttachment(this.nid, written, props);
    return written;
  }
}
