import { pstCrc } from '../crc.ts';
import { FIRST_NAMED_ID, namedKey, PS_MAPI, PS_PUBLIC_STRINGS, type NamedProp } from '../nameid.ts';
import { NodeBuilder } from './ltp.ts';
import type { NdbWriter } from './ndb.ts';
import { tagOf, PT, type Prop, type PropKit } from './props.ts';

// The name-to-id map (NID 0x61, [MS-PST] 2.4.7): GUID, entry and string streams plus the hash buckets. A NameMap
// hands out this store's property ids (0x8000 up, in order of first use) for named properties; the map node is
// written once every item is, so items copied from another store keep their named properties under new ids.

const BUCKETS = 251;
const NID_NAME_TO_ID_MAP = 0x61;

export class NameMap {
  private readonly byId = new Map<number, NamedProp>();
  private readonly ids = new Map<string, number>();
  /** Ids kept for values copied unnamed. */
  private readonly reserved = new Set<number>();
  private next = FIRST_NAMED_ID;
  /** Where the search for a free id below `next` goes on (ids only ever get taken, never freed). */
  private low = FIRST_NAMED_ID;

  /**
   * Gives `n` the id `id` when both are still free (a copy that keeps another store's ids, so that property tags
   * stored inside binary values, such as view definitions, stay right); false when that is not possible.
   */
  keep(id: number, n: NamedProp): boolean {
    const key = namedKey(n);
    if (id < FIRST_NAMED_ID || id > 0xfffe || this.byId.has(id) || this.ids.has(key)) return this.ids.get(key) === id;
    this.byId.set(id, n);
    this.ids.set(key, id);
    this.next = Math.max(this.next, id + 1);
    return true;
  }

  /**
   * Keeps `id` out of the ids handed to names (for a property copied under an id no name stands for); false when
   * a name has it already.
   */
  reserve(id: number): boolean {
    if (this.byId.has(id)) return false;
    this.reserved.add(id);
    this.next = Math.max(this.next, id + 1);
    return true;
  }

  /**
   * The id to hand out next: above every id named or reserved so far, else (a damaged store can carry 0xFFFE) the
   * lowest one neither named nor reserved; null when the range is used up.
   */
  private free(): number | null {
    if (this.next <= 0xfffe) return this.next;
    for (; this.low <= 0xfffe; this.low++) if (!this.byId.has(this.low) && !this.reserved.has(this.low)) return this.low;
    return null;
  }

  /** This store's id for `n`, assigned on first use; null once the id range is used up. */
  idFor(n: NamedProp): number | null {
    const key = namedKey(n);
    const known = this.ids.get(key);
    if (known !== undefined) return known;
    const id = this.free();
    if (id === null) return null;
    if (id === this.next) this.next++;
    this.byId.set(id, n);
    this.ids.set(key, id);
    return id;
  }

  /** Every mapping, by id. */
  get entries(): ReadonlyMap<number, NamedProp> {
    return this.byId;
  }

  /** An id neither named nor reserved (null when the range is used up). */
  get unused(): number | null {
    return this.free();
  }
}

/** PidNameKeywords: named in every store Outlook creates; written when a map would otherwise have no named string. */
const KEYWORDS: NamedProp = { guid: PS_PUBLIC_STRINGS, kind: 'name', name: 'Keywords' };
/** PSETID_Common, as the GUID stream's one entry when no property set beyond PS_MAPI/PS_PUBLIC_STRINGS is used. */
const PSETID_COMMON = '0820060000000000c000000000000046';

export function writeNameToIdMap(ndb: NdbWriter, kit: PropKit, map: NameMap): void {
  // pst-extractor 1.12 cannot open a store whose GUID, entry or string stream is empty (it takes an empty value for
  // a reference to a subnode), so a map always carries one named string, and the GUID stream one GUID. That name takes
  // an id no item uses: not one reserved for values copied unnamed, which it would otherwise give a meaning.
  const names = [...map.entries].sort((a, b) => a[0] - b[0]);
  const spare = map.unused;
  if (!names.some(([, n]) => n.kind === 'name') && spare !== null) names.push([spare, KEYWORDS]);
  const guidIndex = new Map<string, number>([[PS_MAPI, 1], [PS_PUBLIC_STRINGS, 2]]);
  const guids: Buffer[] = [];
  const entries: Buffer[] = [];
  const strings: Buffer[] = [];
  let stringsLen = 0;
  const buckets = new Map<number, Buffer[]>();
  for (const [id, n] of names) {
    const idx = id - FIRST_NAMED_ID;
    let g = guidIndex.get(n.guid);
    if (g === undefined) {
      g = 3 + guids.length;
      guidIndex.set(n.guid, g);
      guids.push(Buffer.from(n.guid, 'hex'));
    }
    const isString = n.kind === 'name';
    const word = (g << 1) | (isString ? 1 : 0);
    let key: number;
    let hashBase: number;
    if (isString) {
      const s = Buffer.from(n.name ?? '', 'utf16le');
      const rec = Buffer.alloc(4 + s.length + ((4 - (s.length % 4)) % 4));
      rec.writeUInt32LE(s.length);
      s.copy(rec, 4);
      key = stringsLen;
      hashBase = pstCrc(s);
      strings.push(rec);
      stringsLen += rec.length;
    } else {
      key = n.id! >>> 0;
      hashBase = key;
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
    const list = buckets.get(bucket);
    if (list) list.push(rec(hashBase));
    else buckets.set(bucket, [rec(hashBase)]);
  }
  if (guids.length === 0) guids.push(Buffer.from(PSETID_COMMON, 'hex')); // unreferenced: no entry names index 3
  const props: Prop[] = [
    kit.long(0x0001, BUCKETS),
    kit.bin(0x0002, Buffer.concat(guids)),
    kit.bin(0x0003, Buffer.concat(entries)),
    kit.bin(0x0004, Buffer.concat(strings)),
  ];
  for (const [b, recs] of buckets) props.push({ tag: tagOf(0x1000 + b, PT.BINARY), value: Buffer.concat(recs) });
  const node = new NodeBuilder(ndb);
  ndb.addNode(NID_NAME_TO_ID_MAP, node.writePc(props), node.finish(), 0);
}
