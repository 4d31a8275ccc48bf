import type { EngineContext } from '../core/context.ts';
import { UsageError } from '../core/errors.ts';
import { readAll, registryFor } from '../clients/service.ts';
import { clientGuardReasons } from '../clients/guards.ts';
import { applyFixObject, renderPreview, undoEntry, type EngineOptions } from '../fixes/engine.ts';
import type { Fix } from '../core/fix.ts';
import { networkFixes } from './network-fixes.ts';

export interface FixInfo {
  id: string;
  title: string;
  area: string;
  preview: string;
}
export interface FixResult {
  id: string;
  journalId: string | null;
  applied: boolean;
  message: string;
  preview: string;
}
export interface UndoResult {
  journalId: string;
  restored: string[];
  message: string;
}

/** Every fix the readers offer for the current state under ctx.home. */
export interface ServiceOptions extends EngineOptions {
  /** Also offer the network domain's firewall fixes (default true; they need the network checks to run). */
  network?: boolean;
}

async function allFixes(ctx: EngineContext, opts: ServiceOptions): Promise<Fix[]> {
  const fixes = (await readAll(ctx, opts)).fixes;
  if (opts.network !== false) fixes.push(...(await networkFixes(ctx)));
  return fixes;
}

async function findFix(id: string, ctx: EngineContext, opts: ServiceOptions): Promise<Fix> {
  // Only look at the domain the id belongs to: a Thunderbird fix need not wait for the firewall checks.
  const fix = (await allFixes(ctx, { ...opts, network: opts.network !== false && id.startsWith('network.') })).find((f) => f.id === id);
  if (!fix) throw new UsageError(`no fix "${id}" applies here (it may already be applied); see \`mailmedic fix --list\``);
  return fix;
}

async function info(fix: Fix, ctx: EngineContext): Promise<FixInfo> {
  return { id: fix.id, title: fix.title, area: fix.area, preview: renderPreview(await fix.plan(ctx)) };
}

export async function listFixes(ctx: EngineContext, opts: ServiceOptions = {}): Promise<FixInfo[]> {
  const out: FixInfo[] = [];
  for (const f of await allFixes(ctx, opts)) out.push(await info(f, ctx));
  return out;
}

export async function previewFix(id: string, ctx: EngineContext, opts: ServiceOptions = {}): Promise<FixInfo> {
  return info(await findFix(id, ctx, opts), ctx);
}

/** Applies a fix: refuses while the client runs; backup, atomic write, verify, journal. */
export async function applyFix(id: string, ctx: EngineContext, opts: ServiceOptions = {}): Promise<FixResult> {
  const fix = await findFix(id, ctx, opts);
  const r = await applyFixObject(fix, ctx, { ...opts, registry: registryFor(ctx, opts) ?? undefined, clientCheck: clientGuardReasons });
  return { id, journalId: r.journalId, applied: r.applied, message: r.message, preview: r.preview };
}

/** Restores exactly the bytes/values a fix replaced (default: the last fix applied). */
export async function undoFix(journalId: string | undefined, ctx: EngineContext, opts: EngineOptions = {}): Promise<UndoResult> {
  return undoEntry(journalId, ctx, { ...opts, registry: registryFor(ctx, opts) ?? undefined, clientCheck: clientGuardReasons });
}
