import fs from 'node:fs/promises';
import path from 'node:path';
import type { EngineContext } from '../../core/context.ts';
import { listProcesses, type ProcInfo } from '../processes.ts';

export const THUNDERBIRD_PROCESS_NAMES = ['thunderbird', 'thunderbird-bin', 'thunderbird-esr'];

export interface RunningState {
  running: boolean | 'unknown';
  evidence: { lockFiles: string[]; lockPid: number | null; processes: ProcInfo[]; processListRead: boolean };
}

/** Pure: the `lock` symlink target `IP:+PID` → PID. */
export function parseLockTarget(target: string): number | null {
  const m = /:\+(\d+)$/.exec(target);
  return m ? Number(m[1]) : null;
}

/**
 * Is Thunderbird using this profile? Lock files can outlive a crash, so a lock only counts
 * when the process list confirms it: the `lock` symlink's pid is a live Thunderbird, or (parent.lock/.parentlock,
 * which carry no pid) any Thunderbird process runs.
 */
export async function thunderbirdRunning(profileDir: string, ctx: EngineContext): Promise<RunningState> {
  const lockFiles: string[] = [];
  let lockPid: number | null = null;
  for (const f of ['lock', '.parentlock', 'parent.lock']) {
    const p = path.join(profileDir, f);
    try {
      const st = await fs.lstat(p);
      lockFiles.push(f);
      if (st.isSymbolicLink()) lockPid = parseLockTarget(await fs.readlink(p));
    } catch {
      /* absent */
    }
  }
  const procs = await listProcesses(ctx);
  const tb = (procs ?? []).filter((p) => THUNDERBIRD_PROCESS_NAMES.includes(p.name));
  const evidence = { lockFiles, lockPid, processes: tb, processListRead: procs !== null };
  if (lockFiles.length === 0) return { running: false, evidence };
  if (procs === null) return { running: 'unknown', evidence };
  // `lock` (a symlink with a pid) is removed on a clean exit; when present, its pid decides.
  if (lockFiles.includes('lock') && lockPid !== null) return { running: tb.some((p) => p.pid === lockPid), evidence };
  // .parentlock stays after a normal exit on Linux; only a live Thunderbird process makes it meaningful.
  return { running: tb.length > 0, evidence };
}
