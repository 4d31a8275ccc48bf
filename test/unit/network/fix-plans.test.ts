import { describe, expect, it } from 'vitest';
import {
  antivirusShieldGuide,
  iptablesAllowPlan,
  nftAllowPlan,
  plansFor,
  resolveUndo,
  ufwAllowPlan,
  vpnSplitTunnelGuide,
  windowsAllowPlan,
} from '../../../electron/network/fix-plans.ts';
import type { BlockRule } from '../../../electron/network/schema.ts';
import { emptyNetwork } from '../../support/network/sections.ts';

const nftRule: BlockRule = {
  source: 'nftables',
  name: 'block outbound smtp',
  action: 'drop',
  ports: [25],
  addresses: [],
  location: { family: 'inet', table: 'filter', chain: 'output', handle: 6 },
  text: '',
};

const everyCommand = (p: { apply: { cmd: string; args: string[] }[]; undo: { cmd: string; args: string[] }[] }) => [...p.apply, ...p.undo].map((c) => [c.cmd, ...c.args].join(' '));

describe('fix plans', () => {
  it('nft: accept inserted right before the blocking rule, scoped to the server; undo deletes that handle', () => {
    const p = nftAllowPlan(nftRule, 25, '192.0.2.25');
    expect(p?.apply).toEqual([
      {
        cmd: 'nft',
        args: ['--echo', '--handle', 'insert', 'rule', 'inet', 'filter', 'output', 'position', '6', 'ip', 'daddr', '192.0.2.25', 'tcp', 'dport', '25', 'accept', 'comment', '"mailmedic allow SMTP 25"'],
      },
    ]);
    expect(p?.undo).toEqual([{ cmd: 'nft', args: ['delete', 'rule', 'inet', 'filter', 'output', 'handle', '{handle}'] }]);
    expect(p?.capture).toEqual({ applyIndex: 0, what: 'nft-handle', placeholder: '{handle}' });
    expect(p?.preview).toMatch(/just before the rule "block outbound smtp"/);
  });

  it('nft: an IPv6 server in an ip (v4-only) table is not scoped by address', () => {
    const p = nftAllowPlan({ ...nftRule, location: { family: 'ip', table: 't', chain: 'o', handle: null } }, 25, '2001:db8::25');
    expect(p?.apply[0].args).toEqual(['--echo', '--handle', 'insert', 'rule', 'ip', 't', 'o', 'tcp', 'dport', '25', 'accept', 'comment', '"mailmedic allow SMTP 25"']);
  });

  it('ufw and iptables: apply and undo are the same rule spec', () => {
    const u = ufwAllowPlan(587, '192.0.2.25');
    expect(u.apply[0].args).toEqual(['insert', '1', 'allow', 'out', 'proto', 'tcp', 'to', '192.0.2.25', 'port', '587', 'comment', 'mailmedic allow SMTP 587']);
    expect(u.undo[0].args).toEqual(['delete', 'allow', 'out', 'proto', 'tcp', 'to', '192.0.2.25', 'port', '587']);
    const i = iptablesAllowPlan(25, null);
    expect(i.apply[0].args.slice(0, 3)).toEqual(['-I', 'OUTPUT', '1']);
    expect(i.apply[0].args.slice(3)).toEqual(i.undo[0].args.slice(2));
  });

  it('Windows: an Allow rule for the program and port, removed by its name; quotes are escaped', () => {
    const w = windowsAllowPlan(587, '203.0.113.9', "C:\\Program Files\\Mail's\\OUTLOOK.EXE");
    const script = w.apply[0].args.at(-1) ?? '';
    expect(script).toContain("-Name 'MailMedic-Allow-SMTP-587'");
    expect(script).toContain('-Direction Outbound -Action Allow -Protocol TCP -RemotePort 587');
    expect(script).toContain("-Program 'C:\\Program Files\\Mail''s\\OUTLOOK.EXE'");
    expect(w.undo[0].args.at(-1)).toBe("Remove-NetFirewallRule -Name 'MailMedic-Allow-SMTP-587'");
  });

  it('never disables a firewall or an antivirus', () => {
    const plans = [
      nftAllowPlan(nftRule, 25, null),
      ufwAllowPlan(25, null),
      iptablesAllowPlan(25, null),
      windowsAllowPlan(25, null, null),
      vpnSplitTunnelGuide('wireguard', 'wg0', 'smtp.example.com', 'linux'),
      antivirusShieldGuide('Avast Antivirus', 587, 'win32'),
    ];
    for (const p of plans) {
      const text = [...everyCommand(p ?? { apply: [], undo: [] }), ...(p?.steps ?? [])].join('\n');
      expect(text).not.toMatch(/ufw disable|systemctl (stop|disable)|Set-NetFirewallProfile|-Enabled False|flush ruleset|Set-MpPreference|netsh advfirewall set/i);
    }
  });

  it('guided plans give exact setting names and run nothing', () => {
    const av = antivirusShieldGuide('Avast Antivirus', 587, 'win32');
    expect(av).toMatchObject({ kind: 'guided', apply: [], undo: [] });
    expect(av.steps.join(' ')).toContain('Scan outbound emails (SMTP)');
    expect(vpnSplitTunnelGuide('openvpn', 'tun0', null, 'linux').steps[0]).toContain('net_gateway');
    expect(antivirusShieldGuide('Some Unknown AV', 465, 'win32').id).toBe('network.guide.av-mail-shield.some-unknown-av');
  });

  it('plansFor prefers ufw over its nft translation and limits itself to failed ports', () => {
    const n = emptyNetwork();
    const rules: BlockRule[] = [nftRule, { ...nftRule, source: 'ufw', location: null }, { ...nftRule, ports: [587], location: { ...nftRule.location!, handle: 7 } }];
    const net = { ...n, firewall: { ...n.firewall, details: { ...n.firewall.details, blockRules: rules } } };
    expect(plansFor(net).map((p) => p.id)).toEqual(['network.allow-out.ufw.25', 'network.allow-out.nft.587']);
    expect(plansFor(net, { failedPorts: [587] }).map((p) => p.id)).toEqual(['network.allow-out.nft.587']);
  });

  it('resolveUndo fills the nft handle from the apply output, and refuses without one', () => {
    const p = nftAllowPlan(nftRule, 25, null);
    if (!p) throw new Error('no plan');
    expect(resolveUndo(p, ['insert rule inet filter output position 6 tcp dport 25 accept comment "mailmedic allow SMTP 25" # handle 17\n'])).toEqual([
      { cmd: 'nft', args: ['delete', 'rule', 'inet', 'filter', 'output', 'handle', '17'] },
    ]);
    expect(resolveUndo(p, [''])).toBeNull();
    const u = ufwAllowPlan(25, null);
    expect(resolveUndo(u, [])).toEqual(u.undo);
  });
});
