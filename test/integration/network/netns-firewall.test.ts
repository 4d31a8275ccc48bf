import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Report } from '../../../electron/contract/report.ts';
import type { ChildProcess } from 'node:child_process';
import { collectNetwork } from '../../../electron/network/service.ts';
import { correlateNetworkWithSmtp } from '../../../electron/engine/correlate/network-smtp.ts';
import { NetworkSection } from '../../../electron/network/schema.ts';
import { SmtpSection } from '../../../electron/smtp/schema.ts';
import { plansFor } from '../../../electron/network/fix-plans.ts';
import { nftHandleFromEcho } from '../../../electron/network/linux/parse-nft.ts';
import { runCommand } from '../../../electron/engine/run-command.ts';
import type { EngineContext } from '../../../electron/core/context.ts';
import { REPO_ROOT, commandExists, createTopology, inNs, namespaceRunner, netAdminAvailable, removeTopology, tsInNs, unprivilegedRunner, waitForLine } from '../../support/network/netns.ts';

// Real kernel, real nft, real SMTP server: a client namespace whose only way to the server is an
// interface named wg0, with nft rules that drop or reject TCP 25 on the way out.

const cap = netAdminAvailable();
const hasIptables = cap.ok && commandExists('iptables');
const SKIP = cap.ok ? '' : ` — SKIPPED: ${cap.reason}`;
const PROBE_TIMEOUT_MS = 1500;

interface ProbeOut {
  plain: { outcome: string; banner: string | null };
  smtp: unknown;
  smtpError: string | null;
}

describe.skipIf(!cap.ok)(`network collector in a real network namespace${SKIP}`, () => {
  let topo: ReturnType<typeof createTopology>;
  let peer: ChildProcess | null = null;
  let ctx: EngineContext;

  async function probe(port: number): Promise<ProbeOut> {
    const child = tsInNs(topo.client, 'probe-in-ns.ts', [topo.serverAddress, String(port), String(PROBE_TIMEOUT_MS)]);
    return JSON.parse(await waitForLine(child, 'RESULT ')) as ProbeOut;
  }

  const setRules = (ruleset: string) => inNs(topo.client, 'nft', ['-f', '-'], `flush ruleset\n${ruleset}`);

  beforeAll(async () => {
    topo = createTopology(`mmnet${process.pid}`);
    peer = tsInNs(topo.server, 'smtp-peer.ts', [topo.serverAddress, '25', '587']);
    await waitForLine(peer, 'READY');
    ctx = { home: '/nonexistent', dataDir: '/nonexistent', platform: 'linux', env: {}, run: namespaceRunner(topo.client) };
  });

  afterAll(() => {
    peer?.kill('SIGKILL');
    if (topo) removeTopology(topo);
  });

  it('no rules: the probe gets the banner, and the route goes through the VPN-like wg0', async () => {
    setRules('');
    const out = await probe(25);
    expect(out.plain.outcome).toBe('ok');
    expect(out.plain.banner).toMatch(/^220 .*mailmedic namespace peer/);
    const { section } = await collectNetwork(ctx, { smtpHost: topo.serverAddress });
    expect(NetworkSection.parse(section)).toBeTruthy();
    expect(section.firewall).toMatchObject({ checked: true });
    expect(section.firewall.details.blockRules).toEqual([]);
    expect(section.route.details).toMatchObject({ target: '10.66.0.1', interface: 'wg0', viaVpn: true, sourceAddress: '10.66.0.2' });
    const kinds = Object.fromEntries(section.vpn.details.interfaces.map((i) => [i.name, i.kind]));
    expect(kinds).toEqual({ wg0: 'wireguard', tun7: 'tun' });
    expect(section.vpn.details.active).toBe(true);
  });

  it('nft drop on TCP 25: the collector names the rule, the probe times out, the correlation names both', async () => {
    setRules(`table inet mmtest {
      chain output {
        type filter hook output priority filter; policy accept;
        tcp dport 25 drop comment "mm-test block smtp"
      }
    }\n`);
    const out = await probe(25);
    expect(out.plain.outcome).toBe('timeout');
    expect(out.smtpError).toBeNull();
    const smtp = SmtpSection.parse(out.smtp);
    expect(smtp.ports[0]).toMatchObject({ port: 25, outcome: 'timeout' });

    const { section, findings } = await collectNetwork(ctx, { smtpHost: topo.serverAddress });
    expect(section.firewall.details.blockRules).toEqual([
      expect.objectContaining({ source: 'nftables', name: 'mm-test block smtp', action: 'drop', ports: [25] }),
    ]);
    expect(findings.map((f) => f.id)).toContain('network.firewall.blocks.25');

    const joined = correlateNetworkWithSmtp(section, smtp);
    const block = joined.find((f) => f.id === 'network.blocked-by-rule.25');
    expect(block?.title).toBe('An outbound rule "mm-test block smtp" blocks TCP 25, and the probe timed out on 25');
    expect(block?.fixes.map((f) => f.id)).toEqual(['network.allow-out.nft.25']);
    const vpn = joined.find((f) => f.id === 'network.vpn-route.wg0');
    expect(vpn?.title).toBe('Traffic to 10.66.0.1 leaves through the VPN interface wg0; the probe failed on 25');
  });

  it('nft reject on TCP 25: the probe is refused at once, and the correlation says so', async () => {
    setRules(`table ip mmtest {
      chain out {
        type filter hook output priority filter; policy accept;
        ip daddr 10.66.0.1 tcp dport { 25, 2525 } reject with tcp reset
      }
    }\n`);
    const out = await probe(25);
    expect(out.plain.outcome).toBe('refused');
    const smtp = SmtpSection.parse(out.smtp);
    expect(smtp.ports[0].outcome).toBe('refused');
    // 587 is not covered by the rule and still answers.
    expect((await probe(587)).plain.outcome).toBe('ok');

    const { section } = await collectNetwork(ctx, { smtpHost: topo.serverAddress });
    expect(section.firewall.details.blockRules).toEqual([
      expect.objectContaining({ action: 'reject', ports: [25, 2525], addresses: ['10.66.0.1'], location: expect.objectContaining({ family: 'ip', table: 'mmtest', chain: 'out' }) }),
    ]);
    const block = correlateNetworkWithSmtp(section, smtp).find((f) => f.id === 'network.blocked-by-rule.25');
    expect(block?.title).toMatch(/blocks TCP 25, and the probe was refused on 25$/);
    expect(block?.detail).not.toMatch(/something else/);
  });

  it('the nft allow plan, applied and undone inside the namespace, opens and closes exactly port 25', async () => {
    setRules(`table inet mmtest {
      chain output {
        type filter hook output priority filter; policy accept;
        tcp dport 25 drop comment "mm-test block smtp"
      }
    }\n`);
    const { section } = await collectNetwork(ctx, { smtpHost: topo.serverAddress });
    const plan = plansFor(section, { address: topo.serverAddress, failedPorts: [25] }).find((p) => p.id === 'network.allow-out.nft.25');
    expect(plan).toBeDefined();
    if (!plan) return;
    const run = namespaceRunner(topo.client);
    const applied = await run(plan.apply[0].cmd, plan.apply[0].args);
    expect(applied).toMatchObject({ code: 0, error: null });
    const handle = nftHandleFromEcho(applied.stdout);
    expect(handle).not.toBeNull();
    expect((await probe(25)).plain.outcome).toBe('ok');
    // The blocking rule is still there: the fix added, it did not remove.
    const after = await collectNetwork(ctx, { smtpHost: topo.serverAddress });
    expect(after.section.firewall.details.blockRules.map((r) => r.name)).toEqual(['mm-test block smtp']);

    const undo = plan.undo[0];
    const undone = await run(undo.cmd, undo.args.map((a) => (a === plan.capture?.placeholder ? String(handle) : a)));
    expect(undone).toMatchObject({ code: 0, error: null });
    expect((await probe(25)).plain.outcome).toBe('timeout');
  });

  it.skipIf(!hasIptables)(`iptables (nft backend) reject on 587: read from iptables-save with its comment; the iptables allow plan opens it${hasIptables ? '' : ' — SKIPPED: iptables not installed (apt package iptables)'}`, async () => {
    setRules('');
    inNs(topo.client, 'iptables', ['-A', 'OUTPUT', '-p', 'tcp', '--dport', '587', '-m', 'comment', '--comment', 'mm-test no submission', '-j', 'REJECT', '--reject-with', 'tcp-reset']);
    inNs(topo.client, 'iptables', ['-A', 'OUTPUT', '-d', '10.66.0.1', '-p', 'tcp', '-m', 'multiport', '--dports', '25,465', '-j', 'DROP']);
    const out = await probe(587);
    expect(out.plain.outcome).toBe('refused');
    const smtp = SmtpSection.parse(out.smtp);

    const { section } = await collectNetwork(ctx, { smtpHost: topo.serverAddress });
    const ipt = section.firewall.details.blockRules.filter((r) => r.source === 'iptables');
    expect(ipt.map((r) => [r.name, r.action, r.ports, r.addresses])).toEqual([
      ['mm-test no submission', 'reject', [587], []],
      ['OUTPUT: -d 10.66.0.1/32 -p tcp -m multiport --dports 25,465 -j DROP', 'drop', [25, 465], ['10.66.0.1/32']],
    ]);
    const joined = correlateNetworkWithSmtp(section, smtp);
    const block = joined.find((f) => f.id === 'network.blocked-by-rule.587');
    expect(block?.title).toBe('An outbound rule "mm-test no submission" blocks TCP 587, and the probe was refused on 587');
    expect(block?.fixes.map((f) => f.id)).toEqual(['network.allow-out.iptables.587']);

    const plan = plansFor(section, { address: topo.serverAddress, failedPorts: [587] }).find((p) => p.id === 'network.allow-out.iptables.587');
    if (!plan) throw new Error('no iptables plan');
    const run = namespaceRunner(topo.client);
    expect(await run(plan.apply[0].cmd, plan.apply[0].args)).toMatchObject({ code: 0 });
    expect((await probe(587)).plain.outcome).toBe('ok');
    expect(await run(plan.undo[0].cmd, plan.undo[0].args)).toMatchObject({ code: 0 });
    expect((await probe(587)).plain.outcome).toBe('refused');
    inNs(topo.client, 'iptables', ['-F', 'OUTPUT']);
  });

  it('run as an unprivileged user: the firewall is "not checked: needs administrator", never an all clear', async () => {
    setRules(`table inet mmtest {
      chain output {
        type filter hook output priority filter; policy accept;
        tcp dport 25 drop comment "mm-test block smtp"
      }
    }\n`);
    const asNobody = unprivilegedRunner(topo.client);
    const { section, findings } = await collectNetwork({ ...ctx, run: asNobody }, { smtpHost: topo.serverAddress });
    expect(section.firewall.checked).toBe(false);
    expect(section.firewall.details.sources.find((s) => s.command === 'nft -j list ruleset')).toMatchObject({
      status: 'denied',
      reason: expect.stringMatching(/needs administrator \(root\) rights/),
    });
    expect(section.firewall.details.blockRules).toEqual([]);
    expect(findings.find((f) => f.id === 'network.not-checked.firewall')?.detail).toMatch(/not an all clear/);
    // The route needs no privilege and is still read.
    expect(section.route.details).toMatchObject({ interface: 'wg0', viaVpn: true });

    const smtp = SmtpSection.parse((await probe(25)).smtp);
    const joined = correlateNetworkWithSmtp(section, smtp);
    expect(joined.find((f) => f.id === 'network.firewall-unknown.25')?.detail).toMatch(/not ruled out/);
  });

  it('no route at all (the namespace has no default gateway): "no route", not "could not check"', async () => {
    const { section, findings } = await collectNetwork(ctx, {});
    expect(section.route).toMatchObject({ checked: true, reason: null, details: { target: '1.1.1.1', interface: null, viaVpn: false } });
    expect(findings.find((f) => f.id === 'network.route.none')?.title).toBe('No route to 1.1.1.1: this computer has no network path to it');
    expect(findings.map((f) => f.id)).not.toContain('network.not-checked.route');
  });

  it('end to end: `mailmedic scan --json` inside the namespace joins the probe and the nft rule', async () => {
    setRules(`table inet mmtest {
      chain output {
        type filter hook output priority filter; policy accept;
        tcp dport 25 drop comment "mm-test block smtp"
      }
    }\n`);
    const home = mkdtempSync(path.join(os.tmpdir(), 'mm-net-home-'));
    try {
      const r = await runCommand(
        'ip',
        ['netns', 'exec', topo.client, process.execPath, path.join(REPO_ROOT, 'bin/mailmedic.mjs'), 'scan', '--home', home, '--smtp-host', topo.serverAddress, '--ports', '25,587', '--timeout', String(PROBE_TIMEOUT_MS), '--json'],
        { timeoutMs: 60_000 },
      );
      expect(r.error).toBeNull();
      expect(r.code).toBe(1);
      const report = Report.parse(JSON.parse(r.stdout));
      const byId = new Map(report.findings.map((f) => [f.id, f]));
      expect(byId.get('network.blocked-by-rule.25')?.title).toBe('An outbound rule "mm-test block smtp" blocks TCP 25, and the probe timed out on 25');
      expect(byId.get('network.vpn-route.wg0')?.detail).toMatch(/worked on 587/);
      expect(report.network?.firewall.details.blockRules.map((b) => b.name)).toEqual(['mm-test block smtp']);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('commands that are absent in the namespace are "not installed", not failures', async () => {
    const { section } = await collectNetwork(ctx, { smtpHost: topo.serverAddress });
    const ufw = section.firewall.details.sources.find((s) => s.command === 'ufw status verbose');
    const installed = (await runCommand('ufw', ['version'])).error !== 'not-found';
    expect(ufw?.status).toBe(installed ? 'ok' : 'not-found');
  });
});
