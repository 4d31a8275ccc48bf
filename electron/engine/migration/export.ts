import path from 'node:path';
import { UsageError } from '../../core/errors.ts';
import type { PstSection } from '../../pst/schema.ts';
import { MAX_ROWS_PER_CSV, planRows, splitImportCsv } from './plan.ts';

// The import mapping CSV of a readiness report, for the UI's download: the same rows and the same parts as the CLI's
// --import-csv writes for that scan, made again from the report's files and the paths the scan was given.

/** The CSV text of part PART (1-based) of the plan; without PART the whole plan, which must then fit one CSV. */
export function importCsvPart(section: PstSection, scanned: string[], part?: number): string {
  const plan = section.migration?.importPlan;
  if (!plan) throw new UsageError('this report holds no Microsoft 365 readiness scan: there is no import plan');
  const rows = planRows(section.files, scanned.map((p) => path.resolve(p)));
  // A report cut down or edited after the scan would give another plan than the one it reports.
  if (rows.length !== plan.rows) throw new UsageError(`the report's import plan has ${plan.rows} row(s) but its files give ${rows.length}: export from the report as the scan made it`);
  const parts = splitImportCsv('import.csv', rows);
  if (part === undefined) {
    if (parts.length > 1) throw new UsageError(`the import plan has ${rows.length} rows, more than the ${MAX_ROWS_PER_CSV} Microsoft takes per CSV: ask for part 1 to ${parts.length}`);
    return parts[0]!.text;
  }
  const chosen = parts[part - 1];
  if (!chosen) throw new UsageError(`the import plan has ${parts.length} part(s) of at most ${MAX_ROWS_PER_CSV} rows; there is no part ${part}`);
  return chosen.text;
}
