import type { EngineContext } from '../core/context.ts';
import type { ClientGuard, Guard } from '../core/fix.ts';

/** Checks whether a mail client is closed; the clients domain provides it, the fix catalog passes it in. */
export type ClientGuardCheck = (g: ClientGuard, ctx: EngineContext) => Promise<string[]>;

/**
 * Checks every guard; returns the reasons to refuse (empty: safe to write). Without a client check a client guard
 * refuses: a fix never writes a client's file unless something confirmed the client is closed.
 */
export async function checkGuards(guards: Guard[], ctx: EngineContext, clientCheck?: ClientGuardCheck): Promise<string[]> {
  const reasons: string[] = [];
  for (const g of guards) {
    if (g.kind === 'admin') {
      const isAdmin = ctx.platform === 'win32' ? await windowsIsAdmin(ctx) : process.getuid?.() === 0;
      if (!isAdmin) reasons.push(`This fix needs administrator rights (${g.why}). Run MailMedic as administrator (on Linux: with sudo) and apply it again.`);
    } else if (clientCheck) {
      reasons.push(...(await clientCheck(g, ctx)));
    } else {
      reasons.push(`Could not confirm that ${g.kind === 'thunderbird-closed' ? 'Thunderbird' : g.client} is closed.`);
    }
  }
  return reasons;
}

/** `net session` succeeds only in an elevated prompt: the usual cheap admin test on Windows. */
async function windowsIsAdmin(ctx: EngineContext): Promise<boolean> {
  const r = await ctx.run('net', ['session'], { timeoutMs: 10_000 });
  return r.code === 0;
}
