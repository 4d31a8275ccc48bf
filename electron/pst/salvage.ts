import { mkdir, open, realpath } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { finding, type Finding } from '../core/finding.ts';
import { UsageError } from '../core/errors.ts';
import { composeMessage } from './compose.ts';
import { hex } from './layout.ts';
import { LtpError } from './ltp.ts';
import { messageLabel, type MessageInfo } from './messaging.ts';
import { NodeReader } from './nodes.ts';
import { checkCancel } from './problems.ts';
import { scanFile } from './scan-file.ts';
import type { PstSection } from './schema.ts';
import type { Progress } from '../core/progress.ts';

// Salvage: every readable message as RFC 5322 (EML files in a folder tree, or one mbox per folder), and a
// salvage-report.json listing what was damaged or left out. The store is only ever opened read-only (PstSource);
// output files are created exclusively, so an existing file in OUT is never overwritten.

export interface SalvageReport {
  source: string;
  format: 'eml' | 'mbox';
  status: string;
  written: number;
  attachments: number;
  /** Messages written with some part left out or suspect. */
  partial: { item: string; file: string; damage: string[] }[];
  /** Messages that could not be written at all. */
  failed: { item: string; reason: string }[];
  problems: PstSection['files'][number]['problems'];
}

/** A file-name-safe version of a folder or subject (no separators, control or reserved characters, bounded). */
export function safeName(s: string, fallback: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = s.replace(/[\u0000-\u001f<>:"/\\|?*\u007f]/g, '_').replace(/^[.\s]+|[.\s]+$/g, '').slice(0, 80);
  return clean || fallback;
}

async function createExclusive(path: string, data: Buffer | string): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  for (let i = 0; i < 1000; i++) {
    const p = i === 0 ? path : path.replace(/(\.[a-z]+)?$/, (ext) => ` (${i})${ext}`);
    try {
      const fh = await open(p, 'wx');
      try {
        await fh.writeFile(data);
      } finally {
        await fh.close();
      }
      return p;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  throw new Error(`cannot find a free file name for ${path}`);
}

/** mbox "From " line plus body with >From quoting (mboxrd). */
function mboxEntry(m: MessageInfo, eml: Buffer): string {
  const when = (m.date ?? new Date(0)).toUTCString().replace(/,/g, '');
  const body = eml.toString('latin1').replace(/\r\n/g, '\n').replace(/^(>*From )/gm, '>$1');
  return `From MAILMEDIC-SALVAGE ${when}\n${body}${body.endsWith('\n') ? '' : '\n'}\n`;
}

export async function salvageStore(
  file: string,
  out: string,
  format: 'eml' | 'mbox',
  opts: { signal?: AbortSignal; onProgress?: (p: Progress) => void },
): Promise<{ section: PstSection; findings: Finding[] }> {
  const outDir = resolve(out);
  const input = await realpath(resolve(file)).catch(() => resolve(file));
  if (outDir === input || outDir.startsWith(`${input}/`)) throw new UsageError('the output folder must not be the store itself');
  const scanned = await scanFile(input, { signal: opts.signal, onProgress: opts.onProgress }, true);
  const { result, ndb, walk, src } = scanned;
  const report: SalvageReport = { source: input, format, status: result.status, written: 0, attachments: 0, partial: [], failed: [], problems: result.problems };
  const findings: Finding[] = [];
  try {
    await mkdir(outDir, { recursive: true });
    if (ndb && walk && src) {
      const reader = new NodeReader(src, ndb);
      const ansi = ndb.header.layout.id === 4;
      const mboxes = new Map<string, string[]>();
      for (const [i, m] of walk.messages.entries()) {
        checkCancel(opts.signal);
        const label = messageLabel(m);
        const node = await reader.node(m.nid);
        if (!node) {
          report.failed.push({ item: label, reason: `node ${hex(m.nid)} missing` });
          continue;
        }
        try {
          const c = await composeMessage(node, reader, ansi);
          const folder = (m.orphan ? `Recovered items/${m.folderPath}` : m.folderPath).split('/').map((p) => safeName(p, '_')).join('/');
          let where: string;
          if (format === 'eml') {
            const name = `${String(i + 1).padStart(5, '0')} ${safeName(m.subject, 'no subject')}.eml`;
            where = await createExclusive(join(outDir, folder || 'root', name), c.eml);
          } else {
            where = join(outDir, `${folder || 'root'}.mbox`);
            const list = mboxes.get(where) ?? [];
            list.push(mboxEntry(m, c.eml));
            mboxes.set(where, list);
          }
          report.written++;
          report.attachments += c.attachments.length;
          if (c.damage.length > 0) report.partial.push({ item: label, file: where, damage: c.damage });
        } catch (err) {
          if (!(err instanceof LtpError)) throw err;
          report.failed.push({ item: label, reason: err.message });
        }
        if ((i + 1) % 25 === 0) opts.onProgress?.({ phase: 'salvage', done: i + 1, total: walk.messages.length, unit: 'items' });
      }
      for (const [path, entries] of mboxes) await createExclusive(path, entries.join(''));
      const changed = await src.changedSinceOpen();
      if (changed) {
        const detail = `the file changed while it was salvaged (${changed}): a program that has it open, such as Outlook, is writing it, so messages saved here may mix old and new data; close that program and salvage again`;
        report.problems = [...report.problems, { structure: 'file', offset: null, detail, severity: 'warning', affects: ['whole store'] }];
      }
    }
    await createExclusive(join(outDir, 'salvage-report.json'), JSON.stringify(report, null, 2) + '\n');
  } finally {
    await src?.close();
  }
  findings.push(finding({
    id: 'pst.salvage',
    area: 'pst',
    severity: report.failed.length > 0 || report.partial.length > 0 || result.status !== 'ok' || report.problems.some((p) => p.structure === 'file') ? 'warning' : 'info',
    title: `${report.written} message(s) salvaged from ${input}`,
    detail: `${report.attachments} attachment(s) written as ${format} to ${outDir}; ${report.partial.length} message(s) with parts left out, ${report.failed.length} unreadable. Details in salvage-report.json.`,
    evidence: { out: outDir, written: report.written, attachments: report.attachments, partial: report.partial.length, failed: report.failed.length },
  }));
  return { section: { files: [result] }, findings };
}

