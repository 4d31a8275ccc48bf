import { stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RequestOf } from '../../contract/api.ts';
import type { Report } from '../../contract/report.ts';
import type { EngineContext } from '../../core/context.ts';
import { UsageError } from '../../core/errors.ts';
import { finding, type Finding } from '../../core/finding.ts';
import { buildReport } from '../../report/build.ts';
import { duplicateReason, nameClashReason, sortReasons, verdictOf } from '../../pst/migration/rules.ts';
import { pickOwner } from '../../pst/migration/owner.ts';
import type { MigrationVerdict, PstMigrationSummary } from '../../pst/migration/schema.ts';
import type { PstScanOptions } from '../../pst/service.ts';
import type { PstFileResult } from '../../pst/schema.ts';
import type { Account } from '../../clients/schema.ts';
import { loadMailboxMap, ruleFor, type MailboxRule } from './mailbox-map.ts';
import { importNames, nameClashes, planRows, splitImportCsv } from './plan.ts';
import { profileOwners } from './owners.ts';

// `pst scan --migration m365`: the readiness scan of every file (pst domain), then what needs all files or the
// machine: owners from the mail profiles (clients domain), duplicates by content hash, name clashes and the import
// Names, the target mailboxes, and the mapping CSV.

type Request = RequestOf<'pstScan'>;

/** What tests replace: the pst scan's probes, and the accounts of this machine's mail profiles. */
export interface ReadinessDeps {
  scan?: Pick<PstScanOptions, 'inUse' | 'fileOwners'>;
  accounts?: (ctx: EngineContext) => Promise<Account[]>;
}

const VERDICTS: MigrationVerdict[] = ['ready', 'needs-attention', 'blocked'];
const LISTED = 10;
const EVIDENCE_FILES = 1000;
const gb = (n: number) => `${(n / 1024 ** 3).toFixed(2)} GB`;

async function checkOutput(file: string): Promise<void> {
  const dir = path.dirname(file);
  const st = await stat(dir).catch(() => null);
  if (!st?.isDirectory()) throw new UsageError(`--import-csv ${file}: folder ${dir} does not exist`);
}

async function profileAccounts(ctx: EngineContext) {
  const { readAll } = await import('../../clients/service.ts');
  return (await readAll(ctx).catch(() => ({ accounts: [] }))).accounts;
}

export async function runReadinessScan(req: Request, ctx: EngineContext, deps: ReadinessDeps = {}): Promise<Report> {
  const started = new Date();
  // Bad input fails before a long scan starts.
  const rules: MailboxRule[] = req.mailboxMap ? await loadMailboxMap(req.mailboxMap) : [];
  if (req.importCsv) await checkOutput(req.importCsv);
  const { scanPstPaths } = await import('../../pst/service.ts');
  const { section, findings } = await scanPstPaths(req.paths, { deep: req.deep, jobs: req.jobs, migration: true, ...deps.scan }, ctx);
  const files = section.files;

  // Owners named by this machine's mail profiles.
  const profiles = profileOwners(files.map((f) => f.path), await (deps.accounts ?? profileAccounts)(ctx), ctx);
  for (const f of files) {
    const src = profiles.get(f.path);
    if (src && f.migration) f.migration.owner = pickOwner([...f.migration.owner.sources, src]);
  }

  // Duplicates: the same content hash; each file names the others.
  const byHash = new Map<string, PstFileResult[]>();
  for (const f of files) if (f.sha256) byHash.set(f.sha256, [...(byHash.get(f.sha256) ?? []), f]);
  const duplicates: PstMigrationSummary['duplicates'] = [];
  for (const [sha256, group] of byHash) {
    if (group.length < 2) continue;
    duplicates.push({ sha256, bytes: group[0]!.bytes, paths: group.map((f) => f.path) });
    for (const f of group) f.migration!.reasons.push(duplicateReason(group.filter((g) => g !== f).map((g) => g.path), sha256));
  }

  // The import plan: files not blocked get a row, a unique Name and a mailbox.
  const planned = files.filter((f) => f.migration && verdictOf(f.migration.reasons) !== 'blocked');
  const byPath = new Map(planned.map((f) => [f.path, f]));
  const names = importNames(planned);
  const clashes = nameClashes(planned);
  for (const paths of clashes.values()) {
    for (const p of paths) {
      const f = byPath.get(p)!;
      f.migration!.reasons.push(nameClashReason(path.basename(p), paths.filter((o) => o !== p), names.get(p) ?? null));
    }
  }
  const roots = req.paths.map((p) => path.resolve(p));
  const caseless = ctx.platform === 'win32';
  const renames: PstMigrationSummary['importPlan']['renames'] = [];
  const withoutMailbox: string[] = [];
  for (const f of planned) {
    const m = f.migration!;
    const rule = ruleFor(f.path, rules, caseless);
    const guess = m.owner.confidence === 'high' && m.owner.sources.some((s) => s.address && s.value === m.owner.guess) ? m.owner.guess : null;
    m.mailbox = rule
      ? { address: rule.mailbox, source: 'mailbox-map' }
      : req.mailbox
        ? { address: req.mailbox.toLowerCase(), source: 'mailbox' }
        : guess
          ? { address: guess, source: 'owner' }
          : null;
    if (!m.mailbox) withoutMailbox.push(f.path);
    const name = names.get(f.path)!;
    m.importName = name;
    if (name !== path.basename(f.path)) renames.push({ path: f.path, name: path.basename(f.path), as: name });
  }
  for (const f of files) {
    const m = f.migration!;
    m.reasons = sortReasons(m.reasons);
    m.verdict = verdictOf(m.reasons);
    if (!byPath.has(f.path)) m.importName = null;
  }
  // From the report's own fields, as the UI's download makes them.
  const rows = planRows(files, roots);

  const csvFiles: string[] = [];
  if (req.importCsv) {
    for (const part of splitImportCsv(path.resolve(req.importCsv), rows)) {
      await writeFile(part.file, part.text);
      csvFiles.push(part.file);
    }
  }
  const verdicts = Object.fromEntries(VERDICTS.map((v) => {
    const of = files.filter((f) => f.migration!.verdict === v);
    return [v, { files: of.length, bytes: of.reduce((a, f) => a + f.bytes, 0) }];
  })) as PstMigrationSummary['verdicts'];
  const summary: PstMigrationSummary = {
    target: 'm365',
    verdicts,
    ownerless: files.filter((f) => f.migration!.owner.guess === null).map((f) => f.path),
    duplicates,
    nameClashes: [...clashes.values()].map((paths) => ({ name: path.basename(paths[0]!), paths })),
    importPlan: { rows: rows.length, csvFiles, renames, withoutMailbox },
  };
  return buildReport('pst scan', started, [...findings, ...migrationFindings(files, summary)], { pst: { files, migration: summary } });
}

function listFiles(files: PstFileResult[]): string {
  const shown = files.slice(0, LISTED).map((f) => `${f.path} (${f.migration!.reasons.map((r) => r.rule).join(', ')})`);
  return shown.join('; ') + (files.length > LISTED ? `; and ${files.length - LISTED} more` : '');
}

export function migrationFindings(files: PstFileResult[], s: PstMigrationSummary): Finding[] {
  const v = s.verdicts;
  const out: Finding[] = [
    finding({
      id: 'pst.migration.summary',
      area: 'pst',
      severity: 'info',
      title: `Microsoft 365 import: ${v.ready.files} ready, ${v['needs-attention'].files} need attention, ${v.blocked.files} blocked`,
      detail: `Ready ${gb(v.ready.bytes)}, needs attention ${gb(v['needs-attention'].bytes)}, blocked ${gb(v.blocked.bytes)}. The import plan has ${s.importPlan.rows} row(s)${s.importPlan.csvFiles.length ? ` in ${s.importPlan.csvFiles.join(', ')}` : ''}${s.importPlan.renames.length ? `; ${s.importPlan.renames.length} file(s) must be uploaded under a new name` : ''}.`,
      evidence: { verdicts: v, rows: s.importPlan.rows, csvFiles: s.importPlan.csvFiles },
    }),
  ];
  const of = (verdict: MigrationVerdict) => files.filter((f) => f.migration!.verdict === verdict);
  const evidence = (list: PstFileResult[]) => ({ files: list.slice(0, EVIDENCE_FILES).map((f) => ({ path: f.path, rules: f.migration!.reasons.map((r) => r.rule) })), count: list.length });
  const blocked = of('blocked');
  if (blocked.length) {
    out.push(finding({ id: 'pst.migration.blocked', area: 'pst', severity: 'error', title: `${blocked.length} file(s) cannot be imported as they are`, detail: listFiles(blocked), evidence: evidence(blocked) }));
  }
  const attention = of('needs-attention');
  if (attention.length) {
    out.push(finding({ id: 'pst.migration.needs-attention', area: 'pst', severity: 'warning', title: `${attention.length} file(s) need attention before the import`, detail: listFiles(attention), evidence: evidence(attention) }));
  }
  if (s.ownerless.length) {
    out.push(finding({
      id: 'pst.migration.ownerless',
      area: 'pst',
      severity: 'warning',
      title: `${s.ownerless.length} file(s) with no known owner`,
      detail: `Nothing in these files or on this machine says whose mail they hold: ${s.ownerless.slice(0, LISTED).join('; ')}${s.ownerless.length > LISTED ? '; …' : ''}. Decide with their users whether to import them, and where.`,
      evidence: { paths: s.ownerless.slice(0, EVIDENCE_FILES), count: s.ownerless.length },
    }));
  }
  if (s.importPlan.withoutMailbox.length) {
    const n = s.importPlan.withoutMailbox.length;
    out.push(finding({
      id: 'pst.migration.no-mailbox',
      area: 'pst',
      severity: 'warning',
      title: `${n} row(s) of the import plan have no Mailbox`,
      detail: 'Name the target with --mailbox ADDR or --mailbox-map FILE.csv (path prefix or file name, mailbox), or fill in the Mailbox column before submitting the CSV.',
      evidence: { paths: s.importPlan.withoutMailbox.slice(0, EVIDENCE_FILES), count: n },
    }));
  }
  return out;
}
