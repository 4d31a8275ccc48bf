import { parseInternalBlock } from '../../../electron/pst/block.ts';
import { HEADER_READ, parseHeader } from '../../../electron/pst/header.ts';
import { isInternalBid } from '../../../electron/pst/index.ts';
import { blockPayload, declaredSize } from '../../../electron/pst/inflate.ts';
import { blockSpan } from '../../../electron/pst/layout.ts';
import { scanNdb } from '../../../electron/pst/ndb.ts';
import { btPageHeader } from '../../../electron/pst/page.ts';
import { ProblemLog } from '../../../electron/pst/problems.ts';
import { PstSource } from '../../../electron/pst/source.ts';

// Reads a generated store back with the scanner's NDB parsers (not the writer's code) and counts the structures it
// contains, so tests can show that a store really exercises deep B-trees, XXBLOCKs and SIBLOCKs.

export interface Census {
  nbtLevels: number;
  bbtLevels: number;
  blocks: number;
  xblocks: number;
  xxblocks: number;
  slblocks: number;
  siblocks: number;
  /** Blocks stored deflated (Unicode-4K only). */
  compressed: number;
  problems: string[];
}

export async function census(file: string): Promise<Census> {
  const src = await PstSource.open(file);
  try {
    const parsed = parseHeader(await src.read(0, HEADER_READ));
    if (!parsed.ok) throw new Error(parsed.reason);
    const h = parsed.header;
    const level = async (ib: number) => btPageHeader(await src.read(ib, h.layout.pageSize), h.layout).cLevel + 1;
    const log = new ProblemLog();
    const ndb = await scanNdb(src, log);
    if ('unreadable' in ndb) throw new Error(ndb.unreadable);
    const c: Census = { nbtLevels: await level(h.nbt.ib), bbtLevels: await level(h.bbt.ib), blocks: ndb.bbt.size, xblocks: 0, xxblocks: 0, slblocks: 0, siblocks: 0, compressed: 0, problems: log.list.map((p) => p.detail) };
    for (let i = 0; i < ndb.bbt.size; i++) {
      const e = ndb.bbt.at(i);
      const internal = isInternalBid(e.bid);
      // Only 4K trailers can declare a block compressed, so only there are data blocks read too.
      if (!internal && h.layout.blockTrailer !== 24) continue;
      const alloc = await src.read(e.ib, blockSpan(h.layout, e.cb));
      if (declaredSize(alloc, h.layout, e.cb) !== null) c.compressed++;
      if (!internal) continue;
      const p = blockPayload(alloc, h.layout, e.cb);
      if (!p.data) {
        c.problems.push(p.defect);
        continue;
      }
      const b = parseInternalBlock(p.data, h.layout);
      if (b.kind === 'x') {
        if (b.x.level === 2) c.xxblocks++;
        else c.xblocks++;
      } else if (b.kind === 'sl') c.slblocks++;
      else if (b.kind === 'si') c.siblocks++;
      else c.problems.push(b.reason);
    }
    return c;
  } finally {
    await src.close();
  }
}
