import { hex } from './layout.ts';
import type { NodeData } from './nodes.ts';
import { NID } from './nids.ts';
import { openPropBag, openTable } from './objects.ts';
import { cleanSubject, PR } from './props.ts';
import type { WalkContext } from './walk-context.ts';
import type { AttachmentInfo, MessageInfo } from './walk-model.ts';

// One message of the walk: its subject, sender and date from its property context, and each attachment's name and
// method from the attachment table and the attachment objects in its subnode tree ([MS-PST] 2.4.5, 2.4.6).


/** What a folder's contents table says about a message: names it even when the message itself is lost. */
export type RowHint = { subject: string; sender: string; date: Date | null };

/** Reads message `nid` of folder `folderNid` into the walk; whatever cannot be read is logged and the walk goes on. */
export async function readMessage(ctx: WalkContext, nid: number, folderNid: number, orphan: boolean, hint?: RowHint): Promise<void> {
  ctx.checkCancel();
  ctx.seenMessages.add(nid);
  ctx.progress();
  const m: MessageInfo = {
    nid, folderNid, folderPath: ctx.folderPaths.get(folderNid) ?? '(unknown folder)',
    subject: hint?.subject ?? '', sender: hint?.sender ?? '', date: hint?.date ?? null,
    attachments: [], orphan, readable: false,
  };
  ctx.walk.messages.push(m);
  const node = await ctx.reader.node(nid);
  if (!node) {
    ctx.log.add({ structure: 'reference', offset: null, nid, detail: `message ${hex(nid)} is listed in its folder but missing from the node B-tree`, severity: 'error' });
    return;
  }
  try {
    const bag = openPropBag(node, ctx.reader, ctx.codepage);
    m.subject = cleanSubject((await bag.str(PR.SUBJECT)) ?? m.subject);
    m.sender = (await bag.str(PR.SENDER_NAME)) ?? (await bag.str(PR.SENT_REPRESENTING_NAME)) ?? m.sender;
    m.date = (await bag.date(PR.DELIVERY_TIME)) ?? (await bag.date(PR.CLIENT_SUBMIT_TIME)) ?? m.date;
    m.readable = true;
    await ctx.observe?.message?.(m, bag);
  } catch (err) {
    ctx.ltpFail(nid, 'property-context', `message ${hex(nid)} properties unreadable`, err);
  }
  await readAttachments(ctx, node, m);
  ctx.walk.attachments += m.attachments.length;
  ctx.noteDamage(nid, `message ${hex(nid)}`, node.damage);
}

/** Lists the message's attachments: one entry per attachment-table row, named when its attachment object reads. */
async function readAttachments(ctx: WalkContext, node: NodeData, m: MessageInfo): Promise<void> {
  const at = node.subnodes.get(NID.ATT_TABLE);
  if (!at) return;
  const nid = m.nid;
  try {
    const tnode = await ctx.reader.readRef(at);
    ctx.noteDamage(nid, 'attachment table', tnode.damage);
    const table = await openTable(tnode, ctx.reader, ctx.ansi, ctx.codepage);
    for (const row of table.rows) {
      const subnid = (await table.value(row, PR.LTP_ROW_ID)) as number | null;
      const a: AttachmentInfo = { subnid: subnid ?? 0, name: '', method: null };
      m.attachments.push(a);
      const ref = subnid !== null ? node.subnodes.get(subnid) : undefined;
      if (!ref) continue;
      try {
        const an = await ctx.reader.readRef(ref);
        const ab = openPropBag(an, ctx.reader, ctx.codepage);
        a.name = (await ab.str(PR.ATTACH_LONG_FILENAME)) ?? (await ab.str(PR.ATTACH_FILENAME)) ?? (await ab.str(PR.DISPLAY_NAME)) ?? '';
        a.method = await ab.num(PR.ATTACH_METHOD);
        await ctx.observe?.attachment?.(m, ab);
      } catch (err) {
        ctx.ltpFail(nid, 'property-context', `attachment ${hex(subnid ?? 0)} of message ${hex(nid)} unreadable`, err);
      }
    }
  } catch (err) {
    ctx.ltpFail(nid, 'table-context', `attachment table of message ${hex(nid)} unreadable`, err);
  }
}
