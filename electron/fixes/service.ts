import type { EngineContext } from '../engine/context.ts';
import { UsageError } from '../engine/context.ts';
import { readAll, registryFor } from '../clients/service.ts';
import { applyFixObject, renderPreview, undoEntry, type EngineOptions } from './engine.ts';
import type { Fix } from './types.ts';

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
async function allFixes(ctx: EngineContext, opts: EngineOptions): Promise<Fix[]> {
  return (await readAll(ctx, opts)).fixes;
}

async function findFix(id: string, ctx: EngineContext, opts: EngineOptions): Promise<Fix> {
  const fix = (await allFixes(ctx, opts)).find((f) => f.id === id);
  if (!fix) throw new UsageError(`no fix "${id}" applies here (it may already be applied); see \`mailmedic fix --list\``);
  return fix;
}

async function info(fix: Fix, ctx: EngineContext): Promise<FixInfo> {
  return { id: fix.id, title: fix.title, area: fix.area, preview: renderPreview(await fix.plan(ctx)) };
}

export async function listFixes(ctx: EngineContext, opts: EngineOptions = {}): Promise<FixInfo[]> {
  const out: FixInfo[] = [];
  for (const f of await allFixes(ctx, opts)) out.push(await info(f, ctx));
  return out;
}

export async function previewFix(id: string, ctx: EngineContext, opts: EngineOptions = {}): Promise<FixInfo> {
  return info(await findFix(id, ctx, opts), ctx);
}

/** Applies a fix: refuses while the client runs; backup, atomic write, verify, journal. */
export async function applyFix(id: string, ctx: EngineContext, opts: EngineOptions = {}): Promise<FixResult> {
  const fix = await findFix(id, ctx, opts);
  const r = await applyFixObject(fix, ctx, { ...opts, registry: registryFor(ctx, opts) ?? undefined });
  return { id, journalId: r.journalId, applied: r.applied, message: r.message, preview: r.preview };
}

/** Restores exactly the bytes/values a fix replaced (default: the last fix applied). */
export async function undoFix(journalId: string | undefined, ctx: EngineContext, opts: EngineOptions = {}): Promise<UndoResult> {
  return undoEntry(journalId, ctx, { ...opts, registry: registryFor(ctx, opts) ?? undefined });
}
