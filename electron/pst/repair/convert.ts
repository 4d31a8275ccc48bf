import iconv from 'iconv-lite';
import type { NamedProp } from '../nameid.ts';
import type { NameMap } from '../writer/nameid.ts';
import { PT, tagOf } from '../writer/props.ts';

// How a property of the source store becomes a property of the new store. The value's bytes are kept as stored,
// except where the new store needs them otherwise:
// - named properties (ids 0x8000 up) get the new store's id for the same name (PidLid…/PidName…);
// - 8-bit strings of an ANSI store are decoded with the object's code page and written as UTF-16 (the output is a
//   Unicode store), single- and multi-valued;
// - entry IDs of the source store (its MAPIUID) are re-pointed to the new store's MAPIUID; node ids are kept, so
//   an entry ID names the same folder or message in the new store (bodies and attachment bytes are not searched);
// - an OST's provider-internal properties (0x6600–0x67FF, "provider-defined internal non-transmittable",
//   [MS-OXPROPS] 2.1) are offline sync state and are dropped.

export interface ConvertContext {
  /** Source strings are 8-bit (an ANSI store): convert them. */
  ansi: boolean;
  /** Code page of this object's 8-bit strings. */
  codepage: number;
  /** The source store's name-to-id map (null: unreadable, named properties cannot be named). */
  names: Map<number, NamedProp> | null;
  out: NameMap;
  /** Source MAPIUID → new MAPIUID, for entry IDs. */
  uid: { from: Buffer; to: Buffer } | null;
  /** The source is an OST: drop its provider-internal properties. */
  ost: boolean;
}

export type TagResult = { tag: number; unnamed?: boolean } | { drop: 'unnamed' | 'offline' | 'full' };

const MV = PT.MV;
/** Largest binary value searched for entry IDs. */
export const ENTRY_ID_SCAN_MAX = 64 * 1024;

/**
 * Binary properties that hold content, never entry IDs: compressed RTF, the HTML body, an attachment's bytes and its
 * rendering. They are copied byte for byte, even where the source's MAPIUID happens to occur in them.
 */
const CONTENT = new Set([0x1009, 0x1013, 0x3701, 0x3709]);

/** The tag a source property gets in the new store, or why it is left out. */
export function mapTag(id: number, type: number, ctx: ConvertContext): TagResult {
  if (ctx.ost && id >= 0x6600 && id <= 0x67ff) return { drop: 'offline' };
  let outId = id;
  if (id >= 0x8000) {
    const named = ctx.names?.get(id);
    // An id the source's map does not name (a writer that skipped the entry, or a damaged map): kept as it is,
    // unnamed as in the source, unless the new store gave that id to a name.
    if (!named) return ctx.out.reserve(id) ? { tag: tagOf(id, outType(type, ctx)), unnamed: true } : { drop: 'unnamed' };
    const mapped = ctx.out.idFor(named);
    if (mapped === null) return { drop: 'full' };
    outId = mapped;
  }
  return { tag: tagOf(outId, outType(type, ctx)) };
}

export function outType(type: number, ctx: Pick<ConvertContext, 'ansi'>): number {
  if (!ctx.ansi) return type;
  if (type === PT.STRING8) return PT.UNICODE;
  if (type === (MV | PT.STRING8)) return MV | PT.UNICODE;
  return type;
}

/**
 * Whether a value may carry the source store's entry IDs, which are re-pointed to the new store (binaries up to
 * ENTRY_ID_SCAN_MAX, wherever they are stored: in the heap or in a subnode); bodies and attachment data never are.
 */
export function mayHoldEntryIds(id: number, type: number, ctx: Pick<ConvertContext, 'uid'>): boolean {
  return ctx.uid !== null && !CONTENT.has(id) && (type === PT.BINARY || type === (MV | PT.BINARY) || type === PT.SVREID);
}

/** Whether a value of this type must be converted (so it is read whole rather than streamed). */
export function needsConversion(type: number, ctx: Pick<ConvertContext, 'ansi' | 'uid'>): boolean {
  if (ctx.ansi && (type === PT.STRING8 || type === (MV | PT.STRING8))) return true;
  return false;
}

export function encodingFor(cp: number): string {
  if (cp === 65001) return 'utf8';
  if (cp === 20127) return 'ascii';
  if (cp === 28591) return 'latin1';
  return iconv.encodingExists(`cp${cp}`) ? `cp${cp}` : 'win1252';
}

/** A code page 8-bit MAPI strings can be in (not UTF-16/UTF-8, which PT_STRING8 values of Outlook never use). */
export function usableCodepage(cp: number | null | undefined): cp is number {
  return typeof cp === 'number' && cp > 0 && cp !== 1200 && cp !== 1201 && cp !== 65000 && iconv.encodingExists(encodingFor(cp));
}

function toUtf16(bytes: Buffer, cp: number): Buffer {
  return Buffer.from(iconv.decode(bytes, encodingFor(cp)), 'utf16le');
}

const FIXED_WIDTH: Record<number, number> = {
  [PT.SHORT]: 2, [PT.LONG]: 4, [PT.FLOAT]: 4, [PT.ERROR]: 4, [PT.BOOLEAN]: 1,
  [PT.DOUBLE]: 8, [PT.CURRENCY]: 8, [PT.APPTIME]: 8, [PT.I8]: 8, [PT.SYSTIME]: 8, [PT.CLSID]: 16,
};
// PtypUnspecified (0x0000) and PtypNull (0x0001) occur in real stores (an Aspose-written fixture has one): copied as given.
const VARIABLE = new Set<number>([0x0000, 0x0001, PT.STRING8, PT.UNICODE, PT.BINARY, PT.OBJECT, PT.SVREID, PT.RESTRICTION, PT.RULE_ACTIONS]);
const MV_FIXED = new Set<number>([PT.SHORT, PT.LONG, PT.FLOAT, PT.DOUBLE, PT.CURRENCY, PT.APPTIME, PT.I8, PT.SYSTIME, PT.CLSID]);
const MV_VARIABLE = new Set<number>([PT.STRING8, PT.UNICODE, PT.BINARY]);

/** Whether `type` is a property type [MS-OXCDATA] 2.11.1 defines (a damaged record can carry any 16 bits). */
export function knownType(type: number): boolean {
  const base = type & ~MV;
  if ((type & MV) === 0) return base in FIXED_WIDTH || VARIABLE.has(base);
  return MV_FIXED.has(base) || MV_VARIABLE.has(base);
}

/**
 * Whether a record's id and type can be a stored property: a known type, where PtypUnspecified (0x0000), which holds no
 * value, stands only as the empty placeholder tag 0x00000000 (the Aspose-written fixtures have it). On any other id
 * that type is damage (readpst crashes on a named property of type 0x0000).
 */
export function knownTag(id: number, type: number): boolean {
  return knownType(type) && (type !== 0x0000 || id === 0x0000);
}

/**
 * Why a value cannot be what its type says (null when it can): a wrong width, an odd-length UTF-16 string, a
 * multi-valued layout that does not add up. Such values come from damaged blocks and are never copied.
 * `record` = the 4 value bytes of a property-context record (fixed values of up to 4 bytes).
 */
export function invalidValue(type: number, bytes: Buffer, record = false): string | null {
  if (!knownType(type)) return `unknown property type 0x${type.toString(16)}`;
  const base = type & ~MV;
  if ((type & MV) === 0) {
    const w = FIXED_WIDTH[base];
    if (w !== undefined) return (record && w <= 4 ? bytes.length === 4 : bytes.length >= w && (w > 4 ? bytes.length === w : true)) ? null : `a ${w}-byte value of ${bytes.length} bytes`;
    if (base === PT.UNICODE && bytes.length % 2 !== 0) return `a UTF-16 string of odd length ${bytes.length}`;
    return null;
  }
  if (MV_FIXED.has(base)) return bytes.length % FIXED_WIDTH[base]! === 0 ? null : `multi-valued ${FIXED_WIDTH[base]}-byte values in ${bytes.length} bytes`;
  const items = splitMv(bytes);
  if (!items) return 'a multi-valued layout that does not add up';
  if (base === PT.UNICODE && items.some((i) => i.length % 2 !== 0)) return 'a multi-valued UTF-16 string of odd length';
  return null;
}

/** [MS-PST] 2.3.3.4.2 multi-valued variable-size layout: count, offsets, then the items. */
export function splitMv(bytes: Buffer): Buffer[] | null {
  if (bytes.length < 4) return bytes.length === 0 ? [] : null;
  const n = bytes.readUInt32LE(0);
  if (4 + n * 4 > bytes.length) return null;
  const items: Buffer[] = [];
  for (let i = 0; i < n; i++) {
    const start = bytes.readUInt32LE(4 + i * 4);
    const end = i + 1 < n ? bytes.readUInt32LE(8 + i * 4) : bytes.length;
    if (start > end || end > bytes.length) return null;
    items.push(bytes.subarray(start, end));
  }
  return items;
}

export function joinMv(items: Buffer[]): Buffer {
  const head = Buffer.alloc(4 + 4 * items.length);
  head.writeUInt32LE(items.length, 0);
  let at = head.length;
  items.forEach((it, i) => {
    head.writeUInt32LE(at, 4 + i * 4);
    at += it.length;
  });
  return Buffer.concat([head, ...items]);
}

function replaceAll(bytes: Buffer, from: Buffer, to: Buffer): Buffer {
  let at = bytes.indexOf(from);
  if (at < 0) return bytes;
  const out = Buffer.from(bytes);
  while (at >= 0) {
    to.copy(out, at);
    at = out.indexOf(from, at + from.length);
  }
  return out;
}

/**
 * Converts a value's bytes (source type `type`) for the new store. Returns null when a multi-valued 8-bit string
 * cannot be parsed (the property is then left out and reported).
 */
export function convertValue(id: number, type: number, bytes: Buffer, ctx: ConvertContext): Buffer | null {
  if (ctx.ansi && type === PT.STRING8) return toUtf16(bytes, ctx.codepage);
  if (ctx.ansi && type === (MV | PT.STRING8)) {
    const items = splitMv(bytes);
    return items ? joinMv(items.map((b) => toUtf16(b, ctx.codepage))) : null;
  }
  if (ctx.uid && mayHoldEntryIds(id, type, ctx) && bytes.length <= ENTRY_ID_SCAN_MAX) {
    return replaceAll(bytes, ctx.uid.from, ctx.uid.to);
  }
  return bytes;
}
