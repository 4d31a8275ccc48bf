import { createHash } from 'node:crypto';
import iconv from 'iconv-lite';
import { PSTFile, PSTRecipient, type PSTFolder, type PSTMessage } from 'pst-extractor';
import { namedKey, readNameToIdMap, type NamedProp } from '../../../electron/pst/nameid.ts';
import { scanNdb } from '../../../electron/pst/ndb.ts';
import { LtpError } from '../../../electron/pst/ltp.ts';
import { NodeReader, type NodeData, type SubnodeRef } from '../../../electron/pst/nodes.ts';
import { ProblemLog } from '../../../electron/pst/problems.ts';
import { encodingFor, splitMv } from '../../../electron/pst/repair/convert.ts';
import { readProps, readTable, readWhole, type RawProp, type RawValue } from '../../../electron/pst/repair/read.ts';
import { PstSource } from '../../../electron/pst/source.ts';
import { extractorAttachments } from '../pst-writer/peers.ts';

// Checks for repaired stores. `snapshot` lists every property of every folder, message, FAI, recipient row and
// attachment (embedded messages included) in a form two stores can be compared in: named properties by name, 8-bit
// strings decoded, entry IDs with the store's MAPIUID blanked, large values by SHA-256. Repair keeps node ids (an
// item's newId names the few it must change), so objects match by NID. `peerWalk` is pst-extractor's view of the
// messages, the independent check of content.

export interface ObjectSnapshot {
  props: Map<string, string>;
  recipients: Map<string, string>[];
  attachments: ObjectSnapshot[];
}

export interface StoreSnapshot {
  kind: 'pst' | 'ost';
  ansi: boolean;
  /** NID → folder, message or FAI. */
  objects: Map<number, ObjectSnapshot>;
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function keyOf(id: number, names: Map<number, NamedProp> | null): string {
  if (id < 0x8000) return `0x${id.toString(16).padStart(4, '0')}`;
  const n = names?.get(id);
  return n ? `named ${namedKey(n)}` : `unnamed 0x${id.toString(16)}`;
}

/** A comparable text for a value: strings decoded, binaries with the store UID blanked, big values hashed. */
/** Bodies and attachment bytes: compared byte for byte (the repair re-points store ids only in other binaries). */
const CONTENT = new Set([0x1009, 0x1013, 0x3701, 0x3709]);

function render(id: number, type: number, bytes: Buffer, cp: number, uid: Buffer | null): string {
  const base = type & 0x0fff;
  const mv = (type & 0x1000) !== 0;
  const str = (b: Buffer) => (base === 0x001e ? iconv.decode(b, encodingFor(cp)) : b.toString('utf16le'));
  if (base === 0x001e || base === 0x001f) {
    if (!mv) return `str:${str(bytes)}`;
    const items = splitMv(bytes);
    return items ? `mvstr:${JSON.stringify(items.map(str))}` : `bad:${sha(bytes)}`;
  }
  let b = bytes;
  if (uid && !CONTENT.has(id) && b.includes(uid)) {
    b = Buffer.from(b);
    for (let at = b.indexOf(uid); at >= 0; at = b.indexOf(uid, at + 16)) b.fill(0, at, at + 16);
  }
  // A fixed value is compared by its type's width: a PC record carries 4 bytes whatever the width, and table cells
  // may be wider than their type (Aspose writes PidTagRowid, a 32-bit integer, into 8-byte cells).
  const width = ({ 0x000b: 1, 0x0002: 2, 0x0003: 4, 0x0004: 4, 0x000a: 4, 0x0005: 8, 0x0006: 8, 0x0007: 8, 0x0014: 8, 0x0040: 8 } as Record<number, number>)[base];
  if (width !== undefined && !mv) b = b.subarray(0, width);
  // The type too: the same bytes under another type are another value (a float is not an integer).
  const t = type.toString(16).padStart(4, '0');
  return b.length > 256 ? `${t}:sha:${sha(b)}:${b.length}` : `${t}:hex:${b.toString('hex')}`;
}

interface Ctx {
  reader: NodeReader;
  names: Map<number, NamedProp> | null;
  uid: Buffer | null;
  ansi: boolean;
  storeCp: number;
}

async function valueText(ctx: Ctx, p: { id: number; type: number; value: RawValue }, cp: number): Promise<string> {
  const v = await readWhole(ctx.reader, p.value, 1 << 30);
  return 'bytes' in v ? render(p.id, p.type, v.bytes, cp, ctx.uid) : `unreadable`;
}

function cpOf(raw: RawProp[], fallback: number): number {
  const p = raw.find((q) => q.id === 0x3ffd && q.type === 0x0003 && 'bytes' in q.value);
  const v = p && 'bytes' in p.value ? p.value.bytes.readInt32LE(0) : 0;
  return v > 0 && v !== 1200 && v !== 65001 ? v : fallback;
}

/** A message (or folder) with its recipients and attachments; an attachment (`attachment`) has only properties. */
async function objectOf(ctx: Ctx, node: NodeData, depth = 0, attachment = false): Promise<ObjectSnapshot> {
  const raw = readProps(node);
  const cp = cpOf(raw, ctx.storeCp);
  const props = new Map<string, string>();
  for (const p of raw) {
    // PtypObject values are node ids of the store: compared through the embedded message below.
    if (p.type === 0x000d) continue;
    props.set(keyOf(p.id, ctx.names), await valueText(ctx, p, cp));
  }
  const recipients: Map<string, string>[] = [];
  const rt = attachment ? undefined : node.subnodes.get(0x692);
  if (rt) {
    const t = await readTable(await ctx.reader.readRef(rt), ctx.reader, ctx.ansi);
    for (const r of [...t.rows].sort((a, b) => a.rowId - b.rowId)) {
      const row = new Map<string, string>();
      for (const [tag, cell] of r.cells) {
        if (tag >>> 16 === 0x67f2 || tag >>> 16 === 0x67f3) continue;
        row.set(keyOf(tag >>> 16, ctx.names), await valueText(ctx, { id: tag >>> 16, type: tag & 0xffff, value: cell }, cp));
      }
      recipients.push(row);
    }
  }
  const attachments: ObjectSnapshot[] = [];
  const at = attachment ? undefined : node.subnodes.get(0x671);
  if (at) {
    for (const rowId of await attachmentIds(ctx, node, at)) {
      const ref = node.subnodes.get(rowId);
      if (!ref) continue;
      const an = await ctx.reader.readRef(ref);
      const a = await objectOf(ctx, an, depth + 1, true);
      const obj = readProps(an).find((p) => p.id === 0x3701 && p.type === 0x000d);
      if (obj && depth < 8) {
        const nid = 'bytes' in obj.value ? obj.value.bytes.readUInt32LE(0) : 'subnode' in obj.value ? obj.value.nid : null;
        const inner = nid !== null ? an.subnodes.get(nid) : undefined;
        if (inner) {
          const innerNode = await ctx.reader.readRef(inner);
          try {
            a.attachments.push(await objectOf(ctx, innerNode, depth + 1));
          } catch {
            // an OLE object's storage is no property context: its bytes are compared by the peers
          }
        }
      }
      attachments.push(a);
    }
  }
  return { props, recipients, attachments };
}

/**
 * The attachments' subnode ids, as the attachment table lists them; when the table cannot be read, the ATTACHMENT
 * subnodes themselves in id order (the table is only their index, and the repair rebuilds it from them).
 */
async function attachmentIds(ctx: Ctx, node: NodeData, table: SubnodeRef): Promise<number[]> {
  try {
    return (await readTable(await ctx.reader.readRef(table), ctx.reader, ctx.ansi)).rows.map((r) => r.rowId);
  } catch (err) {
    if (!(err instanceof LtpError)) throw err;
    return [...node.subnodes.keys()].filter((nid) => (nid & 0x1f) === 0x05).sort((a, b) => a - b);
  }
}

export async function snapshot(file: string): Promise<StoreSnapshot> {
  const src = await PstSource.open(file);
  try {
    const ndb = await scanNdb(src, new ProblemLog());
    if ('unreadable' in ndb) throw new Error(ndb.unreadable);
    const reader = new NodeReader(src, ndb);
    const names = (await readNameToIdMap(reader))?.map ?? null;
    const ansi = ndb.header.layout.id === 4;
    const store = await reader.node(0x21);
    const sraw = store ? readProps(store) : [];
    const rk = sraw.find((p) => p.id === 0x0ff9);
    const uid = rk && 'bytes' in rk.value ? Buffer.from(rk.value.bytes) : null;
    const ctx: Ctx = { reader, names, uid, ansi, storeCp: cpOf(sraw, 1252) };
    const objects = new Map<number, ObjectSnapshot>();
    for (const e of ndb.nbt.entries()) {
      const t = e.nid & 0x1f;
      if (t !== 0x02 && t !== 0x04 && t !== 0x08) continue;
      const node = await reader.node(e.nid);
      if (!node) continue;
      try {
        objects.set(e.nid, await objectOf(ctx, node));
      } catch {
        // unreadable in this store: the caller decides whether it had to be there
      }
    }
    return { kind: ndb.header.kind === 'ost' ? 'ost' : 'pst', ansi, objects };
  } finally {
    await src.close();
  }
}

/** Folder properties the new store computes (counts, subfolder flag), not copies. */
const COMPUTED = new Set(['0x3602', '0x3603', '0x360a', '0x6635', '0x6636']);

/**
 * An OST's special-folder entry IDs (0x36D0–0x36D9) are Exchange ones that the repair re-points to the new store's
 * folders: other bytes by design, checked by which folder each names (repair-convert.test.ts).
 */
const OST_SPECIAL_FOLDER_IDS = /^0x36d[0-9]$/;

/**
 * Every property of `a` (source) that `b` (output) must hold with the same value. Returns the differences as text
 * (empty = equal). OST provider-internal properties (0x6600–0x67FF) are offline state the repair drops.
 */
export function compareObjects(a: ObjectSnapshot, b: ObjectSnapshot, opts: { folder: boolean; ost: boolean }, where = ''): string[] {
  const out: string[] = [];
  const skip = (k: string) => (opts.folder && COMPUTED.has(k)) || (opts.ost && (/^0x6[67][0-9a-f]{2}$/.test(k) || (opts.folder && OST_SPECIAL_FOLDER_IDS.test(k))));
  for (const [k, v] of a.props) {
    if (skip(k)) continue;
    const w = b.props.get(k);
    if (w !== v) out.push(`${where}${k}: ${v.slice(0, 80)} ≠ ${w?.slice(0, 80) ?? '(missing)'}`);
  }
  if (!opts.folder) {
    if (a.recipients.length !== b.recipients.length) out.push(`${where}recipients: ${a.recipients.length} ≠ ${b.recipients.length}`);
    a.recipients.forEach((r, i) => {
      for (const [k, v] of r) if (!skip(k) && b.recipients[i]?.get(k) !== v) out.push(`${where}recipient ${i + 1} ${k}: ${v.slice(0, 60)} ≠ ${b.recipients[i]?.get(k)?.slice(0, 60)}`);
    });
    if (a.attachments.length !== b.attachments.length) out.push(`${where}attachments: ${a.attachments.length} ≠ ${b.attachments.length}`);
    a.attachments.forEach((x, i) => {
      if (b.attachments[i]) out.push(...compareObjects(x, b.attachments[i]!, opts, `${where}attachment ${i + 1} `));
    });
  }
  return out;
}

// ---- pst-extractor ----------------------------------------------------------------------------------------------

export interface PeerMessage {
  subject: string;
  body: string;
  html: string;
  recipients: string[];
  attachments: { name: string; size: number; sha256: string }[];
}

/**
 * Every message pst-extractor reads (subject, plain and HTML text, recipients, attachment names and SHA-256),
 * visiting every subfolder (`content: false`: subjects only, to see that it opens every message). Recipients are read from one pass over the recipient table: pst-extractor 1.12
 * re-parses the whole table on every getRecipient() call, minutes for the 94- and 200-recipient fixtures.
 */
export function peerWalk(file: string, opts: { content?: boolean } = {}): PeerMessage[] {
  const content = opts.content ?? true;
  const pst = new PSTFile(file);
  const out: PeerMessage[] = [];
  try {
    const visit = (f: PSTFolder, depth: number) => {
      if (depth > 32) return;
      // Every child folder, also those under a folder that does not flag subfolders; not search folders, which
      // pst-extractor cannot open (it logs errors) and which hold no messages of their own.
      if ((f.descriptorNodeId.toNumber() & 0x1f) === 0x03) return;
      for (const c of f.getSubFolders()) visit(c, depth + 1);
      if (f.contentCount === 0) return;
      for (let m = f.getNextChild() as PSTMessage | null; m; m = f.getNextChild() as PSTMessage | null) {
        if (!content) {
          out.push({ subject: m.subject, body: '', html: '', recipients: [], attachments: [] });
          continue;
        }
        const recipients: string[] = [];
        if (m.numberOfRecipients > 0) {
          const table = (m as unknown as { recipientTable: { getItems(): Map<number, unknown>[] } | null }).recipientTable;
          for (const item of table?.getItems() ?? []) {
            const r = new PSTRecipient(pst, item as ConstructorParameters<typeof PSTRecipient>[1]);
            recipients.push(r.smtpAddress || r.emailAddress);
          }
        }
        const attachments = extractorAttachments(m);
        out.push({ subject: m.subject, body: m.body, html: m.bodyHTML, recipients, attachments });
      }
    };
    visit(pst.getRootFolder(), 0);
    return out;
  } finally {
    pst.close();
  }
}

/** A message as one comparable string (multiset comparisons of two walks). */
export const peerKey = (m: PeerMessage) => JSON.stringify([m.subject, m.body, m.html, m.recipients, m.attachments]);
