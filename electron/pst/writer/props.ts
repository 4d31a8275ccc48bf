import iconv from 'iconv-lite';

// MAPI property values as the LTP layer stores them ([MS-PST] 2.1.1, 2.3.3.3; [MS-OXCDATA] 2.11.1). The writer takes
// any property as (tag, raw bytes): it never interprets a value beyond knowing how wide a fixed-size type is.

export const PT = {
  SHORT: 0x0002,
  LONG: 0x0003,
  FLOAT: 0x0004,
  DOUBLE: 0x0005,
  CURRENCY: 0x0006,
  APPTIME: 0x0007,
  ERROR: 0x000a,
  BOOLEAN: 0x000b,
  OBJECT: 0x000d,
  I8: 0x0014,
  STRING8: 0x001e,
  UNICODE: 0x001f,
  SYSTIME: 0x0040,
  CLSID: 0x0048,
  SVREID: 0x00fb,
  RESTRICTION: 0x00fd,
  RULE_ACTIONS: 0x00fe,
  BINARY: 0x0102,
  /** Flag on a base type: a multi-valued property ([MS-OXCDATA] 2.11.1). */
  MV: 0x1000,
} as const;

/** A value too large to hold in memory at once: produced chunk by chunk straight into data blocks. */
export interface StreamValue {
  size: number;
  chunks: number;
  chunk(i: number): Uint8Array;
}

/** A value already written into the subnode tree of the node whose property context it belongs to. */
export interface SubnodeValue {
  subnode: number;
}

export type RawValue = Buffer | StreamValue | SubnodeValue;

export interface Prop {
  tag: number;
  value: RawValue;
}

export function isStream(v: RawValue): v is StreamValue {
  return !Buffer.isBuffer(v) && 'chunk' in v;
}

export function isSubnode(v: RawValue): v is SubnodeValue {
  return !Buffer.isBuffer(v) && 'subnode' in v;
}

export function propType(tag: number): number {
  return tag & 0xffff;
}

export function propId(tag: number): number {
  return tag >>> 16;
}

export function tagOf(id: number, type: number): number {
  return ((id << 16) | type) >>> 0;
}

/**
 * Bytes of a fixed-size type stored in the property context's own record (≤ 4) or in the heap (8), and in a table
 * row cell; null for every other type (strings, binary, GUIDs, multi-valued), which are stored by HNID.
 */
export function fixedSize(type: number): number | null {
  switch (type) {
    case PT.BOOLEAN:
      return 1;
    case PT.SHORT:
      return 2;
    case PT.LONG:
    case PT.FLOAT:
    case PT.ERROR:
      return 4;
    case PT.DOUBLE:
    case PT.CURRENCY:
    case PT.APPTIME:
    case PT.I8:
    case PT.SYSTIME:
      return 8;
    default:
      return null;
  }
}

const FILETIME_EPOCH_MS = 11_644_473_600_000n;

/**
 * Builds property values for one store: string properties follow the store's string type (PT_UNICODE, or PT_STRING8
 * in the code page given for ANSI stores).
 */
export class PropKit {
  constructor(
    private readonly unicode: boolean,
    private readonly codepage = 1252,
  ) {}

  strTag(id: number): number {
    return tagOf(id, this.unicode ? PT.UNICODE : PT.STRING8);
  }

  /** A tag list written for Unicode stores, with its string columns turned into this store's string type. */
  tags(tags: readonly number[]): number[] {
    return tags.map((t) => (propType(t) === PT.UNICODE ? this.strTag(propId(t)) : t));
  }

  encode(s: string): Buffer {
    if (this.unicode) return Buffer.from(s, 'utf16le');
    return iconv.encode(s, iconv.encodingExists(`cp${this.codepage}`) ? `cp${this.codepage}` : 'win1252');
  }

  str(id: number, s: string): Prop {
    return { tag: this.strTag(id), value: this.encode(s) };
  }

  long(id: number, n: number): Prop {
    const b = Buffer.alloc(4);
    b.writeInt32LE(n | 0);
    return { tag: tagOf(id, PT.LONG), value: b };
  }

  bool(id: number, v: boolean): Prop {
    return { tag: tagOf(id, PT.BOOLEAN), value: Buffer.from([v ? 1 : 0]) };
  }

  time(id: number, ms: number): Prop {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE((BigInt(Math.floor(ms)) + FILETIME_EPOCH_MS) * 10_000n);
    return { tag: tagOf(id, PT.SYSTIME), value: b };
  }

  bin(id: number, v: RawValue): Prop {
    return { tag: tagOf(id, PT.BINARY), value: v };
  }
}
