import iconv from 'iconv-lite';
import MailComposer, { type MailComposerAttachment, type MailComposerOptions } from 'nodemailer/lib/mail-composer';
import type { MimeNodeAddress } from 'nodemailer/lib/mime-node';
import { hex } from './layout.ts';
import { LtpError } from './ltp.ts';
import type { NodeData, NodeReader } from './nodes.ts';
import { openPropBag, openTable, type PropBag } from './objects.ts';
import { cleanSubject, PR } from './props.ts';

// Builds an RFC 5322 message from a message's property context with nodemailer's MailComposer. Damage met while
// reading (bad CRC, missing blocks) is returned, and a damaged attachment is left out rather than written corrupted.

const NID_RECIPIENT_TABLE = 0x692;
const NID_ATTACHMENT_TABLE = 0x671;
const MAX_EMBED_DEPTH = 3;

export interface ComposeResult {
  eml: Buffer;
  attachments: { name: string; bytes: number }[];
  /** Parts left out or suspect, with why. */
  damage: string[];
}

function address(name: string | null, email: string | null): MimeNodeAddress | undefined {
  const addr = email && email.includes('@') ? email : '';
  if (!name && !addr) return undefined;
  return { name: name ?? '', address: addr };
}

async function recipients(node: NodeData, reader: NodeReader, ansi: boolean, cp: number, damage: string[]) {
  const to: MimeNodeAddress[] = [];
  const cc: MimeNodeAddress[] = [];
  const bcc: MimeNodeAddress[] = [];
  const ref = node.subnodes.get(NID_RECIPIENT_TABLE);
  if (!ref) return { to, cc, bcc };
  try {
    const t = await openTable(await reader.readRef(ref), reader, ansi, cp);
    for (const row of t.rows) {
      const name = (await t.value(row, PR.DISPLAY_NAME)) as string | null;
      const smtp = (await t.value(row, PR.SMTP_ADDRESS)) as string | null;
      const email = (await t.value(row, PR.EMAIL_ADDRESS)) as string | null;
      const a = address(typeof name === 'string' ? name : null, typeof smtp === 'string' && smtp ? smtp : typeof email === 'string' ? email : null);
      if (!a) continue;
      const type = await t.value(row, PR.RECIPIENT_TYPE);
      (type === 2 ? cc : type === 3 ? bcc : to).push(a);
    }
  } catch (err) {
    if (!(err instanceof LtpError)) throw err;
    damage.push(`recipient table unreadable: ${err.message}`);
  }
  return { to, cc, bcc };
}

function htmlText(v: unknown, cp: number): string | undefined {
  if (typeof v === 'string') return v;
  if (Buffer.isBuffer(v)) return iconv.decode(v, iconv.encodingExists(`cp${cp}`) ? `cp${cp}` : 'utf8');
  return undefined;
}

export async function composeMessage(node: NodeData, reader: NodeReader, ansi: boolean, cp = 1252, depth = 0): Promise<ComposeResult> {
  const damage: string[] = [];
  const before = node.damage.length;
  const bag = openPropBag(node, reader, cp);
  const icp = (await bag.num(PR.INTERNET_CODEPAGE)) ?? 65001;
  const subject = cleanSubject((await bag.str(PR.SUBJECT)) ?? '');
  const from = address(await bag.str(PR.SENDER_NAME), (await bag.str(PR.SENDER_SMTP)) ?? (await bag.str(PR.SENDER_EMAIL)));
  const date = (await bag.date(PR.CLIENT_SUBMIT_TIME)) ?? (await bag.date(PR.DELIVERY_TIME)) ?? undefined;
  const text = (await bag.str(PR.BODY)) ?? undefined;
  const html = htmlText(await bag.get(PR.BODY_HTML), icp);
  const messageId = (await bag.str(PR.INTERNET_MESSAGE_ID)) ?? undefined;
  const rcpt = await recipients(node, reader, ansi, cp, damage);
  const attachments: MailComposerAttachment[] = [];
  const listed: ComposeResult['attachments'] = [];
  const ref = node.subnodes.get(NID_ATTACHMENT_TABLE);
  if (ref) {
    try {
      const t = await openTable(await reader.readRef(ref), reader, ansi, cp);
      for (const row of t.rows) {
        const subnid = await t.value(row, PR.LTP_ROW_ID);
        const aref = typeof subnid === 'number' ? node.subnodes.get(subnid) : undefined;
        if (!aref) {
          damage.push(`attachment ${hex(Number(subnid ?? 0))}: its subnode is missing`);
          continue;
        }
        const an = await reader.readRef(aref);
        const a = await attachment(an, reader, ansi, cp, depth, subnid as number);
        if ('error' in a) damage.push(a.error);
        else {
          attachments.push(a.part);
          listed.push({ name: a.name, bytes: a.bytes });
        }
      }
    } catch (err) {
      if (!(err instanceof LtpError)) throw err;
      damage.push(`attachment table unreadable: ${err.message}`);
    }
  }
  for (const d of node.damage.slice(before)) damage.push(`block ${hex(d.bid)}: ${d.detail}`);
  const mail: MailComposerOptions = {
    subject, from, to: rcpt.to, cc: rcpt.cc, bcc: rcpt.bcc, date, text, html, messageId, attachments,
    // Content comes only from the store; never let a crafted value make the composer read files or URLs.
    disableFileAccess: true,
    disableUrlAccess: true,
    headers: damage.length > 0 ? { 'X-MailMedic-Damaged': damage.slice(0, 5).join(' | ').slice(0, 900) } : undefined,
  };
  const eml = await new MailComposer(mail).compile().build();
  return { eml, attachments: listed, damage };
}

async function attachment(
  an: NodeData,
  reader: NodeReader,
  ansi: boolean,
  cp: number,
  depth: number,
  subnid: number,
): Promise<{ part: MailComposerAttachment; name: string; bytes: number } | { error: string }> {
  let ab: PropBag;
  try {
    ab = openPropBag(an, reader, cp);
  } catch (err) {
    if (!(err instanceof LtpError)) throw err;
    return { error: `attachment ${hex(subnid)}: properties unreadable (${err.message})` };
  }
  const name = (await ab.str(PR.ATTACH_LONG_FILENAME)) ?? (await ab.str(PR.ATTACH_FILENAME)) ?? (await ab.str(PR.DISPLAY_NAME)) ?? `attachment-${subnid.toString(16)}`;
  const entry = ab.props.get(PR.ATTACH_DATA);
  if (entry?.type === 0x000d) {
    // PtypObject: the PC value is {nid of the subnode holding the embedded message, size} ([MS-PST] 2.3.3.4.2).
    const obj = entry.ref.kind === 'subnode' ? null : await ab.bytes(PR.ATTACH_DATA);
    const nid = entry.ref.kind === 'subnode' ? entry.ref.nid : obj && obj.length >= 4 ? obj.readUInt32LE(0) : 0;
    const inner = an.subnodes.get(nid);
    if (!inner || depth >= MAX_EMBED_DEPTH) return { error: `embedded message '${name}': ${inner ? 'nested too deep' : 'its subnode is missing'}` };
    try {
      const sub = await composeMessage(await reader.readRef(inner), reader, ansi, cp, depth + 1);
      const file = name.toLowerCase().endsWith('.eml') ? name : `${name}.eml`;
      return { part: { filename: file, content: sub.eml, contentType: 'message/rfc822' }, name: file, bytes: sub.eml.length };
    } catch (err) {
      if (!(err instanceof LtpError)) throw err;
      return { error: `embedded message '${name}' unreadable: ${err.message}` };
    }
  }
  const data = await ab.bytes(PR.ATTACH_DATA);
  const damaged = an.damage; // damage anywhere in the attachment's node (heap or data subnode) taints its bytes
  if (damaged.length > 0) return { error: `attachment '${name}' left out: block ${hex(damaged[0]!.bid)} ${damaged[0]!.detail}` };
  if (!data) return { error: `attachment '${name}' has no readable data` };
  const mime = (await ab.str(PR.ATTACH_MIME_TAG)) ?? undefined;
  const cid = (await ab.str(PR.ATTACH_CONTENT_ID)) ?? undefined;
  return { part: { filename: name, content: data, contentType: mime, cid }, name, bytes: data.length };
}
