import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Report } from '../../contract/report.ts';
import { EXIT, type Cli } from '../command.ts';
import { call, num } from './common.ts';
import { formatReport } from '../human.ts';

export interface PstRepairOptions {
  out: string;
  splitGb?: string;
  force?: boolean;
  csv?: string;
  json?: boolean;
}

/** How many partial and lost items the human output lists (all of them are in --json and --csv). */
const LISTED = 20;

/**
 * `mailmedic pst repair SOURCE --out TARGET.pst`: every readable item into a new Unicode PST; the source is only read.
 * Exit 0 when every item was kept, 1 when some are partial or lost, 2 when the repair could not run.
 */
export async function run(cli: Cli, source: string, o: PstRepairOptions): Promise<void> {
  const req = { file: path.resolve(source), out: path.resolve(o.out), splitGb: num(o.splitGb), force: o.force };
  const report = await call('pstRepair', req, cli.ctx());
  const repair = report.pst?.repair;
  if (o.csv && repair) {
    const { repairItemsCsv } = await import('../../pst/repair/report.ts');
    await writeFile(o.csv, repairItemsCsv(repair));
  }
  cli.io.stdout(o.json ? JSON.stringify(report, null, 2) + '\n' : humanRepair(report));
  cli.exit(repair && repair.counts.partial + repair.counts.lost > 0 ? EXIT.FINDINGS : EXIT.OK);
}

function humanRepair(report: Report): string {
  const repair = report.pst?.repair;
  const lines = [formatReport(report).trimEnd()];
  if (repair) {
    lines.push('', ...repair.outputs.map((o) => `Written: ${o.path} (${o.folders} folders, ${o.messages} messages)`));
    const incomplete = repair.items.filter((i) => i.status === 'partial' || i.status === 'lost');
    if (incomplete.length > 0) {
      lines.push('', 'Partial and lost items:');
      for (const i of incomplete.slice(0, LISTED)) lines.push(`  ${i.status.padEnd(7)} ${i.folder} — ${i.subject || '(no subject)'}${i.detail ? `: ${i.detail}` : ''}`);
      if (incomplete.length > LISTED) lines.push(`  … and ${incomplete.length - LISTED} more (the whole list: --csv FILE or --json)`);
    }
  }
  return lines.join('\n') + '\n';
}
