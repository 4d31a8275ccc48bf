import { parseArgs } from 'node:util';
import { writePst, type PstWriteOptions } from './synth.ts';

// `npm run gen-pst -- --format ansi|unicode|unicode4k --encoding none|permute|cyclic --folders N --messages N
//  [--attachment-kb MIN-MAX] [--ost] [--compress] --seed S --out FILE` — a stable interface: scripts and checks rely on it.

const USAGE = 'usage: gen-pst --format ansi|unicode|unicode4k --encoding none|permute|cyclic --folders N --messages N [--attachment-kb MIN-MAX] [--ost] [--compress] --seed S --out FILE';

export function parseCli(argv: string[]): { out: string; opts: PstWriteOptions } {
  const { values } = parseArgs({
    args: argv,
    options: {
      format: { type: 'string', default: 'unicode' },
      encoding: { type: 'string', default: 'permute' },
      folders: { type: 'string', default: '3' },
      messages: { type: 'string', default: '10' },
      'attachment-kb': { type: 'string' },
      ost: { type: 'boolean', default: false },
      compress: { type: 'boolean', default: false },
      seed: { type: 'string', default: '1' },
      out: { type: 'string' },
    },
    strict: true,
  });
  const int = (name: string, v: string, max: number) => {
    if (!/^\d+$/.test(v) || Number(v) > max) throw new Error(`--${name} must be an integer from 0 to ${max} (got "${v}")`);
    return Number(v);
  };
  const format = values.format;
  if (format !== 'ansi' && format !== 'unicode' && format !== 'unicode4k') throw new Error(`--format must be ansi, unicode or unicode4k (got "${format}")`);
  const encoding = values.encoding;
  if (encoding !== 'none' && encoding !== 'permute' && encoding !== 'cyclic') throw new Error(`--encoding must be none, permute or cyclic (got "${encoding}")`);
  if (values.compress && format !== 'unicode4k') throw new Error('--compress needs --format unicode4k (only its block trailer records an inflated size)');
  if (!values.out) throw new Error('--out FILE is required');
  let attachmentKb: PstWriteOptions['attachmentKb'] = null;
  if (values['attachment-kb'] !== undefined) {
    const m = /^(\d+)-(\d+)$/.exec(values['attachment-kb']);
    if (!m || Number(m[1]) > Number(m[2]) || Number(m[2]) > 1_048_576) throw new Error(`--attachment-kb must be MIN-MAX in KiB, MIN ≤ MAX ≤ 1048576 (got "${values['attachment-kb']}")`);
    attachmentKb = { min: Number(m[1]), max: Number(m[2]) };
  }
  return {
    out: values.out,
    opts: {
      format,
      encoding,
      ost: values.ost,
      compress: values.compress,
      folders: int('folders', values.folders, 10_000),
      messages: int('messages', values.messages, 10_000_000),
      attachmentKb,
      seed: int('seed', values.seed, 0xffffffff),
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    const { out, opts } = parseCli(process.argv.slice(2));
    const s = writePst(out, opts);
    console.log(JSON.stringify({ out: s.path, bytes: s.bytes, folders: s.folders.length, messages: s.messages, attachments: s.attachments, recipients: s.recipients, blocks: s.ndb.blocks, nbtDepth: s.ndb.nbtDepth, bbtDepth: s.ndb.bbtDepth }));
  } catch (e) {
    console.error(`gen-pst: ${e instanceof Error ? e.message : String(e)}\n${USAGE}`);
    process.exit(2);
  }
}
