import { pstCrc } from '../../../electron/pst/crc.ts';
import { NodeBuilder } from './ltp.ts';
import type { NdbWriter } from './ndb.ts';
import type { Prop, PropKit } from './props.ts';

// The name-to-id map (NID 0x61, [MS-PST] 2.4.7): GUID, entry and string streams plus the hash buckets. It maps the
// store's named properties to the 0x8000+ property IDs messages use (readers refuse stores without this node).

const BUCKETS = 251;
const PSETID_COMMON = Buffer.from('0820060000000000c000000000000046', 'hex');

interface Named {
  guid: number; // 1 PS_MAPI, 2 PS_PUBLIC_STRINGS, 3+ index into the GUID stream
  id?: number;
  name?: string;
}

const NAMED: Named[] = [
  { guid: 3, id: 0x8510 }, // PidLidSideEffects → 0x8000
  { guid: 3, id: 0x8503 }, // PidLidReminderSet → 0x8001
  { guid: 2, name: 'Keywords' }, // → 0x8002
];

export function writeNameToIdMap(ndb: NdbWriter, kit: PropKit): void {
  const entries: Buffer[] = [];
  const strings: Buffer[] = [];
  let stringsLen = 0;
  const buckets = new Map<number, Buffer[]>();
  NAMED.forEach((n, idx) => {
    const isString = n.name !== undefined;
    const word = (n.guid << 1) | (isString ? 1 : 0);
    let key: number;
    let hashBase: number;
    if (isString) {
      const s = Buffer.from(n.name!, 'utf16le');
      const rec = Buffer.alloc(4 + s.length + ((4 - (s.length % 4)) % 4));
      rec.writeUInt32LE(s.length);
      s.copy(rec, 4);
      key = stringsLen;
      hashBase = pstCrc(s);
      strings.push(rec);
      stringsLen += rec.length;
    } else {
      key = n.id!;
      hashBase = n.id!;
    }
    const rec = (id: number) => {
      const b = Buffer.alloc(8);
      b.writeUInt32LE(id >>> 0, 0);
      b.writeUInt16LE(word, 4);
      b.writeUInt16LE(idx, 6);
      return b;
    };
    entries.push(rec(key));
    const bucket = ((hashBase ^ word) >>> 0) % BUCKETS;
    buckets.set(bucket, [...(buckets.get(bucket) ?? []), rec(hashBase)]);
  });
  const props: Prop[] = [
    kit.long(0x0001, BUCKETS),
    kit.bin(0x0002, PSETID_COMMON),
    kit.bin(0x0003, Buffer.concat(entries)),
    kit.bin(0x0004, Buffer.concat(strings)),
  ];
  for (const [b, recs] of buckets) props.push(kit.bin(0x1000 + b, Buffer.concat(recs)));
  const node = new NodeBuilder(ndb);
  ndb.addNode(0x61, node.writePc(props), node.finish(), 0);
}
