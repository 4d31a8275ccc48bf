import type { Finding } from '../core/finding.ts';
import { finding } from '../core/finding.ts';
import type { EngineContext } from '../core/context.ts';
import type { NetworkSection, SourceCheck } from './schema.ts';
import { collectLinux } from './collect/linux.ts';
import { collectMacos } from './collect/macos.ts';
import { collectWindows } from './collect/windows.ts';
import { DEFAULT_ROUTE_TARGET, type CollectedSection, type CollectOptions } from './collect/types.ts';
import { sectionFindings } from './findings.ts';
import { systemResolver, toAddress, type Resolver } from '../core/resolve.ts';
import { plansFor, type FixPlan } from './fix-plans.ts';

export type { FixPlan, PlanCommand } from './fix-plans.ts';
export { resolveUndo } from './fix-plans.ts';

/** Every part unchecked, for a platform MailMedic has no collector for. */
function unsupported(platform: string, o: CollectOptions): CollectedSection {
  const reason = `no network checks for platform "${platform}"`;
  const sources: SourceCheck[] = [];
  const state = { checked: false, reason };
  return {
    firewall: { ...state, details: { components: [], blockRules: [], sources } },
    vpn: { ...state, details: { active: null, interfaces: [], connections: [], sources } },
    antivirus: [],
    antivirusCheck: { ...state, sources },
    proxy: { ...state, details: { settings: [], bypass: [], sources } },
    route: { ...state, details: { target: o.target, host: o.host, interface: null, gateway: null, sourceAddress: null, table: null, viaVpn: null, sources } },
  };
}

/** Collect firewall/VPN/antivirus/proxy/route state for ctx.platform (read-only). */
export async function collectNetwork(
  ctx: EngineContext,
  opts: { smtpHost?: string; resolve?: Resolver } = {},
): Promise<{ section: NetworkSection; findings: Finding[] }> {
  const host = opts.smtpHost ?? null;
  const extra: Finding[] = [];
  let target = DEFAULT_ROUTE_TARGET;
  if (host) {
    const address = await toAddress(host, opts.resolve ?? systemResolver);
    if (address) target = address;
    else {
      extra.push(
        finding({
          id: 'network.route.host-unresolved',
          area: 'network',
          severity: 'info',
          title: `Could not resolve ${host}; the route shown is the default route`,
          detail: 'Which interface mail to this server takes could not be asked without its address.',
          evidence: { host },
        }),
      );
    }
  }
  const o: CollectOptions = { target, host };
  const collected =
    ctx.platform === 'linux'
      ? await collectLinux(ctx, o)
      : ctx.platform === 'darwin'
        ? await collectMacos(ctx, o)
        : ctx.platform === 'win32'
          ? await collectWindows(ctx, o)
          : unsupported(ctx.platform, o);
  const section: NetworkSection = { platform: ctx.platform, ...collected };
  return { section, findings: [...sectionFindings(section), ...extra] };
}

/**
 * The network fix plans for the current state (for the fix mechanism: `mailmedic fix --list`).
 * `failedPorts` narrows them to the ports the SMTP probe could not reach.
 */
export async function networkFixPlans(
  ctx: EngineContext,
  opts: { smtpHost?: string; address?: string | null; failedPorts?: number[]; program?: string | null; resolve?: Resolver } = {},
): Promise<FixPlan[]> {
  const resolve = opts.resolve ?? systemResolver;
  const { section } = await collectNetwork(ctx, { smtpHost: opts.smtpHost, resolve });
  const address = opts.address ?? (opts.smtpHost ? await toAddress(opts.smtpHost, resolve) : null);
  return plansFor(section, { address, failedPorts: opts.failedPorts, program: opts.program });
}
