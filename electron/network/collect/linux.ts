import { existsSync } from 'node:fs';
import type { EngineContext } from '../../core/context.ts';
import { parseSystemctlShow } from '../linux/parse-systemctl.ts';
import { attempt, cLocale, isNoRoute, reasonsOf, type Attempt } from './attempt.ts';
import type { CollectedSection, CollectOptions } from './types.ts';
import type { FirewallFacts } from '../firewall-result.ts';
import type { AntivirusProduct, SourceCheck } from '../schema.ts';
import { parseNftRuleset } from '../linux/parse-nft.ts';
import { parseIptablesSave } from '../linux/parse-iptables.ts';
import { parseUfwStatus } from '../linux/parse-ufw.ts';
import { parseFirewalldDirect, parseFirewalldState } from '../linux/parse-firewalld.ts';
import { parseIpAddr, parseIpRouteGet } from '../linux/parse-ip.ts';
import { parseNmcliActive } from '../linux/parse-nmcli.ts';
import { proxyFromEnv } from '../proxy-env.ts';
import { parseGnomeProxy } from '../linux/parse-gsettings.ts';

/** EDR/AV agents that install here; rarely the cause on Linux, but worth naming. */
const AV_DIRS: ReadonlyArray<[string, string]> = [
  ['/opt/sophos-spl', 'Sophos Protection for Linux'],
  ['/opt/CrowdStrike', 'CrowdStrike Falcon'],
  ['/opt/eset', 'ESET Endpoint Antivirus'],
];

async function firewall(ctx: EngineContext): Promise<CollectedSection['firewall']> {
  const [nft, ipt, ufw, fwdState] = await Promise.all([
    attempt(ctx, { cmd: 'nft', args: ['-j', 'list', 'ruleset'] }, parseNftRuleset),
    attempt(ctx, { cmd: 'iptables-save', args: [] }, parseIptablesSave),
    attempt(ctx, cLocale('ufw', ['status', 'verbose']), parseUfwStatus),
    attempt(ctx, cLocale('firewall-cmd', ['--state'], { okCodes: [252] }), parseFirewalldState),
  ]);
  let fwd: Attempt<FirewallFacts> | null = null;
  if (fwdState.value === true) {
    fwd = await attempt(ctx, cLocale('firewall-cmd', ['--direct', '--get-all-rules']), (s) => parseFirewalldDirect(s, true));
  } else if (fwdState.value === false) {
    fwd = { check: fwdState.check, value: { components: [{ source: 'firewalld', name: 'firewalld', enabled: false, defaultOutbound: null }], blockRules: [] } };
  }
  const facts = [nft.value, ipt.value, ufw.value, fwd?.value].filter((f): f is FirewallFacts => f != null);
  const sources = [nft.check, ipt.check, ufw.check, fwdState.check, ...(fwd && fwd.check !== fwdState.check ? [fwd.check] : [])];
  // Only nft and iptables-save read the kernel's ruleset; ufw and firewalld are front-ends to it.
  const kernelSeen = nft.check.status === 'ok' || ipt.check.status === 'ok';
  const reason = kernelSeen
    ? reasonsOf(sources)
    : `could not read the kernel firewall rules: ${reasonsOf([nft.check, ipt.check], ['denied', 'failed', 'unparsable', 'timeout', 'not-found']) ?? 'no tool answered'}`;
  return {
    checked: kernelSeen,
    reason,
    details: { components: facts.flatMap((f) => f.components), blockRules: facts.flatMap((f) => f.blockRules), sources },
  };
}

async function vpn(ctx: EngineContext): Promise<CollectedSection['vpn']> {
  const [links, nm] = await Promise.all([
    attempt(ctx, { cmd: 'ip', args: ['-d', '-j', 'addr', 'show'] }, parseIpAddr),
    attempt(ctx, cLocale('nmcli', ['-t', '-f', 'NAME,UUID,TYPE,DEVICE', 'connection', 'show', '--active']), parseNmcliActive),
  ]);
  const interfaces = links.value ?? [];
  const connections = nm.value ?? [];
  const checked = links.check.status === 'ok';
  return {
    checked,
    reason: checked ? reasonsOf([nm.check]) : reasonsOf([links.check], ['denied', 'failed', 'unparsable', 'timeout', 'not-found']),
    details: {
      active: checked || nm.check.status === 'ok' ? interfaces.some((i) => i.up) || connections.some((c) => c.connected) : null,
      interfaces,
      connections,
      sources: [links.check, nm.check],
    },
  };
}

async function route(ctx: EngineContext, o: CollectOptions, vpnNames: Set<string>): Promise<CollectedSection['route']> {
  const r = await attempt(ctx, { cmd: 'ip', args: ['-j', 'route', 'get', o.target] }, parseIpRouteGet);
  const v = r.value;
  // "Network is unreachable" is an answer, not a failure: there is no path to the server at all.
  const noRoute = isNoRoute(r.check);
  return {
    checked: v !== null || noRoute,
    reason: v || noRoute ? null : r.check.reason,
    details: {
      target: o.target,
      host: o.host,
      interface: v?.interface ?? null,
      gateway: v?.gateway ?? null,
      sourceAddress: v?.sourceAddress ?? null,
      table: v?.table ?? null,
      viaVpn: v ? v.interface !== null && vpnNames.has(v.interface) : noRoute ? false : null,
      sources: [r.check],
    },
  };
}

async function antivirus(ctx: EngineContext): Promise<Pick<CollectedSection, 'antivirus' | 'antivirusCheck'>> {
  const clam = await attempt(ctx, { cmd: 'systemctl', args: ['show', '-p', 'LoadState,ActiveState', 'clamav-daemon'] }, parseSystemctlShow);
  const found: AntivirusProduct[] = [];
  if (clam.value && clam.value.LoadState === 'loaded') {
    const on = clam.value.ActiveState === 'active';
    found.push({ name: 'ClamAV daemon', state: on ? 'on' : 'off', upToDate: null, microsoft: false, productState: null, source: 'systemctl' });
  }
  for (const [dir, name] of AV_DIRS) {
    if (existsSync(dir)) found.push({ name, state: 'unknown', upToDate: null, microsoft: false, productState: null, source: dir });
  }
  const sources: SourceCheck[] = [clam.check];
  const checked = clam.check.status === 'ok';
  return { antivirus: found, antivirusCheck: { checked, reason: checked ? null : clam.check.reason, sources } };
}

export async function collectLinux(ctx: EngineContext, o: CollectOptions): Promise<CollectedSection> {
  const [fw, vp, av] = await Promise.all([firewall(ctx), vpn(ctx), antivirus(ctx)]);
  const vpnNames = new Set([
    ...vp.details.interfaces.map((i) => i.name),
    ...vp.details.connections.map((c) => c.device).filter((d): d is string => d !== null),
  ]);
  const [rt, gnome] = await Promise.all([
    route(ctx, o, vpnNames),
    attempt(ctx, { cmd: 'gsettings', args: ['list-recursively', 'org.gnome.system.proxy'] }, parseGnomeProxy),
  ]);
  // No GNOME schema = no GNOME desktop: nothing to read, not a failure.
  if (gnome.check.status === 'failed' && /no such schema/i.test(gnome.check.reason ?? '')) {
    gnome.check = { ...gnome.check, status: 'not-found', reason: 'GNOME proxy settings are not installed' };
  }
  const env = proxyFromEnv(ctx.env);
  const envCheck = { command: 'environment (http_proxy, https_proxy, all_proxy, no_proxy)', status: 'ok' as const, reason: null };
  return {
    firewall: fw,
    vpn: vp,
    ...av,
    // The environment is always readable; GNOME's setting is there only on a GNOME desktop.
    proxy: {
      checked: true,
      reason: reasonsOf([gnome.check]),
      details: {
        settings: [...env.settings, ...(gnome.value?.settings ?? [])],
        bypass: [...env.bypass, ...(gnome.value?.bypass ?? [])],
        sources: [envCheck, gnome.check],
      },
    },
    route: rt,
  };
}
