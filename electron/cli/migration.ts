import path from 'node:path';
import type { Report } from '../contract/report.ts';
import type { MIGRATION_TARGETS } from '../pst/migration/schema.ts';

// `mailmedic pst scan --migration …`: the options as the pstScan request takes them, and the readiness lines of the
// human report (main.ts declares the options; commands/pst.ts and human.ts call these).

export interface MigrationOptions {
  migration?: string;
  mailbox?: string;
  mailboxMap?: string;
  importCsv?: string;
}

export function migrationRequest(o: MigrationOptions) {
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
