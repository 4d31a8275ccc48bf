import { LtpError } from './ltp.ts';
import type { NodeReader } from './nodes.ts';
import { openPropBag } from './objects.ts';

// The name-to-id map ([MS-PST] 2.4.7, node 0x61): which named property (property set GUID + number or name) each
// property id from 0x8000 up stands for in this store. Ids are store-specific; the names are what carries over.

export const NID_NAME_TO_ID_MAP = 0x61;

/** GUIDs as stored on disk (Data1–3 little-endian), lower-case hex. */
export const PS_MAPI = '2803020000000000c000000000000046';
export const PS_PUBLIC_STRINGS = '2903020000000000c000000000000046';

export interface NamedProp {
  /** Property set: the GUID's 16 bytes as stored, in hex. */
  guid: string;
  /** A numbered (PidLid…) or a named (PidName…) property. */
  kind: 'id' | 'name';
  id?: number;
  name?: string;
}

/** One key per distinct named property. */
export function namedKey(n: NamedProp): string {
  return n.kind === 'id' ? `${n.guid}:#${n.id}` : `${n.guid}:${n.name}`;
}

export const FIRST_NAMED_ID = 0x8000;

/** Parses the map's GUID, entry and string streams ([MS-PST] 2.4.7.1–2.4.7.4) into property id → name. */
export function parseNameToIdMap(guids: Buffer, entries: Buffer, strings: Buffer): Map<number, NamedProp> {
  const out = new Map<number, NamedProp>();
  for (let o = 0; o + 8 <= entries.length; o += 8) {
    const dwPropertyID = entries.readUInt32LE(o);
    const word = entries.readUInt16LE(o + 4);
    const index = entries.readUInt16LE(o + 6);
    const isString = (word & 1) === 1;
    const g = word >>> 1;
    let guid: string;
    if (g === 1) guid = PS_MAPI;
    else if (g === 2) guid = PS_PUBLIC_STRINGS;
    else if (g >= 3 && (g - 3) * 16 + 16 <= guids.length) guid = guids.subarray((g - 3) * 16, (g - 3) * 16 + 16).toString('hex');
    else continue; // no property set: the entry cannot be named
    if (isString) {
      if (dwPropertyID + 4 > strings.length) continue;
      const len = strings.readUInt32LE(dwPropertyID);
      if (dwPropertyID + 4 + len > strings.length) continue;
      const name = strings.subarray(dwPropertyID + 4, dwPropertyID + 4 + (len & ~1)).toString('utf16le');
      if (name === '') continue; // no name: MAPI names a property by a non-empty string, so this is damage
      out.set(FIRST_NAMED_ID + index, { guid, kind: 'name', name });
    } else out.set(FIRST_NAMED_ID + index, { guid, kind: 'id', id: dwPropertyID });
  }
  return out;
}

/** Reads a store's name-to-id map; null when the node is missing or unreadable (its named properties cannot be named). */
export async function readNameToIdMap(reader: NodeReader): Promise<{ map: Map<number, NamedProp>; damage: string | null } | null> {
  const node = await reader.node(NID_NAME_TO_ID_MAP);
  if (!node) return null;
  try {
    const bag = openPropBag(node, reader);
    const [guids, entries, strings] = await Promise.all([bag.bytes(0x0002), bag.bytes(0x0003), bag.bytes(0x0004)]);
    if (!entries) return null;
    const damage = node.damage.length > 0 ? node.damage.map((d) => d.detail).join('; ') : null;
    return { map: parseNameToIdMap(guids ?? Buffer.alloc(0), entries, strings ?? Buffer.alloc(0)), damage };
  } catch (err) {
    if (err instanceof LtpError) return null;
    throw err;
  }
}
