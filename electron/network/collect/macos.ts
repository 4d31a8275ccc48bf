import { isIP } from 'node:net';
import type { EngineContext } from '../../core/context.ts';
import { attempt, isNoRoute, reasonsOf, type Attempt } from './attempt.ts';
import type { CollectedSection, CollectOptions } from './types.ts';
import type { BlockRule, FirewallComponent } from '../schema.ts';
import { parsePfInfo, parsePfRules, parseSocketFilterState } from '../macos/parse-firewall.ts';
import { parseSystemExtensions } from '../macos/parse-extensions.ts';
import { parseIfconfig, parseRouteGet, parseScutilNcList } from '../macos/parse-vpn.ts';
import { parseScutilProxy } from '../macos/parse-proxy.ts';
import { proxyFromEnv } from '../proxy-env.ts';

const SOCKETFILTERFW = '/usr/libexec/ApplicationFirewall/socketfilterfw';
const ALL_FAILURES = ['denied', 'failed', 'unparsable', 'timeout', 'not-found'] as const;

export async function collectMacos(ctx: EngineContext, o: CollectOptions): Promise<CollectedSection> {
  const [appFw, pfInfo, ext, nc, ifc, rt, px] = await Promise.all([
    attempt(ctx, { cmd: SOCKETFILTERFW, args: ['--getglobalstate'], tool: 'socketfilterfw' }, parseSocketFilterState),
    attempt(ctx, { cmd: 'pfctl', args: ['-s', 'info'] }, parsePfInfo),
    attempt(ctx, { cmd: 'systemextensionsctl', args: ['list'] }, parseSystemExtensions),
    attempt(ctx, { cmd: 'scutil', args: ['--nc', 'list'] }, parseScutilNcList),
    attempt(ctx, { cmd: 'ifconfig', args: [] }, parseIfconfig),
    attempt(ctx, { cmd: 'route', args: ['-n', 'get', ...(isIP(o.target) === 6 ? ['-inet6'] : []), o.target] }, parseRouteGet),
    attempt(ctx, { cmd: 'scutil', args: ['--proxy'] }, parseScutilProxy),
  ]);
  // pf rules only matter (and are only readable) when pf is on and we are root.
  let pfRules: Attempt<BlockRule[]> | null = null;
  if (pfInfo.value?.enabled) pfRules = await attempt(ctx, { cmd: 'pfctl', args: ['-s', 'rules'] }, parsePfRules);

  const components: FirewallComponent[] = [appFw.value, pfInfo.value, ...(ext.value?.firewalls ?? [])].filter((c): c is FirewallComponent => c != null);
  const fwSources = [appFw.check, pfInfo.check, ...(pfRules ? [pfRules.check] : []), ext.check];
  // The application firewall is inbound-only: outbound SMTP can only be blocked by pf or a network extension.
  const outboundSeen = (pfInfo.value !== null && (pfInfo.value.enabled === false || pfRules?.value != null)) && ext.check.status === 'ok';
  const interfaces = ifc.value ?? [];
  const connections = nc.value ?? [];
  const routeIface = rt.value?.interface ?? null;
  const connectedAny = connections.some((c) => c.connected);
  // utun exists without any VPN (iCloud Private Relay); a route through it plus a connected profile is the proof.
  const viaVpn = routeIface === null ? (isNoRoute(rt.check) ? false : null) : /^(utun|ppp|ipsec)\d+$/.test(routeIface) && (connectedAny || !/^utun/.test(routeIface));
  const env = proxyFromEnv(ctx.env);
  return {
    firewall: {
      checked: outboundSeen,
      reason: outboundSeen ? reasonsOf(fwSources) : `outbound rules could not be read: ${reasonsOf(fwSources, [...ALL_FAILURES]) ?? 'pf state unknown'}`,
      details: { components, blockRules: pfRules?.value ?? [], sources: fwSources },
    },
    vpn: {
      checked: nc.check.status === 'ok',
      reason: reasonsOf([nc.check, ifc.check], [...ALL_FAILURES]),
      details: {
        active: nc.check.status === 'ok' ? connectedAny || viaVpn === true : null,
        interfaces,
        connections,
        sources: [nc.check, ifc.check],
      },
    },
    antivirus: ext.value?.antivirus ?? [],
    antivirusCheck: { checked: ext.check.status === 'ok', reason: ext.check.reason, sources: [ext.check] },
    proxy: {
      checked: px.check.status === 'ok',
      reason: px.check.reason,
      details: { settings: [...(px.value?.settings ?? []), ...env.settings], bypass: [...(px.value?.bypass ?? []), ...env.bypass], sources: [px.check] },
    },
    route: {
      checked: rt.value !== null || isNoRoute(rt.check),
      reason: rt.value !== null || isNoRoute(rt.check) ? null : rt.check.reason,
      details: {
        target: o.target,
        host: o.host,
        interface: routeIface,
        gateway: rt.value?.gateway ?? null,
        sourceAddress: null,
        table: null,
        viaVpn,
        sources: [rt.check],
      },
    },
  };
}
