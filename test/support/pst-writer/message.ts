import { createHash } from 'node:crypto';
import { attachmentName, body, html, person, subject, type Person } from './content.ts';
import { BASE_TIME, NID_ATT_TABLE, NID_RCP_TABLE, nidOf, tagsOf, TYPE, type ContentsRow } from './ids.ts';
import { NodeBuilder } from './ltp.ts';
import type { NdbWriter } from './ndb.ts';
import type { Prop, PropKit, RawValue, StreamValue } from './props.ts';
import type { Rng } from './rng.ts';

// A message ([MS-PST] 2.4.5): its property context, and in its subnode tree the recipient table, the attachment
// table and one property context per attachment (attachment data in that attachment's own subnode when large).

export interface WrittenMessage {
  nid: number;
  /** BID of the message's property context: damage it and exactly this message is hit. */
  bid: number;
  folder: string;
  subject: string;
  body: string;
  html: boolean;
  recipients: string[];
  attachments: { name: string; size: number; sha256: string; bid: number }[];
}

const ONE_OFF_UID = Buffer.from('812b1fa4bea310199d6e00dd010f5402', 'hex');

/** One-off recipient EntryID ([MS-OXCDATA] 2.2.5.1). */
function oneOff(kit: PropKit, p: Person, unicode: boolean): Buffer {
  const z = unicode ? Buffer.alloc(2) : Buffer.alloc(1);
  const flags = Buffer.alloc(4);
  flags.writeUInt16LE(unicode ? 0x8190 : 0x0190, 2);
  return Buffer.concat([Buffer.alloc(4), ONE_OFF_UID, flags, kit.encode(p.name), z, kit.encode('SMTP'), z, kit.encode(p.email), z]);
}

export function recipientColumns(kit: PropKit): number[] {
  return [0x0c150003, 0x0e0f000b, 0x0ff90102, 0x0ffe0003, 0x0fff0102, kit.strTag(0x3001), kit.strTag(0x3002), kit.strTag(0x3003),
    0x300b0102, 0x39000003, kit.strTag(0x39fe), 0x3a40000b, kit.strTag(0x5ff6), 0x5ffd0003, 0x5fff0003];
}

export function attachmentColumns(kit: PropKit): number[] {
  return [0x0e200003, kit.strTag(0x3704), 0x37050003, 0x370b0003];
}

/** SHA-256 of a stream value, computed from its chunks (regenerated from the pool, so nothing big is kept). */
function lazyHash(v: StreamValue): string {
  const h = createHash('sha256');
  for (let i = 0; i < v.chunks; i++) h.update(v.chunk(i));
  return h.digest('hex');
}

function streamOf(pool: Buffer, size: number, max: number, salt: number): StreamValue {
  return {
    size,
    chunks: Math.max(1, Math.ceil(size / max)),
    chunk(i) {
      const len = Math.min(max, size - i * max);
      const at = ((salt + i * 7919) * 64) % (pool.length - len);
      return pool.subarray(at, at + len);
    },
  };
}

export function writeMessage(
  ndb: NdbWriter,
  kit: PropKit,
  rng: Rng,
  pool: Buffer,
  nid: number,
  folder: number,
  n: number,
  attachKb: { min: number; max: number } | null,
  perMessage: { min: number; max: number } | null,
  wantDetail: boolean,
  sender?: Person,
): { row: ContentsRow; attachments: number; attachmentBytes: number; recipients: number; detail: Omit<WrittenMessage, 'folder'> } {
  const unicode = ndb.g.unicodeStrings;
  const node = new NodeBuilder(ndb);
  const from = sender ?? person(rng);
  const to = Array.from({ length: rng.int(1, 3) }, () => person(rng));
  const subj = subject(rng, n);
  const when = BASE_TIME + n * 3_600_000 + rng.int(0, 3_599_999);
  const text = body(rng, rng.pick([300, 1200, 5000, 12_000]));

  // Recipient table (subnode 0x692).
  const rt = new NodeBuilder(ndb);
  const rcpRows = to.map((p, i) => {
    const key = Buffer.alloc(16);
    rng.fill(key);
    return {
      rowId: i,
      values: tagsOf([
        kit.long(0x0c15, i === 2 ? 2 : 1), kit.bool(0x0e0f, true), kit.bin(0x0ff9, key), kit.long(0x0ffe, 6),
        kit.bin(0x0fff, oneOff(kit, p, unicode)), kit.str(0x3001, p.name), kit.str(0x3002, 'SMTP'), kit.str(0x3003, p.email),
        kit.bin(0x300b, Buffer.from(`SMTP:${p.email.toUpperCase()}\0`, 'latin1')), kit.long(0x3900, 0), kit.str(0x39fe, p.email),
        kit.bool(0x3a40, false), kit.str(0x5ff6, p.name), kit.long(0x5ffd, 1), kit.long(0x5fff, 0),
      ]),
    };
  });
  node.addSubnode({ nid: NID_RCP_TABLE, bidData: rt.writeTc(recipientColumns(kit), rcpRows), bidSub: rt.finish() });

  // Attachments: each one a subnode PC; its data a subnode of that subnode once it outgrows the heap.
  const attRows: ContentsRow[] = [];
  const attDetail: WrittenMessage['attachments'] = [];
  let attBytes = 0;
  const count = !attachKb ? 0 : perMessage ? rng.int(perMessage.min, perMessage.max) : [0, 1, 1, 2][rng.u32() % 4]!;
  for (let a = 0; a < count; a++) {
    const anid = nidOf(0x401 + a, TYPE.ATTACHMENT);
    const size = rng.int(attachKb!.min * 1024, attachKb!.max * 1024);
    const name = attachmentName(rng, n, a);
    const data = streamOf(pool, size, ndb.g.blockDataMax, rng.u32() & 0xffff);
    const value: RawValue = size <= 3580 ? Buffer.from(data.chunk(0)) : data;
    const common = [kit.long(0x0e20, size), kit.str(0x3704, name.name), kit.long(0x3705, 1), kit.long(0x370b, -1)];
    const an = new NodeBuilder(ndb);
    const bidData = an.writePc([
      ...common, kit.long(0x0e21, a), kit.bin(0x3701, value), kit.str(0x3703, name.ext), kit.str(0x3707, name.name),
      kit.str(0x370e, name.mime), kit.str(0x3001, name.name), kit.bool(0x7ffe, false),
    ]);
    node.addSubnode({ nid: anid, bidData, bidSub: an.finish() });
    attRows.push({ rowId: anid, values: tagsOf(common) });
    attBytes += size;
    if (wantDetail) attDetail.push({ name: name.name, size, sha256: lazyHash(data), bid: bidData });
  }
  if (count > 0) {
    const at = new NodeBuilder(ndb);
    node.addSubnode({ nid: NID_ATT_TABLE, bidData: at.writeTc(attachmentColumns(kit), attRows), bidSub: at.finish() });
  }

  const msgId = `<${n}.${rng.u32().toString(16)}@${from.email.split('@')[1]}>`;
  const date = new Date(when).toUTCString().replace('GMT', '+0000');
  const headers = `From: ${from.name} <${from.email}>\r\nTo: ${to.map((p) => `${p.name} <${p.email}>`).join(', ')}\r\nSubject: ${subj}\r\n` +
    `Date: ${date}\r\nMessage-ID: ${msgId}\r\nMIME-Version: 1.0\r\n`;
  const search = Buffer.alloc(16);
  rng.fill(search);
  const size = text.length * (unicode ? 2 : 1) + attBytes + 1024;
  const flags = 0x01 | (count > 0 ? 0x10 : 0);
  const common: Prop[] = [
    kit.long(0x0017, 1), kit.str(0x001a, 'IPM.Note'), kit.long(0x0036, 0), kit.str(0x0037, subj), kit.time(0x0039, when),
    kit.str(0x0042, from.name), kit.str(0x0e04, to.map((p) => p.name).join('; ')), kit.time(0x0e06, when + 60_000),
    kit.long(0x0e07, flags), kit.long(0x0e08, size), kit.time(0x3008, when + 60_000),
  ];
  const props: Prop[] = [
    ...common,
    kit.long(0x0026, 0), kit.str(0x0064, 'SMTP'), kit.str(0x0065, from.email), kit.str(0x007d, headers),
    kit.str(0x0c1a, from.name), kit.str(0x0c1e, 'SMTP'), kit.str(0x0c1f, from.email), kit.str(0x0e1d, subj),
    kit.long(0x0e17, 0), kit.bool(0x0e1b, count > 0), kit.str(0x1000, text), kit.str(0x1035, msgId),
    kit.time(0x3007, when), kit.bin(0x300b, search), kit.long(0x3fde, 65001), kit.long(0x3ffd, kit.codepage),
    kit.str(0x5d01, from.email), kit.long(0x8000, 0),
  ];
  if (n % 2 === 0) props.push(kit.bin(0x1013, Buffer.from(html(text, subj), 'utf8')));
  const bidData = node.writePc(props);
  ndb.addNode(nid, bidData, node.finish(), folder);
  return {
    row: { rowId: nid, values: tagsOf(common) },
    attachments: count,
    attachmentBytes: attBytes,
    recipients: to.length,
    detail: { nid, bid: bidData, subject: subj, body: text, html: n % 2 === 0, recipients: to.map((p) => p.email), attachments: attDetail },
  };
}
