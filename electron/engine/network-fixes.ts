import type { EngineContext } from '../core/context.ts';
import type { FixPlan, PlanCommand } from '../network/service.ts';
import type { Fix } from '../core/fix.ts';

/**
 * The network domain describes its fixes as command plans (a narrow firewall allow rule); this turns each one
 * into a Fix run by the same mechanism: preview, admin check, journal, undo from the captured rule handle.
 * Guided plans (VPN, antivirus) are steps for the user, not fixes to apply.
 */
export function fixFromPlan(plan: FixPlan, resolveUndo: (p: FixPlan, stdout: string[]) => PlanCommand[] | null): Fix | null {
  if (plan.kind !== 'commands' || plan.apply.length === 0) return null;
  const checks = plan.preconditions.length ? `\nBefore applying, make sure: ${plan.preconditions.join('; ')}.` : '';
  return {
    id: plan.id,
    title: plan.title,
    area: 'network',
    accounts: [],
    action: plan.id,
    guards: plan.needsAdmin ? [{ kind: 'admin', why: 'it changes the firewall' }] : [],
    plan: async () => [
      { kind: 'command', description: plan.preview + checks, apply: plan.apply, undoPreview: plan.undo, undoFor: (out) => resolveUndo(plan, out) },
    ],
  };
}

/** The network fixes for this machine now; none when the network checks cannot run (never fails the list). */
export async function networkFixes(ctx: EngineContext): Promise<Fix[]> {
  try {
    const { networkFixPlans, resolveUndo } = await import('../network/service.ts');
    const plans = await networkFixPlans(ctx);
    return plans.filter((p) => p.platform === ctx.platform).flatMap((p) => fixFromPlan(p, resolveUndo) ?? []);
  } catch {
    return [];
  }
}
