import { Option, type Command } from 'commander';
import path from 'node:path';
import type { Report } from '../contract/report.ts';
import { MIGRATION_TARGETS } from '../pst/migration/schema.ts';

// The migration-readiness options of `mailmedic pst scan` and their lines in the human report. Kept apart from the
// command definitions: main.ts adds the options and maps them into the request with the two functions below.

export function addMigrationOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--migration <target>', 'readiness for a migration: a verdict per file against its import rules').choices([...MIGRATION_TARGETS]))
    .option('--mailbox <addr>', 'with --migration: the mailbox the files go to (files the map names go to theirs)')
    .option('--mailbox-map <file>', 'with --migration: CSV of "path prefix or file name,mailbox" lines')
    .option('--import-csv <file>', 'with --migration: write the import mapping CSV (FILE-1.csv, FILE-2.csv… beyond 500 rows)');
}

export function migrationRequest(o: { migration?: string; mailbox?: string; mailboxMap?: string; importCsv?: string }) {
  return {
    migration: o.migration as (typeof MIGRATION_TARGETS)[number] | undefined,
    mailbox: o.mailbox,
    mailboxMap: o.mailboxMap === undefined ? undefined : path.resolve(o.mailboxMap),
    importCsv: o.importCsv === undefined ? undefined : path.resolve(o.importCsv),
  };
}

const MARK = { ready: '✔', 'needs-attention': '!', blocked: '✖' } as const;

/** Per file: verdict, owner and reasons; then the plan (CSV files, renames, ownerless files). */
export function formatMigration(pst: NonNullable<Report['pst']>): string[] {
  const s = pst.migration;
  if (!s) return [];
  const v = s.verdicts;
  const lines = [`Microsoft 365 import readiness: ${v.ready.files} ready, ${v['needs-attention'].files} need attention, ${v.blocked.files} blocked`];
  for (const f of pst.files) {
    const m = f.migration;
    if (!m) continue;
    const owner = m.owner.guess ? `owner ${m.owner.guess} (${m.owner.confidence})` : 'no owner found';
    const mailbox = m.mailbox ? ` → ${m.mailbox.address}` : '';
    lines.push(`  ${MARK[m.verdict]} ${m.verdict.padEnd(15)} ${f.path}  ${owner}${mailbox}`);
    for (const r of m.reasons) lines.push(`      ${r.rule}: ${r.detail}`);
  }
  const p = s.importPlan;
  lines.push(`  Import plan: ${p.rows} row(s)${p.csvFiles.length ? ` in ${p.csvFiles.join(', ')}` : ' (write it with --import-csv FILE)'}`);
  for (const r of p.renames) lines.push(`    upload ${r.path} as ${r.as}`);
  if (s.ownerless.length) lines.push(`  Ownerless (${s.ownerless.length}):`, ...s.ownerless.slice(0, 50).map((x) => `    ${x}`));
  return lines;
}
