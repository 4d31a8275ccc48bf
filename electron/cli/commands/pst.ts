import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Report } from '../../contract/report.ts';
import type { Cli } from '../command.ts';
import { call, emitReport, num } from './common.ts';
import { migrationRequest, type MigrationOptions } from '../migration.ts';

export interface PstScanOptions extends MigrationOptions {
  jobs?: string;
  deep?: boolean;
  csv?: string;
  html?: string;
  out?: string;
  json?: boolean;
}

/** `mailmedic pst scan PATH…`: every structure and checksum of PST/OST files or folders of them. */
export async function scan(cli: Cli, paths: string[], o: PstScanOptions): Promise<void> {
  const report = await call('pstScan', { paths: paths.map((p) => path.resolve(p)), jobs: num(o.jobs), deep: o.deep, ...migrationRequest(o) }, cli.ctx());
  await writeExports(report, o);
  await emitReport(cli, report, o);
}

/** `mailmedic pst salvage FILE --out DIR`: every readable message exported; the original is only ever read. */
export async function salvage(cli: Cli, file: string, o: { out: string; format: 'eml' | 'mbox'; json?: boolean }): Promise<void> {
  const req = { file: path.resolve(file), out: path.resolve(o.out), format: o.format };
  // --out names the folder of messages here, not a copy of the report.
  await emitReport(cli, await call('pstSalvage', req, cli.ctx()), { json: o.json });
}

async function writeExports(report: Report, o: { csv?: string; html?: string }) {
  if (!o.csv && !o.html) return;
  const { sectionToCsv, sectionToHtml } = await import('../../pst/export.ts');
  if (!report.pst) return;
  if (o.csv) await writeFile(o.csv, sectionToCsv(report.pst));
  if (o.html) await writeFile(o.html, sectionToHtml(report.pst));
}
