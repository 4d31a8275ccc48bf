import iconv from 'iconv-lite';

// MAPI property values as the LTP layer stores them ([MS-PST] 2.1.1, [MS-OXCDATA] 2.11.1).

export const PT = {
  SHORT: 0x0002,
  LONG: 0x0003,
  BOOLEAN: 0x000b,
  I8: 0x0014,
  STRING8: 0x001e,
  UNICODE: 0x001f,
  SYSTIME: 0x0040,
  BINARY: 0x0102,
} as const;

/** A value too large to hold in memory at once: produced chunk by chunk straight into data blocks. */
export interface StreamValue {
  size: number;
  chunks: number;
  chunk(i: number): Uint8Array;
}

export type RawValue = Buffer | StreamValue;

export interface Prop {
  tag: number;
  value: RawValue;
}

export function isStream(v: RawValue): v is StreamValue {
  return !Buffer.isBuffer(v);
}

export function propType(tag: number): number {
  return tag & 0xffff;
}

/** Bytes of a fixed-size type, or null for variable-size types (strings, binary). */
export function fixedSize(type: number): number | null {
  switch (type) {
    case PT.BOOLEAN:
      return 1;
    case PT.SHORT:
      return 2;
    case PT.LONG:
      return 4;
    case PT.I8:
    case PT.SYSTIME:
      return 8;
    default:
      return null;
  }
}

const FILETIME_EPOCH_MS = 11_644_473_600_000n;

/** Builds property values for one store: string properties follow the store's string type (and, 8-bit, its code page). */
export class PropKit {
  constructor(
    private readonly unicode: boolean,
    /** Code page of 8-bit strings (ANSI stores); Unicode stores record it on messages only. */
    readonly codepage = 1252,
  ) {}

  strTag(id: number): number {
    return ((id << 16) | (this.unicode ? PT.UNICODE : PT.STRING8)) >>> 0;
  }

  encode(s: string): Buffer {
    if (this.unicode) return Buffer.from(s, 'utf16le');
    return this.codepage === 1252 ? Buffer.from(s, 'latin1') : iconv.encode(s, `cp${this.codepage}`);
  }

  str(id: number, s: string): Prop {
    return { tag: this.strTag(id), value: this.encode(s) };
  }

  long(id: number, n: number): Prop {
    const b = Buffer.alloc(4);
    b.writeInt32LE(n | 0);
    return { tag: ((id << 16) | PT.LONG) >>> 0, value: b };
  }

  bool(id: number, v: boolean): Prop {
    return { tag: ((id << 16) | PT.BOOLEAN) >>> 0, value: Buffer.from([v ? 1 : 0]) };
  }

  time(id: number, ms: number): Prop {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE((BigInt(Math.floor(ms)) + FILETIME_EPOCH_MS) * 10_000n);
    return { tag: ((id << 16) | PT.SYSTIME) >>> 0, value: b };
  }

  bin(id: number, v: RawValue): Prop {
    return { tag: ((id << 16) | PT.BINARY) >>> 0, value: v };
  }
}
