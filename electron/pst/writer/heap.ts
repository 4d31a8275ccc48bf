// LTP heap-on-node ([MS-PST] 2.3.1) and BTH ([MS-PST] 2.3.2) builders. A heap is a list of pages, each one data
// block of the node; allocations get HIDs (page index, 1-based allocation index).

export const HN_MAX_ALLOC = 3580;
export const CLIENT_SIG = { TC: 0x7c, BTH: 0xb5, PC: 0xbc } as const;

interface HeapPage {
  allocs: Uint8Array[];
  used: number;
}

export class HeapBuilder {
  private readonly pages: HeapPage[] = [];
  private root = 0;

  constructor(
    private readonly clientSig: number,
    private readonly pageMax: number,
  ) {
    this.pages.push({ allocs: [], used: 0 });
  }

  private headerLen(i: number): number {
    if (i === 0) return 12; // HNHDR
    if (i >= 8 && (i - 8) % 128 === 0) return 66; // HNBITMAPHDR
    return 2; // HNPAGEHDR
  }

  private fits(i: number, page: HeapPage, extra: number): boolean {
    const n = page.allocs.length + 1;
    const body = this.headerLen(i) + page.used + extra;
    const map = 4 + 2 * (n + 1);
    return n <= 2047 && body + (body & 1) + map <= this.pageMax;
  }

  alloc(data: Uint8Array): number {
    // Zero-length allocations are valid (start = end in the page map): an empty string or binary value is one.
    if (data.length > HN_MAX_ALLOC) throw new Error(`heap allocation of ${data.length} bytes (0..${HN_MAX_ALLOC})`);
    let i = this.pages.length - 1;
    if (!this.fits(i, this.pages[i]!, data.length)) {
      this.pages.push({ allocs: [], used: 0 });
      i++;
    }
    const page = this.pages[i]!;
    page.allocs.push(data);
    page.used += data.length;
    return ((i << 16) | (page.allocs.length << 5)) >>> 0;
  }

  setRoot(hid: number): void {
    this.root = hid;
  }

  /** The heap pages, each ready to be one data block of the node. */
  build(): Buffer[] {
    return this.pages.map((p, i) => {
      const head = this.headerLen(i);
      const body = head + p.used;
      const ibHnpm = body + (body & 1);
      const out = Buffer.alloc(ibHnpm + 4 + 2 * (p.allocs.length + 1));
      out.writeUInt16LE(ibHnpm, 0);
      if (i === 0) {
        out[2] = 0xec;
        out[3] = this.clientSig;
        out.writeUInt32LE(this.root, 4);
      }
      let at = head;
      out.writeUInt16LE(p.allocs.length, ibHnpm);
      out.writeUInt16LE(0, ibHnpm + 2);
      p.allocs.forEach((a, k) => {
        out.writeUInt16LE(at, ibHnpm + 4 + 2 * k);
        out.set(a, at);
        at += a.length;
      });
      out.writeUInt16LE(at, ibHnpm + 4 + 2 * p.allocs.length);
      return out;
    });
  }
}

export interface BthRecord {
  key: Buffer;
  data: Buffer;
}

/**
 * Reserves a BTHHEADER allocation. Outlook puts the first BTH header at HID 0x20 and pst-extractor relies on that,
 * so PCs and TCs reserve it before anything else and fill it in `buildBth`.
 */
export function reserveBthHeader(heap: HeapBuilder): { hid: number; buf: Buffer } {
  const buf = Buffer.alloc(8);
  return { hid: heap.alloc(buf), buf };
}

/** Writes a BTH into `heap` from records sorted by key; returns the HID of its BTHHEADER. */
export function buildBth(heap: HeapBuilder, cbKey: number, cbEnt: number, records: BthRecord[], header = reserveBthHeader(heap)): number {
  const size = cbKey + cbEnt;
  const flat = Buffer.alloc(records.length * size);
  records.forEach((r, i) => {
    r.key.copy(flat, i * size, 0, cbKey);
    r.data.copy(flat, i * size + cbKey, 0, cbEnt);
  });
  return buildBthFlat(heap, cbKey, cbEnt, flat, header);
}

/**
 * buildBth from the records laid end to end in one buffer (key then data, cbKey + cbEnt bytes each, sorted by key):
 * each leaf is a slice of that buffer, so a PC of any size costs no allocation per property.
 */
export function buildBthFlat(heap: HeapBuilder, cbKey: number, cbEnt: number, flat: Buffer, header = reserveBthHeader(heap)): number {
  let levels = 0;
  let root = 0;
  let size = cbKey + cbEnt;
  let level = flat;
  // Each level has at most 1/2 the entries of the one below (HN_MAX_ALLOC fits ≥ 2 index entries), so this ends.
  while (level.length > 0) {
    const count = level.length / size;
    const per = Math.floor(HN_MAX_ALLOC / size);
    if (count <= per) {
      root = heap.alloc(level);
      break;
    }
    const up = cbKey + 4;
    const next = Buffer.alloc(Math.ceil(count / per) * up);
    for (let i = 0, k = 0; i < count; i += per, k++) {
      const hid = heap.alloc(level.subarray(i * size, Math.min(count, i + per) * size));
      level.copy(next, k * up, i * size, i * size + cbKey);
      next.writeUInt32LE(hid, k * up + cbKey);
    }
    levels++;
    level = next;
    size = up;
  }
  const head = header.buf;
  head[0] = CLIENT_SIG.BTH;
  head[1] = cbKey;
  head[2] = cbEnt;
  head[3] = levels;
  head.writeUInt32LE(root, 4);
  return header.hid;
}
