import { finding, type Finding } from '../../core/finding.ts';
import { csvField } from '../export.ts';
import type { RepairResult } from '../repair.ts';
import type { PstFileResult } from '../schema.ts';

// Pure functions from a repair result: the finding that sums it up, and the per-item list as CSV (`--csv FILE`).

const mb = (n: number) => `${(n / 1024 ** 2).toFixed(1)} MB`;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The finding that sums up a repair; `scan` (the source's) names the damage that was repaired around. */
export function repairFinding(r: Omit<RepairResult, 'scan'>, scan?: Pick<PstFileResult, 'problems'>): Finding {
  const { kept, partial, recovered, lost } = r.counts;
  const problems = (scan?.problems ?? []).filter((p) => p.severity !== 'info');
  const copied = kept + partial + recovered;
  const where = r.outputs.length === 1 ? r.outputs[0]!.path : `${r.outputs.length} files (${r.outputs.map((o) => o.path).join(', ')})`;
  const bytes = r.outputs.reduce((a, o) => a + o.bytes, 0);
  const parts: string[] = [`${plural(kept, 'item')} kept whole`];
  if (partial > 0) parts.push(`${partial} copied with parts missing`);
  if (recovered > 0) parts.push(`${recovered} recovered into "Lost and Found"`);
  if (lost > 0) parts.push(`${lost} could not be read and are listed as lost`);
  const whole = partial + lost === 0;
  return finding({
    id: 'pst.repair',
    area: 'pst',
    // A damaged source stays worth a warning even when every item survived: the user should switch to the new file.
    severity: lost > 0 ? 'error' : partial > 0 || recovered > 0 || r.sourceStatus === 'damaged' ? 'warning' : 'info',
    title: whole
      ? `${plural(copied, 'item')} from ${r.source} written to a new PST`
      : `${plural(copied, 'item')} of ${copied + lost} from ${r.source} written to a new PST; ${partial + lost} incomplete or lost`,
    detail: `${damageNote(r, problems)}${parts.join(', ')}. New store: ${where} (${mb(bytes)}, Unicode, opens in Outlook 2010 or later). The original file was not changed.` +
      (r.notes.length > 0 ? ` Notes: ${r.notes.slice(0, 3).join('; ')}${r.notes.length > 3 ? '; …' : ''}.` : ''),
    evidence: {
      source: r.source,
      outputs: r.outputs,
      counts: r.counts,
      incomplete: r.items.filter((i) => i.status === 'partial' || i.status === 'lost').slice(0, 20).map((i) => ({ status: i.status, folder: i.folder, subject: i.subject, detail: i.detail })),
      notes: r.notes,
    },
  });
}

function damageNote(r: Omit<RepairResult, 'scan'>, problems: { detail: string }[]): string {
  if (r.sourceStatus !== 'damaged') return '';
  if (problems.length === 0) return 'The source is damaged; the new store is built around the damage. ';
  return `The source is damaged: ${plural(problems.length, 'structural problem')} (first: ${problems[0]!.detail}); the new store is built around it. `;
}

const CSV_COLUMNS = ['status', 'folder', 'subject', 'sender', 'date', 'detail', 'id'] as const;

/** One row per item, in the order they were copied (RFC 4180; formula-like text is neutralised, see csvField). */
export function repairItemsCsv(r: Pick<RepairResult, 'items'>): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const it of r.items) lines.push(CSV_COLUMNS.map((c) => csvField(it[c])).join(','));
  return lines.join('\r\n') + '\r\n';
}
