import { isIP } from 'node:net';
import type { EngineContext } from '../../core/context.ts';
import type { Parsed } from '../parsed.ts';
import { attempt, reasonsOf, type Attempt } from './attempt.ts';
import type { CollectedSection, CollectOptions } from './types.ts';
import { PS, powershellArgs, withoutEndMarker } from '../windows/scripts.ts';
import { parseFirewallProfiles, parseOutboundBlockRules } from '../windows/parse-firewall.ts';
import { parseFindNetRoute, parseNetAdapters, parseVpnConnections } from '../windows/parse-adapters.ts';
import { parseAntivirusProducts, parseFirewallProducts } from '../windows/parse-antivirus.ts';
import { parseInternetSettings, parseWinHttpSettings } from '../windows/parse-proxy.ts';

const ALL_FAILURES = ['denied', 'failed', 'unparsable', 'timeout', 'not-found'] as const;

function ps<T>(ctx: EngineContext, label: string, script: string, parse: (s: string) => Parsed<T>): Promise<Attempt<T>> {
  return attempt(
    ctx,
    { cmd: 'powershell.exe', args: powershellArgs(script), display: `powershell ${label}`, tool: 'PowerShell', timeoutMs: 30_000, answer: withoutEndMarker },
    parse,
  );
}

export async function collectWindows(ctx: EngineContext, o: CollectOptions): Promise<CollectedSection> {
  const target = isIP(o.target) ? o.target : '1.1.1.1';
  const [profiles, rules, adapters, vpnConns, av, winhttp, wininet, rt, fwProducts] = await Promise.all([
    ps(ctx, 'Get-NetFirewallProfile', PS.profiles, parseFirewallProfiles),
    ps(ctx, 'Get-NetFirewallRule (outbound block)', PS.blockRules, parseOutboundBlockRules),
    ps(ctx, 'Get-NetAdapter', PS.adapters, parseNetAdapters),
    ps(ctx, 'Get-VpnConnection', PS.vpnConnections, parseVpnConnections),
    ps(ctx, 'SecurityCenter2 AntiVirusProduct', PS.antivirus, parseAntivirusProducts),
    ps(ctx, 'WinHttpSettings', PS.winhttp, parseWinHttpSettings),
    ps(ctx, 'Internet Settings', PS.wininet, parseInternetSettings),
    ps(ctx, `Find-NetRoute ${target}`, PS.route(target), parseFindNetRoute),
    ps(ctx, 'SecurityCenter2 FirewallProduct', PS.firewallProducts, parseFirewallProducts),
  ]);
  const fwSources = [profiles.check, rules.check, fwProducts.check];
  const fwChecked = profiles.value !== null && rules.value !== null;
  const interfaces = adapters.value ?? [];
  const connections = (vpnConns.value ?? []).map((c) => ({ ...c, device: c.connected ? c.name : null }));
  const vpnChecked = adapters.value !== null;
  const routeIface = rt.value?.interface ?? null;
  const vpnNames = new Set([...interfaces.map((i) => i.name), ...connections.filter((c) => c.connected).map((c) => c.name)]);
  const proxyChecked = winhttp.value !== null && wininet.value !== null;
  return {
    firewall: {
      checked: fwChecked,
      reason: reasonsOf(fwSources, [...ALL_FAILURES]),
      details: { components: [...(profiles.value ?? []), ...(fwProducts.value ?? [])], blockRules: rules.value ?? [], sources: fwSources },
    },
    vpn: {
      checked: vpnChecked,
      reason: reasonsOf([adapters.check, vpnConns.check], [...ALL_FAILURES]),
      details: {
        active: vpnChecked ? interfaces.some((i) => i.up) || connections.some((c) => c.connected) : null,
        interfaces,
        connections,
        sources: [adapters.check, vpnConns.check],
      },
    },
    antivirus: av.value ?? [],
    antivirusCheck: {
      checked: av.value !== null,
      reason: av.value !== null ? null : `${av.check.reason ?? 'no answer'} (Windows Security Center exists on client Windows only, not on Windows Server)`,
      sources: [av.check],
    },
    proxy: {
      checked: proxyChecked,
      reason: reasonsOf([winhttp.check, wininet.check], [...ALL_FAILURES]),
      details: {
        settings: [...(winhttp.value?.settings ?? []), ...(wininet.value?.settings ?? [])],
        bypass: [...(winhttp.value?.bypass ?? []), ...(wininet.value?.bypass ?? [])],
        sources: [winhttp.check, wininet.check],
      },
    },
    route: {
      checked: rt.value !== null,
      reason: rt.check.reason,
      details: {
        target,
        host: o.host,
        interface: routeIface,
        gateway: rt.value?.gateway ?? null,
        sourceAddress: rt.value?.sourceAddress ?? null,
        table: null,
        viaVpn: rt.value ? routeIface !== null && vpnNames.has(routeIface) : null,
        sources: [rt.check],
      },
    },
  };
}
