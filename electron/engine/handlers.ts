import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Method, RequestOf, ResponseOf } from '../contract/api.ts';
import { VERSION } from '../core/version.ts';
import { buildReport } from '../report/build.ts';
import { withCauses } from './causes.ts';
import { configuredFor, joinSmtpWithAccounts } from './link-fixes.ts';
import { type EngineContext } from '../core/context.ts';
import { ApiError, UsageError } from '../core/errors.ts';

// Domains load on first use: `mailmedic smtp` never pays for the PST code, and `--help` loads no domain at all.
const smtp = () => import('../smtp/service.ts');
// `explain` is text in, text out: its knowledge alone, without the probe's sockets.
const explain = () => import('../smtp/explain.ts');
const clients = () => import('../clients/service.ts');
const network = () => import('../network/service.ts');
const pst = () => import('../pst/service.ts');
const fixes = () => import('./fix-catalog.ts');

export type Handlers = { [M in Method]: (req: RequestOf<M>, ctx: EngineContext) => Promise<ResponseOf<M>> };

/** Resolves `home` from a request against the context: the same code path for the real home and `--home DIR`. */
export function withHome(ctx: EngineContext, home: string | undefined): EngineContext {
  if (!home) return ctx;
  const resolved = path.resolve(home);
  // A mistyped --home must not read as "no accounts, all fine".
  if (!statSync(resolved, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`--home: no such folder: ${resolved}`);
  return { ...ctx, home: resolved };
}

/** The engine behind every face. Requests arrive here already validated by the contract's schemas. */
export const handlers: Handlers = {
  async health() {
    return { name: 'mailmedic', version: VERSION };
  },

  async scan(req, ctx) {
    const { runScan } = await import('./scan.ts');
    return runScan(req, withHome(ctx, req.home));
  },

  async smtp(req, ctx) {
    const started = new Date();
    // The accounts that send through this host give the probe their settings, and its advice concrete fixes.
    const { readAll } = await clients();
    const local = await readAll(ctx).catch(() => ({ accounts: [], fixes: [], findings: [] }));
    const { section, findings } = await (await smtp()).diagnoseSmtp({ ...req, signal: ctx.signal, configured: configuredFor(req.host, local.accounts) });
    return withCauses(buildReport('smtp', started, joinSmtpWithAccounts(findings, section, local.accounts, local.fixes), { smtp: section }));
  },

  async explain(req) {
    const started = new Date();
    const { section, findings } = (await explain()).explainSmtpText(req.text);
    return withCauses(buildReport('explain', started, findings, { explain: section }));
  },

  async accounts(req, ctx) {
    const started = new Date();
    const { accounts, findings } = await (await clients()).readAccounts(withHome(ctx, req.home));
    return withCauses(buildReport('accounts', started, findings, { accounts }));
  },

  async network(req, ctx) {
    const started = new Date();
    const { section, findings } = await (await network()).collectNetwork(ctx, { smtpHost: req.smtpHost });
    return withCauses(buildReport('network', started, findings, { network: section }));
  },

  async pstScan(req, ctx) {
    const started = new Date();
    const missing = req.paths.filter((p) => !existsSync(p));
    if (missing.length === req.paths.length) throw new UsageError(`no such file or folder: ${missing.join(', ')}`);
    if (req.migration) return withCauses(await (await import('./migration/readiness.ts')).runReadinessScan(req, ctx));
    const { section, findings } = await (await pst()).scanPstPaths(req.paths, { deep: req.deep, jobs: req.jobs }, ctx);
    return withCauses(buildReport('pst scan', started, findings, { pst: section }));
  },

  async pstSalvage(req, ctx) {
    const started = new Date();
    const { section, findings } = await (await pst()).salvagePst(req.file, req.out, req.format ?? 'eml', ctx);
    return withCauses(buildReport('pst salvage', started, findings, { pst: section }));
  },

  async fixList(req, ctx) {
    return { fixes: await (await fixes()).listFixes(withHome(ctx, req.home)) };
  },
  async fixPreview(req, ctx) {
    return (await fixes()).previewFix(req.id, withHome(ctx, req.home));
  },
  async fixApply(req, ctx) {
    return (await fixes()).applyFix(req.id, withHome(ctx, req.home));
  },
  async undo(req, ctx) {
    return (await fixes()).undoFix(req.journalId, withHome(ctx, req.home));
  },
  async fixHistory(_req, ctx) {
    const { listEntries } = await import('../fixes/journal.ts');
    const entries = await listEntries(ctx.dataDir);
    return {
      entries: entries.map((e) => ({
        journalId: e.id,
        fixId: e.fixId,
        title: e.title,
        createdAt: e.createdAt,
        state: e.state,
        // Files and registry values by name; any other kind of change (e.g. a command) by its description.
        targets: e.changes.map((c) =>
          c.kind === 'file' ? c.path : c.kind === 'registry' ? `${c.key}\\${c.name}` : String((c as { description?: unknown }).description ?? (c as { kind: string }).kind),
        ),
      })),
    };
  },
  // Native dialogs exist only in the desktop app: its IPC layer answers these before dispatch (electron/app/ipc.ts).
  async pickPaths() {
    throw new ApiError('not-available', 'file and folder pickers are only in the desktop app; type the path instead');
  },
  async revealPath() {
    throw new ApiError('not-available', '"show in folder" is only in the desktop app');
  },
  // Only the desktop app's IPC layer keeps calls by id; over HTTP a call stops when its request is closed.
  async cancel() {
    throw new ApiError('not-available', 'cancel by call id is only in the desktop app; over HTTP, close the request');
  },
  async pstExport(req) {
    if (req.format === 'import-csv') {
      const { importCsvPart } = await import('./migration/export.ts');
      return { text: importCsvPart(req.section, req.paths ?? [], req.part) };
    }
    if (req.format === 'repair-csv') {
      if (!req.section.repair) throw new UsageError('this report holds no repair: nothing to list');
      const { repairItemsCsv } = await import('../pst/repair/report.ts');
      return { text: repairItemsCsv(req.section.repair) };
    }
    const { sectionToCsv, sectionToHtml } = await import('../pst/export.ts');
    return { text: req.format === 'csv' ? sectionToCsv(req.section) : sectionToHtml(req.section) };
  },

  async pstRepair(req, ctx) {
    const started = new Date();
    const { section, findings } = await (await pst()).repairPstFile(req, ctx);
    return withCauses(buildReport('pst repair', started, findings, { pst: section }));
  },
};
