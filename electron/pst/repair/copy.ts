import iconv from 'iconv-lite';
import { throwIfCancelled } from '../../core/errors.ts';
import { hex } from '../layout.ts';
import { LtpError, parseHeap } from '../ltp.ts';
import type { NodeData, NodeReader, SubnodeRef } from '../nodes.ts';
import { NID, nidType, TYPE } from '../nids.ts';
import type { ContentsRow } from '../writer/ids.ts';
import type { NodeBuilder } from '../writer/ltp.ts';
import type { AttachmentBuilder, MessageBuilder } from '../writer/message.ts';
import type { NdbWriter } from '../writer/ndb.ts';
import { PT, tagOf, type Prop, type RawValue as OutValue } from '../writer/props.ts';
import { convertValue, encodingFor, ENTRY_ID_SCAN_MAX, invalidValue, knownTag, mapTag, mayHoldEntryIds, needsConversion, outType, usableCodepage, type ConvertContext } from './convert.ts';
import { NO_DATA_BLOCK, readProps, readTable, readWhole, type RawProp, type RawValue } from './read.ts';

// Copies one message of the source store into a MessageBuilder of the new store: every property as stored (see
// convert.ts for the exceptions), the recipient table row by row, and every attachment — by-value bytes streamed
// block by block, embedded messages recursively, reference and OLE attachments with their properties and object.
// What cannot be read is left out and named in `missing`; a damaged attachment is left out whole (its node is rolled
// back), never written with wrong bytes.

export interface CopyEnv {
  reader: NodeReader;
  /** The source is an ANSI store (layout id 4): tables have 2-byte row indexes, strings are 8-bit. */
  ansi: boolean;
  storeCodepage: number;
  ctx: Omit<ConvertContext, 'codepage'>;
  signal?: AbortSignal;
  /**
   * The source encodes its blocks the way the new store does (permutative, which does not depend on the block id):
   * streamed values are copied as stored, without decoding and encoding every byte again.
   */
  sameEncoding: boolean;
  /** Store-wide counts of what was left out for reasons that are not damage (reported once, not per item). */
  dropped: { unnamed: number; offline: number; full: number };
  /** Store-wide count of tables that could not be read and were rebuilt from what they index. */
  rebuilt: { attachmentTables: number };
  /** Named-property ids copied without a name (the source's map does not list them). */
  unnamedKept: Set<number>;
}

export interface CopyResult {
  props: Prop[];
  /** Parts left out, in words ("attachment 2 of 3 unreadable: …"). */
  missing: string[];
  /** The ids of the properties left out because they could not be read. */
  unreadable?: number[];
}

const PR_ATTACH_DATA = 0x3701;
const PR_ATTACH_METHOD = 0x3705;
const ATTACH_EMBEDDED_MSG = 5;
const MAX_EMBED_DEPTH = 16;
const PR_MESSAGE_CODEPAGE = 0x3ffd;
const PR_INTERNET_CPID = 0x3fde;

/** What a property is, for the list of what was left out. */
export function propLabel(id: number): string {
  switch (id) {
    case 0x1000:
      return 'plain-text body';
    case 0x1013:
      return 'HTML body';
    case 0x1009:
      return 'RTF body';
    case 0x007d:
      return 'Internet headers';
    case 0x0037:
      return 'subject';
    default:
      return `property ${hex(id)}`;
  }
}

function long(p: RawProp | undefined): number | null {
  return p && 'bytes' in p.value && p.value.bytes.length >= 4 && (p.type === PT.LONG) ? p.value.bytes.readInt32LE(0) : null;
}

/** US-ASCII (20127): every code page the fallback can be reads its bytes alike, and it has no 8-bit characters. */
const US_ASCII = 20127;

/**
 * The code page of an object's 8-bit strings: its own PidTagMessageCodepage, else its Internet code page, else the
 * store's. US-ASCII is passed over: a byte above 0x7F in such a string (text the header mislabels, or damage) would
 * become U+FFFD, where the store's code page keeps a character and reads every ASCII byte the same.
 */
export function codepageOf(props: RawProp[], fallback: number): number {
  const own = long(props.find((p) => p.id === PR_MESSAGE_CODEPAGE));
  if (usableCodepage(own) && own !== US_ASCII) return own;
  const internet = long(props.find((p) => p.id === PR_INTERNET_CPID));
  if (usableCodepage(internet) && internet !== 65001 && internet !== US_ASCII) return internet;
  return fallback;
}

/** Streams a subnode-held value into a new subnode of `node`; on damage the partial value is rolled back. */
async function streamValue(env: CopyEnv, node: NodeBuilder, ref: SubnodeRef): Promise<{ value: OutValue } | { unreadable: string }> {
  if (ref.bidData === 0) return { unreadable: NO_DATA_BLOCK };
  const sink = node.valueSink(env.sameEncoding);
  const damage: { bid: number; detail: string }[] = [];
  // The source's reads let the event loop through (PstSource.syncReads); a cancel stops the value between blocks.
  await env.reader.forEachBlock(ref.bidData, damage, { raw: env.sameEncoding, transient: true }, (block, crc) => {
    throwIfCancelled(env.signal, 'repair');
    if (damage.length > 0) return false;
    sink.write(block, crc);
    return true;
  });
  if (damage.length > 0) {
    sink.abort();
    return { unreadable: `block ${hex(damage[0]!.bid)}: ${damage[0]!.detail}` };
  }
  return { value: sink.end() };
}

/** Copies a property list (of a message, attachment or folder) into `node`'s subnode tree where values are large. */
export async function copyProps(env: CopyEnv, raw: RawProp[], codepage: number, node: NodeBuilder | null, skip: (p: RawProp) => boolean = () => false): Promise<CopyResult> {
  const ctx: ConvertContext = { ...env.ctx, codepage };
  const props: Prop[] = [];
  const missing: string[] = [];
  const unreadable: number[] = [];
  const lose = (p: RawProp, why: string) => {
    missing.push(`${propLabel(p.id)} unreadable: ${why}`);
    unreadable.push(p.id);
  };
  for (const p of raw) {
    if (skip(p)) continue;
    if (!knownTag(p.id, p.type)) {
      lose(p, `unknown property type ${hex(p.type)}`);
      continue;
    }
    const t = mapTag(p.id, p.type, ctx);
    if ('drop' in t) {
      env.dropped[t.drop]++;
      continue;
    }
    if (t.unnamed) env.unnamedKept.add(p.id);
    let v = p.value;
    if ('unreadable' in v) {
      lose(p, v.unreadable);
      continue;
    }
    if ('subnode' in v && (needsConversion(p.type, ctx) || !node)) v = await readWhole(env.reader, v);
    // A binary in a subnode is read whole to re-point its entry IDs, up to the size they are searched in; a larger one
    // (or a damaged one, which the stream below reports) goes on as stored.
    if ('subnode' in v && mayHoldEntryIds(p.id, p.type, ctx)) {
      const whole = await readWhole(env.reader, v, ENTRY_ID_SCAN_MAX);
      if ('bytes' in whole) v = whole;
    }
    if ('unreadable' in v) {
      lose(p, v.unreadable);
      continue;
    }
    if ('subnode' in v) {
      const s = await streamValue(env, node!, v.subnode);
      if ('unreadable' in s) lose(p, s.unreadable);
      else props.push({ tag: t.tag, value: s.value });
      continue;
    }
    const invalid = invalidValue(p.type, v.bytes, isInline(p.type));
    if (invalid) {
      lose(p, invalid);
      continue;
    }
    const converted = convertValue(p.id, p.type, v.bytes, ctx);
    if (converted === null) lose(p, 'malformed multi-valued string');
    else props.push({ tag: t.tag, value: converted });
  }
  return { props, missing, unreadable };
}

/** Table cells of a copied table: columns and values mapped like properties (large cells read whole). */
async function copyRows(env: CopyEnv, columns: number[], rows: { rowId: number; cells: Map<number, RawValue> }[], codepage: number) {
  const ctx: ConvertContext = { ...env.ctx, codepage };
  const tagMap = new Map<number, number>();
  const dropped = new Map<number, 'unnamed' | 'offline' | 'full'>();
  /** Columns whose type no reader knows (a damaged column description): their cells cannot be copied. */
  const unknown: number[] = [];
  for (const c of columns) {
    if ((c >>> 16) === 0x67f2 || (c >>> 16) === 0x67f3) continue; // row id and version: written by the table writer
    if (!knownTag(c >>> 16, c & 0xffff)) {
      unknown.push(c);
      continue;
    }
    const t = mapTag(c >>> 16, c & 0xffff, ctx);
    if ('tag' in t) {
      tagMap.set(c, t.tag);
      if (t.unnamed) env.unnamedKept.add(c >>> 16);
    } else dropped.set(c, t.drop);
  }
  const out: ContentsRow[] = [];
  const bad: number[] = [];
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const values = new Map<number, OutValue>();
    let ok = true;
    for (const [tag, cell] of r.cells) {
      const to = tagMap.get(tag);
      if (to === undefined) {
        const why = dropped.get(tag);
        if (why) env.dropped[why]++;
        continue;
      }
      // Only a cell kept in a subnode needs a read (and a promise); the others are bytes already.
      const whole = 'subnode' in cell ? await readWhole(env.reader, cell) : cell;
      if ('unreadable' in whole || invalidValue(tag & 0xffff, whole.bytes.subarray(0, fixedCellWidth(tag & 0xffff) ?? whole.bytes.length))) {
        ok = false;
        continue;
      }
      const conv = convertValue(tag >>> 16, tag & 0xffff, whole.bytes, ctx);
      if (conv === null) ok = false;
      else values.set(to, conv);
    }
    if (!ok) bad.push(i + 1);
    out.push({ rowId: r.rowId, values });
  }
  return { columns: [...new Set(tagMap.values())], rows: out, bad, unknown };
}

async function copyRecipients(env: CopyEnv, node: NodeData, mb: MessageBuilder, codepage: number, missing: string[]): Promise<void> {
  const ref = node.subnodes.get(NID.RCP_TABLE);
  if (!ref) return;
  try {
    const tnode = await env.reader.readRef(ref);
    const table = await readTable(tnode, env.reader, env.ansi);
    const copied = await copyRows(env, table.columns, table.rows, codepage);
    mb.recipients(copied.columns, copied.rows);
    if (copied.bad.length > 0) missing.push(`recipient ${copied.bad.join(', ')} of ${table.rows.length}: some fields unreadable`);
    for (const c of copied.unknown) missing.push(`recipient table: the ${propLabel(c >>> 16)} column unreadable: unknown property type ${hex(c & 0xffff)}`);
    if (tnode.damage.length > 0) missing.push(`recipient table damaged (block ${hex(tnode.damage[0]!.bid)}: ${tnode.damage[0]!.detail}): recipients it held may be missing`);
  } catch (err) {
    if (!(err instanceof LtpError)) throw err;
    missing.push(`recipient table unreadable: ${err.message}`);
  }
}

/** Fixed-size types a PC record holds inline (4 bytes, whatever the type's width). */
function isInline(type: number): boolean {
  return [PT.SHORT, PT.LONG, PT.FLOAT, PT.ERROR, PT.BOOLEAN].includes(type as 2);
}

/** The width of a fixed-size cell's value (table cells may be wider than their type). */
const CELL_WIDTH: Record<number, number> = { [PT.SHORT]: 2, [PT.LONG]: 4, [PT.FLOAT]: 4, [PT.ERROR]: 4, [PT.BOOLEAN]: 1, [PT.DOUBLE]: 8, [PT.CURRENCY]: 8, [PT.APPTIME]: 8, [PT.I8]: 8, [PT.SYSTIME]: 8 };

function fixedCellWidth(type: number): number | null {
  return CELL_WIDTH[type] ?? null;
}

/** True when a node's data starts like a property context (heap signature 0xEC, client signature 0xBC). */
function looksLikePc(node: NodeData): boolean {
  try {
    return parseHeap(node.blocks).clientSig === 0xbc;
  } catch {
    return false;
  }
}

/** Copies a node of unknown content (an OLE object's storage) as it is: data blocks and subnodes. */
async function copyRawNode(env: CopyEnv, ndb: NdbWriter, ref: SubnodeRef, depth: number): Promise<{ bidData: number; bidSub: number } | { unreadable: string }> {
  if (ref.bidData === 0) return { unreadable: NO_DATA_BLOCK };
  const damage: { bid: number; detail: string }[] = [];
  const bids: number[] = [];
  const sizes: number[] = [];
  const max = ndb.g.blockDataMax;
  await env.reader.forEachBlock(ref.bidData, damage, { transient: true }, (block) => {
    // Blocks are kept whole where they fit, so a heap (one page per block) stays parseable.
    for (let at = 0; at < block.length || (at === 0 && block.length === 0); at += max) {
      const part = block.subarray(at, Math.min(block.length, at + max));
      bids.push(ndb.putDataBlock(part));
      sizes.push(part.length);
      if (block.length === 0) break;
    }
    return true;
  });
  if (damage.length > 0) return { unreadable: `block ${hex(damage[0]!.bid)}: ${damage[0]!.detail}` };
  const subs: { nid: number; bidData: number; bidSub: number }[] = [];
  if (ref.bidSub !== 0 && depth < MAX_EMBED_DEPTH) {
    const s = await env.reader.subnodes(ref.bidSub);
    if (s.damage.length > 0) return { unreadable: `subnode tree: ${s.damage[0]!.detail}` };
    for (const [nid, child] of s.map) {
      const c = await copyRawNode(env, ndb, child, depth + 1);
      if ('unreadable' in c) return c;
      subs.push({ nid, ...c });
    }
  }
  return { bidData: ndb.dataTree(bids, sizes), bidSub: ndb.writeSubnodes(subs) };
}

/** The PtypObject value ([MS-PST] 2.3.3.4.2): the subnode holding the object, and its size. */
async function objectRef(env: CopyEnv, p: RawProp): Promise<{ nid: number; size: number } | null> {
  const v = 'subnode' in p.value ? { bytes: null, nid: p.value.nid } : 'bytes' in p.value ? { bytes: p.value.bytes, nid: null } : null;
  if (!v) return null;
  if (v.nid !== null) return { nid: v.nid, size: 0 };
  return v.bytes && v.bytes.length >= 4 ? { nid: v.bytes.readUInt32LE(0), size: v.bytes.length >= 8 ? v.bytes.readUInt32LE(4) : 0 } : null;
}

async function copyAttachment(env: CopyEnv, an: NodeData, ab: AttachmentBuilder, codepage: number, depth: number): Promise<{ props: Prop[]; missing: string[]; name: string } | { unreadable: string; name: string }> {
  let raw: RawProp[];
  try {
    raw = readProps(an);
  } catch (err) {
    if (!(err instanceof LtpError)) throw err;
    return { unreadable: `properties unreadable: ${err.message}`, name: '' };
  }
  const cp = codepageOf(raw, codepage);
  const name = attachmentName(raw, cp);
  if (an.damage.length > 0) return { unreadable: `block ${hex(an.damage[0]!.bid)}: ${an.damage[0]!.detail}`, name };
  const data = raw.find((p) => p.id === PR_ATTACH_DATA && p.type === PT.OBJECT);
  const copied = await copyProps(env, raw, cp, ab.node, (p) => p === data);
  // An attachment whose content or method cannot be read is left out whole (Outlook could not open what is left);
  // one that lost other properties (a MIME type, a date) is kept with the rest, and says what it lost.
  if (copied.unreadable?.some((id) => id === PR_ATTACH_DATA || id === PR_ATTACH_METHOD)) return { unreadable: copied.missing.join('; '), name };
  const missing: string[] = [...copied.missing];
  if (data) {
    const ref = await objectRef(env, data);
    const inner = ref ? an.subnodes.get(ref.nid) : undefined;
    if (!ref || !inner) return { unreadable: 'its object (embedded message or OLE data) is missing', name };
    const innerNode = await env.reader.readRef(inner);
    const method = raw.find((p) => p.id === PR_ATTACH_METHOD);
    const embedded = (method && 'bytes' in method.value && method.value.bytes.readUInt32LE(0) === ATTACH_EMBEDDED_MSG) || looksLikePc(innerNode);
    let value: Buffer;
    if (embedded) {
      if (depth >= MAX_EMBED_DEPTH) return { unreadable: `embedded messages nested deeper than ${MAX_EMBED_DEPTH}`, name };
      const emb = ab.embedded();
      let r: CopyResult;
      try {
        r = await copyMessage(env, innerNode, emb, codepage, depth + 1);
      } catch (err) {
        if (!(err instanceof LtpError)) throw err;
        return { unreadable: `embedded message unreadable: ${err.message}`, name };
      }
      missing.push(...r.missing.map((m) => `embedded message: ${m}`));
      value = ab.embed(ref.nid, emb.finish(r.props), ref.size);
    } else {
      const c = await copyRawNode(env, ab.node.ndb, inner, depth + 1);
      if ('unreadable' in c) return { unreadable: `OLE object unreadable: ${c.unreadable}`, name };
      ab.node.addSubnode({ nid: ref.nid, ...c });
      value = Buffer.alloc(8);
      value.writeUInt32LE(ref.nid >>> 0, 0);
      value.writeUInt32LE(ref.size >>> 0, 4);
    }
    copied.props.push({ tag: tagOf(PR_ATTACH_DATA, PT.OBJECT), value });
  }
  return { props: copied.props, missing, name };
}

/** The attachment's file name (long, short or display name), for the list of what was left out. */
function attachmentName(raw: RawProp[], cp: number): string {
  for (const id of [0x3707, 0x3704, 0x3001]) {
    const p = raw.find((x) => x.id === id && (x.type === PT.UNICODE || x.type === PT.STRING8));
    if (!p || !('bytes' in p.value)) continue;
    const s = (p.type === PT.UNICODE ? p.value.bytes.toString('utf16le') : iconv.decode(p.value.bytes, encodingFor(cp))).replace(/\0+$/, '');
    if (s) return s;
  }
  return '';
}

async function copyAttachments(env: CopyEnv, node: NodeData, mb: MessageBuilder, codepage: number, depth: number, missing: string[]): Promise<void> {
  const ref = node.subnodes.get(NID.ATT_TABLE);
  if (!ref) return;
  let rows: number[];
  try {
    const tnode = await env.reader.readRef(ref);
    rows = (await readTable(tnode, env.reader, env.ansi)).rows.map((r) => r.rowId);
  } catch (err) {
    if (!(err instanceof LtpError)) throw err;
    // The table is only an index: the attachments are the message's ATTACHMENT subnodes, in NID order.
    rows = [...node.subnodes.keys()].filter((nid) => nidType(nid) === TYPE.ATTACHMENT).sort((a, b) => a - b);
    if (rows.length === 0) missing.push(`attachment table unreadable: ${err.message}`);
    else env.rebuilt.attachmentTables++;
  }
  for (const [i, subnid] of rows.entries()) {
    throwIfCancelled(env.signal, 'repair');
    const label = `attachment ${i + 1} of ${rows.length}`;
    const aref = node.subnodes.get(subnid);
    if (!aref) {
      missing.push(`${label} unreadable: its subnode ${hex(subnid)} is missing`);
      continue;
    }
    const sp = mb.ndb.savepoint();
    const ab = mb.attachment();
    const an = await env.reader.readRef(aref);
    const r = await copyAttachment(env, an, ab, codepage, depth);
    const named = r.name ? ` ('${r.name}')` : '';
    if ('unreadable' in r) {
      mb.ndb.rollback(sp);
      missing.push(`${label}${named} unreadable: ${r.unreadable}`);
      continue;
    }
    ab.finish(r.props);
    missing.push(...r.missing.map((m) => `${label}${named}: ${m}`));
  }
}

/**
 * Copies a message (or an embedded message) into `mb`. Throws LtpError when its property context is unusable (the
 * message cannot be copied at all); returns the properties to finish it with and what was left out.
 */
export async function copyMessage(env: CopyEnv, node: NodeData, mb: MessageBuilder, codepage: number, depth = 0): Promise<CopyResult> {
  const raw = readProps(node);
  const cp = codepageOf(raw, codepage);
  const { props, missing } = await copyProps(env, raw, cp, mb.node);
  // A block that failed its checks still gave bytes: what parsed is kept (types and sizes checked), and said so.
  if (node.damage.length > 0) missing.push(`damaged block ${hex(node.damage[0]!.bid)} (${node.damage[0]!.detail}): values it held may be missing or wrong`);
  await copyRecipients(env, node, mb, cp, missing);
  await copyAttachments(env, node, mb, cp, depth, missing);
  return { props, missing };
}

export { outType, type RawProp };
