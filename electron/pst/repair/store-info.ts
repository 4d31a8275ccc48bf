import iconv from 'iconv-lite';
import { LtpError } from '../ltp.ts';
import { NID } from '../nids.ts';
import type { NodeReader } from '../nodes.ts';
import { PT } from '../writer/props.ts';
import { encodingFor, usableCodepage } from './convert.ts';
import { readProps, readTable, type RawProp } from './read.ts';

// What the repair needs from the source's message store node (0x21) and receive-folder table (0x62B): its MAPIUID,
// code page, the folders its entry IDs name (IPM subtree, Deleted Items, Search Root, …) and which folder receives
// which message class. Any of it may be unreadable; the repair then falls back to folder names and defaults.

export interface SourceStore {
  /** PidTagRecordKey: the MAPIUID inside the store's entry IDs. */
  uid: Buffer | null;
  /** The store's properties as stored (null when unreadable). */
  props: RawProp[] | null;
  codepage: number;
  /** Store entry-ID property id (0x35E0 IPM subtree, 0x35E3 Deleted Items, 0x35E7 Search Root, …) → folder NID. */
  folders: Map<number, number>;
  /** Receive-folder table rows: message class → folder NID. */
  receive: { cls: string; nid: number }[];
  damage: string[];
}


/** The NID inside a PST entry ID (flags, MAPIUID, NID: [MS-PST] 2.4.3.2); null for other entry IDs. */
export function entryIdNid(b: Buffer, uid: Buffer | null): number | null {
  if (b.length !== 24) return null;
  if (uid && !b.subarray(4, 20).equals(uid)) return null;
  return b.readUInt32LE(20);
}

function str(p: RawProp | undefined, cp: number): string | null {
  if (!p || !('bytes' in p.value)) return null;
  const b = p.value.bytes;
  if (p.type === PT.UNICODE) return b.toString('utf16le').replace(/\0+$/, '');
  if (p.type === PT.STRING8) return iconv.decode(b, encodingFor(cp)).replace(/\0+$/, '');
  return null;
}

export async function readSourceStore(reader: NodeReader, ansi: boolean): Promise<SourceStore> {
  const out: SourceStore = { uid: null, props: null, codepage: 1252, folders: new Map(), receive: [], damage: [] };
  const node = await reader.node(NID.STORE);
  if (node) {
    try {
      const props = readProps(node);
      out.props = props;
      const rk = props.find((p) => p.id === 0x0ff9 && 'bytes' in p.value);
      if (rk && 'bytes' in rk.value && rk.value.bytes.length === 16) out.uid = Buffer.from(rk.value.bytes);
      const cp = props.find((p) => p.id === 0x3ffd && p.type === PT.LONG);
      if (cp && 'bytes' in cp.value && usableCodepage(cp.value.bytes.readInt32LE(0))) out.codepage = cp.value.bytes.readInt32LE(0);
      for (const p of props) {
        if (p.id < 0x35e0 || p.id > 0x35e7 || !('bytes' in p.value)) continue;
        const nid = entryIdNid(p.value.bytes, out.uid);
        if (nid !== null) out.folders.set(p.id, nid);
      }
    } catch (err) {
      if (!(err instanceof LtpError)) throw err;
      out.damage.push(`message store properties unreadable: ${err.message}`);
    }
  } else out.damage.push('the message store node (0x21) is missing');
  const rf = await reader.node(NID.RECEIVE_FOLDER_TABLE);
  if (rf) {
    try {
      const t = await readTable(rf, reader, ansi);
      for (const r of t.rows) {
        let cls: string | null = null;
        let nid: number | null = null;
        for (const [tag, v] of r.cells) {
          if (!('bytes' in v)) continue;
          if (tag >>> 16 === 0x001a) cls = str({ id: 0x001a, type: tag & 0xffff, value: v }, out.codepage);
          if (tag === 0x66050003 && v.bytes.length >= 4) nid = v.bytes.readUInt32LE(0);
        }
        if (cls !== null && nid !== null) out.receive.push({ cls, nid });
      }
    } catch (err) {
      if (!(err instanceof LtpError)) throw err;
      out.damage.push(`receive-folder table unreadable: ${err.message}`);
    }
  }
  return out;
}

export { str as rawString };
