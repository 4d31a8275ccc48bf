import type { EngineContext } from '../core/context.ts';
import type { ClientGuard } from '../core/fix.ts';
import { thunderbirdRunning } from './thunderbird/running.ts';
import { listProcesses } from './processes.ts';

/** Why a client guard refuses now (empty: the client is closed and the file is safe to write). */
export async function clientGuardReasons(g: ClientGuard, ctx: EngineContext): Promise<string[]> {
  if (g.kind === 'thunderbird-closed') {
    const st = await thunderbirdRunning(g.profileDir, ctx);
    if (st.running === true) {
      const pid = st.evidence.lockPid ?? st.evidence.processes[0]?.pid;
      return [
        `Thunderbird is running${pid ? ` (process ${pid})` : ''} with this profile and would overwrite the change when it exits. ` +
          'Close it first: menu ☰ › Quit (Ctrl+Q; on macOS Thunderbird › Quit, Cmd+Q), wait until its window is gone, then run the fix again.',
      ];
    }
    if (st.running === 'unknown') {
      return [
        `Thunderbird's profile is locked (${st.evidence.lockFiles.join(', ')}) and the process list could not be read to confirm it is closed. ` +
          'Close Thunderbird (Ctrl+Q) and run the fix again.',
      ];
    }
    return [];
  }
  const procs = await listProcesses(ctx);
  if (procs === null) return [`Could not read the process list to confirm ${g.client} is closed. ${g.howToClose}`];
  const hit = procs.find((p) => g.names.includes(p.name));
  return hit ? [`${g.client} is running (process ${hit.pid}). ${g.howToClose}`] : [];
}
