import type { Finding } from '../core/finding.ts';
import { finding } from '../core/finding.ts';
import type { EngineContext } from '../core/context.ts';
import { UsageError } from '../core/errors.ts';
import type { PstSection } from './schema.ts';
import { discoverStores } from './discover.ts';
import { pstFindings } from './findings.ts';
import { scanAll } from './pool.ts';
import { salvageStore } from './salvage.ts';
import { defaultInUseProbe, type InUseProbe } from './migration/in-use.ts';
import { defaultFileOwners, type FileOwnerLookup } from './migration/disk-owner.ts';
import { completeReadiness } from './migration/file.ts';

export interface PstScanOptions {
  deep?: boolean;
  jobs?: number;
  /** Readiness scan: per-file migration verdict, content hash, store facts, in-use check and disk owner. */
  migration?: boolean;
  /** Which processes hold the files open (default: by platform, see in-use.ts). */
  inUse?: InUseProbe;
  /** The files' owners on disk (default: by platform, see disk-owner.ts). */
  fileOwners?: FileOwnerLookup;
}

/** Scan files or folders (recursively, .pst/.ost). Never writes the inputs. */
export async function scanPstPaths(
  paths: string[],
  opts: PstScanOptions,
  ctx: EngineContext,
): Promise<{ section: PstSection; findings: Finding[] }> {
  if (paths.length === 0) throw new UsageError('give at least one .pst/.ost file or folder to scan');
  const found = await discoverStores(paths);
  // Before the scan opens them: which files another program holds open right now.
  const holders = opts.migration ? await (opts.inUse ?? defaultInUseProbe(ctx))(found.files) : new Map();
  const files = await scanAll(found.files, { jobs: opts.jobs ?? 1, deep: opts.deep ?? false, migration: opts.migration, signal: ctx.signal, onProgress: ctx.onProgress });
  if (opts.migration) completeReadiness(files, holders, await (opts.fileOwners ?? defaultFileOwners(ctx))(found.files));
  const findings = pstFindings(files);
  for (const m of found.missing) {
    findings.push(finding({ id: 'pst.path-missing', area: 'pst', severity: 'error', title: `cannot read ${m.path}`, detail: m.reason, evidence: { path: m.path, reason: m.reason } }));
  }
  if (found.files.length === 0) {
    findings.push(finding({ id: 'pst.none-found', area: 'pst', severity: 'warning', title: 'no .pst or .ost files found', detail: `searched: ${paths.join(', ')}`, evidence: { paths } }));
  }
  return { section: { files }, findings };
}

/** Export every readable message of FILE to OUT as EML (folder tree as directories) or mbox. */
export async function salvagePst(
  file: string,
  out: string,
  format: 'eml' | 'mbox',
  ctx: EngineContext,
): Promise<{ section: PstSection; findings: Finding[] }> {
  return salvageStore(file, out, format, { signal: ctx.signal, onProgress: ctx.onProgress });
}

export interface RepairRequest {
  file: string;
  out: string;
  splitGb?: number;
  force?: boolean;
}

/** Rebuild FILE into a new Unicode PST at OUT (parts with splitGb); the source is only ever read. */
export async function repairPstFile(req: RepairRequest, ctx: EngineContext): Promise<{ section: PstSection; findings: Finding[] }> {
  const { repairPst, repairFinding } = await import('./repair.ts');
  const { scan, ...repair } = await repairPst(req.file, { out: req.out, splitGb: req.splitGb, force: req.force, signal: ctx.signal, onProgress: ctx.onProgress });
  return { section: { files: [scan], repair }, findings: [repairFinding(repair, scan)] };
}
