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
  let levels = 0;
  let root = 0;
  if (records.length > 0) {
    let level: { key: Buffer; body: Buffer }[] = records.map((r) => ({ key: r.key, body: Buffer.concat([r.key, r.data]) }));
    let size = cbKey + cbEnt;
    for (;;) {
      const per = Math.floor(HN_MAX_ALLOC / size);
      const next: { key: Buffer; body: Buffer }[] = [];
      for (let i = 0; i < level.length; i += per) {
        const part = level.slice(i, i + per);
        const hid = heap.alloc(Buffer.concat(part.map((p) => p.body)));
        const ref = Buffer.alloc(4);
        ref.writeUInt32LE(hid);
        next.push({ key: part[0]!.key, body: Buffer.concat([part[0]!.key, ref]) });
      }
      if (next.length === 1) {
        root = next[0]!.body.readUInt32LE(cbKey);
        break;
      }
      levels++;
      level = next;
      size = cbKey + 4;
    }
  }
  const head = header.buf;
  head[0] = CLIENT_SIG.BTH;
  head[1] = cbKey;
  head[2] = cbEnt;
  head[3] = levels;
  head.writeUInt32LE(root, 4);
  return header.hid;
}
