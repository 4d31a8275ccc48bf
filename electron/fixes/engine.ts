import fs from 'node:fs/promises';
import path from 'node:path';
import type { EngineContext } from '../core/context.ts';
import { UsageError } from '../core/errors.ts';
import { atomicReplace, sha256, tempPathFor, writeSynced, type StepHook } from './atomic.ts';
import { unifiedDiff } from './diff.ts';
import { checkGuards, type ClientGuardCheck } from './guards.ts';
import { withFixLock } from './lock.ts';
import {
  backupDir,
  listEntries,
  newJournalId,
  readEntry,
  regFromJson,
  regToJson,
  writeEntry,
  type JournalChange,
  type JournalEntry,
} from './journal.ts';
import type { Change, CommandSpec, Fix, RegistryBackend, RegValue } from '../core/fix.ts';

export interface EngineOptions {
  /** Needed only for registry changes (Outlook). */
  registry?: RegistryBackend;
  /** Called between the steps of apply (fault-injection tests kill the process there). */
  onStep?: StepHook;
  /** Confirms a mail client is closed before its files are written or restored. */
  clientCheck?: ClientGuardCheck;
}

export interface ApplyOutcome {
  applied: boolean;
  journalId: string | null;
  message: string;
  preview: string;
  refusedBecause: string[];
}

function showReg(v: RegValue | null): string {
  if (!v) return '(absent)';
  if (Buffer.isBuffer(v.data)) {
    const text = v.data.toString('utf16le').replace(/\0+$/, '');
    return /^[\x20-\x7e]*$/.test(text) && v.data.length % 2 === 0 ? `${v.type} "${text}"` : `${v.type} ${v.data.toString('hex')}`;
  }
  return typeof v.data === 'number' ? `${v.type} ${v.data} (0x${v.data.toString(16)})` : `${v.type} "${v.data}"`;
}

/** A command line for people (arguments with blanks quoted); commands themselves never go through a shell. */
export function showCmd(c: CommandSpec): string {
  return [c.cmd, ...c.args].map((a) => (/^[\w@%+=:,./{}-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

async function runAll(cmds: CommandSpec[], ctx: EngineContext, outs: string[] = []): Promise<string[]> {
  for (const c of cmds) {
    const r = await ctx.run(c.cmd, c.args, { timeoutMs: 60_000 });
    if (r.code !== 0) throw new Error(`\`${showCmd(c)}\` failed: ${(r.stderr || r.stdout).trim().slice(0, 500) || r.error || `exit ${r.code}`}`);
    outs.push(r.stdout);
  }
  return outs;
}

/** A readable preview of exactly what the changes do. */
export function renderPreview(changes: Change[]): string {
  if (changes.length === 0) return '(nothing to change: the settings already have these values)';
  return changes
    .map((c) =>
      c.kind === 'file'
        ? (c.before ? '' : `(new file)\n`) + unifiedDiff(c.path, c.before ?? Buffer.alloc(0), c.after)
        : c.kind === 'command'
          ? `${c.description}\nrun:\n${c.apply.map((x) => `  $ ${showCmd(x)}`).join('\n')}\nundo:\n${c.undoPreview.map((x) => `  $ ${showCmd(x)}`).join('\n')}`
          : `registry ${c.key}\n- "${c.name}" = ${showReg(c.before)}\n+ "${c.name}" = ${c.after ? showReg(c.after) : '(deleted)'}`,
    )
    .join('\n\n');
}

function sameReg(a: RegValue | null, b: RegValue | null): boolean {
  if (!a || !b) return a === b;
  if (a.type !== b.type) return false;
  if (Buffer.isBuffer(a.data) && Buffer.isBuffer(b.data)) return a.data.equals(b.data);
  return a.data === b.data;
}

function needRegistry(opts: EngineOptions): RegistryBackend {
  if (!opts.registry) throw new UsageError('this fix changes the Windows registry, which is not available here');
  return opts.registry;
}

/** Puts one change back: file → previous bytes (from the backup), registry → previous value and type, or deletion. */
async function revertChange(c: JournalChange, entry: JournalEntry, ctx: EngineContext, opts: EngineOptions): Promise<string> {
  if (c.kind === 'file') {
    const bdir = backupDir(ctx.dataDir, entry.id);
    // Temps left by a killed apply or a killed earlier undo.
    await fs.rm(tempPathFor(c.path, entry.id), { force: true });
    await fs.rm(tempPathFor(c.path, `${entry.id}-undo`), { force: true });
    let current: Buffer | null = null;
    try {
      current = await fs.readFile(c.path);
    } catch {
      /* deleted since */
    }
    const keepAside = `${c.backup ?? `${path.basename(c.path)}.created`}.before-undo`;
    if (c.backup === null) {
      // The fix created this file: undo removes it (keeping a copy of what was there).
      if (current) {
        await writeSynced(path.join(bdir, keepAside), current);
        await fs.rm(c.path);
      }
      return c.path;
    }
    const backup = await fs.readFile(path.join(bdir, c.backup));
    if (sha256(backup) !== c.beforeSha256) throw new Error(`the backup of ${c.path} is damaged; nothing was restored for it`);
    if (current && current.equals(backup)) return c.path;
    if (current) await writeSynced(path.join(bdir, keepAside), current);
    await atomicReplace(c.path, backup, `${entry.id}-undo`, opts.onStep);
    return c.path;
  }
  if (c.kind === 'command') {
    if (c.undo) await runAll(c.undo, ctx);
    return c.description;
  }
  const reg = needRegistry(opts);
  const before = regFromJson(c.before);
  if (before) await reg.setValue(c.key, c.name, before);
  else if (await reg.getValue(c.key, c.name)) await reg.deleteValue(c.key, c.name);
  if (!sameReg(await reg.getValue(c.key, c.name), before)) throw new Error(`registry value ${c.key}\\${c.name} did not take its old value back`);
  return `${c.key}\\${c.name}`;
}

/** Backup → journal (pending) → atomic write + verify for each change → journal (applied). Rolls back on error. */
export async function applyFixObject(fix: Fix, ctx: EngineContext, opts: EngineOptions = {}): Promise<ApplyOutcome> {
  return withFixLock(ctx.dataDir, () => applyLocked(fix, ctx, opts));
}

async function applyLocked(fix: Fix, ctx: EngineContext, opts: EngineOptions): Promise<ApplyOutcome> {
  const changes = await fix.plan(ctx);
  const preview = renderPreview(changes);
  const refused = await checkGuards(fix.guards, ctx, opts.clientCheck);
  if (refused.length) return { applied: false, journalId: null, message: `Not applied: ${refused.join(' ')}`, preview, refusedBecause: refused };
  if (changes.length === 0) return { applied: false, journalId: null, message: 'Nothing to do: the settings already have these values.', preview, refusedBecause: [] };

  const id = newJournalId();
  const bdir = backupDir(ctx.dataDir, id);
  await fs.mkdir(bdir, { recursive: true, mode: 0o700 });
  const jchanges: JournalChange[] = [];
  for (const [i, c] of changes.entries()) {
    if (c.kind === 'file') {
      const backup = c.before ? `${i}-${path.basename(c.path)}.bak` : null;
      if (c.before && backup) await writeSynced(path.join(bdir, backup), c.before);
      jchanges.push({ kind: 'file', path: c.path, backup, beforeSha256: c.before ? sha256(c.before) : null, afterSha256: sha256(c.after) });
    } else if (c.kind === 'command') {
      jchanges.push({ kind: 'command', description: c.description, apply: c.apply, undo: null });
    } else {
      jchanges.push({ kind: 'registry', key: c.key, name: c.name, before: regToJson(c.before), after: regToJson(c.after) });
    }
  }
  await opts.onStep?.('backup-written', bdir);
  const entry: JournalEntry = { id, fixId: fix.id, title: fix.title, createdAt: new Date().toISOString(), state: 'pending', guards: fix.guards, changes: jchanges };
  await writeEntry(ctx.dataDir, entry);
  await opts.onStep?.('journal-pending', id);

  const done: JournalChange[] = [];
  try {
    for (const [i, c] of changes.entries()) {
      if (c.kind === 'file') {
        const now = await fs.readFile(c.path).catch(() => null);
        const unchanged = c.before ? !!now && now.equals(c.before) : now === null;
        if (!unchanged) throw new Error(`${c.path} changed while the fix was being prepared; nothing was written to it`);
        done.push(jchanges[i]!);
        if (!c.before) await fs.mkdir(path.dirname(c.path), { recursive: true, mode: 0o700 });
        await atomicReplace(c.path, c.after, id, opts.onStep);
      } else if (c.kind === 'command') {
        const j = jchanges[i]!;
        if (j.kind !== 'command') throw new Error('journal out of step');
        done.push(j);
        const outs: string[] = [];
        try {
          await runAll(c.apply, ctx, outs);
        } catch (e) {
          // Undo what ran, if its output says how; the error still fails the fix.
          if (outs.length) j.undo = c.undoFor([...outs, ...c.apply.slice(outs.length).map(() => '')]);
          throw e;
        }
        j.undo = c.undoFor(outs);
        if (!j.undo) {
          throw new Error(
            `the commands ran, but their output does not say how to undo them; undo by hand if needed: ${c.undoPreview.map(showCmd).join('; ')}`,
          );
        }
        await writeEntry(ctx.dataDir, entry); // the undo commands are known now: journal them before going on
        await opts.onStep?.('verified', c.description);
      } else {
        const reg = needRegistry(opts);
        if (!sameReg(await reg.getValue(c.key, c.name), c.before)) throw new Error(`registry value ${c.key}\\${c.name} changed while the fix was being prepared`);
        done.push(jchanges[i]!);
        if (c.after) await reg.setValue(c.key, c.name, c.after);
        else await reg.deleteValue(c.key, c.name);
        if (!sameReg(await reg.getValue(c.key, c.name), c.after)) throw new Error(`registry value ${c.key}\\${c.name} does not read back as written`);
        await opts.onStep?.('verified', `${c.key}\\${c.name}`);
      }
    }
  } catch (e) {
    for (const c of done.reverse()) await revertChange(c, entry, ctx, opts).catch(() => undefined);
    await writeEntry(ctx.dataDir, { ...entry, state: 'failed' });
    return { applied: false, journalId: id, message: `Not applied, everything was put back: ${(e as Error).message}`, preview, refusedBecause: [] };
  }
  await writeEntry(ctx.dataDir, { ...entry, state: 'applied' });
  await opts.onStep?.('journal-applied', id);
  return { applied: true, journalId: id, message: `Applied: ${fix.title}. Backup and undo record: ${id}.`, preview, refusedBecause: [] };
}

/** Undoes one journal entry (default: the newest applied or interrupted one). */
export async function undoEntry(
  journalId: string | undefined,
  ctx: EngineContext,
  opts: EngineOptions = {},
): Promise<{ journalId: string; restored: string[]; message: string }> {
  return withFixLock(ctx.dataDir, () => undoLocked(journalId, ctx, opts));
}

async function undoLocked(journalId: string | undefined, ctx: EngineContext, opts: EngineOptions): Promise<{ journalId: string; restored: string[]; message: string }> {
  let entry: JournalEntry | null;
  if (journalId) {
    entry = await readEntry(ctx.dataDir, journalId);
    if (!entry) throw new UsageError(`no fix with journal id "${journalId}" (see the ids printed by \`mailmedic fix\`)`);
  } else {
    entry = (await listEntries(ctx.dataDir)).find((e) => e.state === 'applied' || e.state === 'pending') ?? null;
    if (!entry) throw new UsageError('there is no applied fix to undo');
  }
  if (entry.state === 'undone') throw new UsageError(`fix ${entry.id} (${entry.title}) was already undone`);
  const refused = await checkGuards(entry.guards, ctx, opts.clientCheck);
  if (refused.length) throw new UsageError(`Not undone: ${refused.join(' ')}`);
  const restored: string[] = [];
  for (const c of [...entry.changes].reverse()) restored.push(await revertChange(c, entry, ctx, opts));
  await writeEntry(ctx.dataDir, { ...entry, state: 'undone' });
  return { journalId: entry.id, restored: restored.reverse(), message: `Undone: ${entry.title}. The previous settings are back.` };
}
