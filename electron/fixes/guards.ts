import type { EngineContext } from '../engine/context.ts';
import { thunderbirdRunning } from '../clients/thunderbird/running.ts';
import { listProcesses } from '../clients/processes.ts';
import type { Guard } from './types.ts';

/** Checks every guard; returns the reasons to refuse (empty: safe to write). */
export async function checkGuards(guards: Guard[], ctx: EngineContext): Promise<string[]> {
  const reasons: string[] = [];
  for (const g of guards) {
    if (g.kind === 'admin') {
      const isAdmin = ctx.platform === 'win32' ? await windowsIsAdmin(ctx) : process.getuid?.() === 0;
      if (!isAdmin) reasons.push(`This fix needs administrator rights (${g.why}). Run MailMedic as administrator (on Linux: with sudo) and apply it again.`);
    } else if (g.kind === 'thunderbird-closed') {
      const st = await thunderbirdRunning(g.profileDir, ctx);
      if (st.running === true) {
        const pid = st.evidence.lockPid ?? st.evidence.processes[0]?.pid;
        reasons.push(
          `Thunderbird is running${pid ? ` (process ${pid})` : ''} with this profile and would overwrite the change when it exits. ` +
            'Close it first: menu ☰ › Quit (Ctrl+Q; on macOS Thunderbird › Quit, Cmd+Q), wait until its window is gone, then run the fix again.',
        );
      } else if (st.running === 'unknown') {
        reasons.push(
          `Thunderbird's profile is locked (${st.evidence.lockFiles.join(', ')}) and the process list could not be read to confirm it is closed. ` +
            'Close Thunderbird (Ctrl+Q) and run the fix again.',
        );
      }
    } else {
      const procs = await listProcesses(ctx);
      if (procs === null) {
        reasons.push(`Could not read the process list to confirm ${g.client} is closed. ${g.howToClose}`);
        continue;
      }
      const hit = procs.find((p) => g.names.includes(p.name));
      if (hit) reasons.push(`${g.client} is running (process ${hit.pid}). ${g.howToClose}`);
    }
  }
  return reasons;
}

/** `net session` succeeds only in an elevated prompt: the usual cheap admin test on Windows. */
async function windowsIsAdmin(ctx: EngineContext): Promise<boolean> {
  const r = await ctx.run('net', ['session'], { timeoutMs: 10_000 });
  return r.code === 0;
}
