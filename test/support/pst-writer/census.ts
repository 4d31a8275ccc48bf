import { parseInternalBlock } from '../../../electron/pst/block.ts';
import { HEADER_READ, parseHeader } from '../../../electron/pst/header.ts';
import { isInternalBid } from '../../../electron/pst/index.ts';
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
    const c: Census = { nbtLevels: await level(h.nbt.ib), bbtLevels: await level(h.bbt.ib), blocks: ndb.bbt.size, xblocks: 0, xxblocks: 0, slblocks: 0, siblocks: 0, problems: log.list.map((p) => p.detail) };
    for (let i = 0; i < ndb.bbt.size; i++) {
      const e = ndb.bbt.at(i);
      if (!isInternalBid(e.bid)) continue;
      const b = parseInternalBlock(await src.read(e.ib, e.cb), h.layout);
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
