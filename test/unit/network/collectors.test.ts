import { describe, expect, it } from 'vitest';
import { collectNetwork, networkFixPlans } from '../../../electron/network/service.ts';
import { NetworkSection } from '../../../electron/network/schema.ts';
import { contextWith, exited, fixture, notFound, okResult, recordedRunner } from '../../support/network/fixtures.ts';
import { PS_END } from '../../../electron/network/windows/scripts.ts';

const noDns = async () => [];

describe('Linux collector over recorded outputs', () => {
  it('joins nft, ufw, ip and nmcli into one section, and routes via the VPN', async () => {
    const run = recordedRunner([
      ['nft -j list ruleset', okResult(fixture('linux', 'nft-inet-block-smtp.json'))],
      ['iptables-save', okResult(fixture('linux', 'iptables-save-ufw.txt'))],
      ['ufw status verbose', okResult(fixture('linux', 'ufw-active-deny-out.txt'))],
      ['firewall-cmd --state', exited(252, '', 'not running\n')],
      ['ip -d -j addr show', okResult(fixture('linux', 'ip-addr-wg0.json'))],
      ['nmcli', okResult(fixture('linux', 'nmcli-active.txt'))],
      ['ip -j route get 192.0.2.25', okResult(fixture('linux', 'ip-route-get-wg0.json'))],
      ['systemctl show', okResult(fixture('linux', 'systemctl-clamav-active.txt'))],
      ['gsettings list-recursively', okResult(fixture('linux', 'gsettings-proxy-manual.txt'))],
    ]);
    const { section, findings } = await collectNetwork(contextWith(run, 'linux', { https_proxy: 'http://bob:pw@proxy.example.com:3128' }), {
      smtpHost: '192.0.2.25',
      resolve: noDns,
    });
    expect(NetworkSection.parse(section)).toEqual(section);
    expect(section.firewall).toMatchObject({ checked: true, reason: null });
    expect(section.firewall.details.components.map((c) => `${c.source}:${c.enabled}`)).toEqual(['nftables:true', 'iptables:true', 'ufw:true', 'firewalld:false']);
    expect(section.route.details).toMatchObject({ interface: 'wg0', viaVpn: true, table: '51820' });
    expect(section.vpn.details.active).toBe(true);
    expect(section.antivirus).toEqual([expect.objectContaining({ name: 'ClamAV daemon', state: 'on' })]);
    expect(section.proxy.details.settings.map((p) => `${p.source}:${p.kind}:${p.value}`)).toEqual([
      'env:https:http://***@proxy.example.com:3128',
      'gsettings:http:proxy.example.com:3128',
      'gsettings:https:proxy.example.com:3128',
      'gsettings:socks:socks.example.com:1080',
    ]);
    const ids = findings.map((f) => f.id);
    expect(ids).toEqual(expect.arrayContaining(['network.firewall.blocks.25', 'network.firewall.blocks.587', 'network.vpn.active', 'network.route.via-vpn', 'network.proxy.set']));
    // ufw's own rule is named, not its nft/iptables translation, and its fix is the ufw plan.
    const f25 = findings.find((f) => f.id === 'network.firewall.blocks.25');
    expect(f25?.title).toBe('An outbound firewall rule "no direct mail" blocks TCP 25');
    expect(f25?.fixes.map((x) => x.id)).toEqual(['network.allow-out.ufw.25']);
    // ufw and nmcli are run under the C locale.
    expect(run.calls).toContain('env LC_ALL=C ufw status verbose');
    expect(JSON.stringify({ section, findings })).not.toContain(':pw@');
    expect(JSON.stringify({ section, findings })).not.toContain('Hunter2');
  });

  it('without root: "could not check the firewall", never an all clear', async () => {
    const run = recordedRunner([
      ['nft -j list ruleset', exited(1, 'Error: Operation not permitted (you must be root)\n')],
      ['iptables-save', exited(1, 'iptables-save v1.8.9 (nf_tables): Could not fetch rule set generation id: Permission denied (you must be root)\n')],
      ['ufw status verbose', exited(1, 'ERROR: You need to be root to run this script\n')],
      ['ip -d -j addr show', okResult(fixture('linux', 'ip-addr-wg0.json'))],
      ['ip -j route get', okResult(fixture('linux', 'ip-route-get-lo.json'))],
    ]);
    const { section, findings } = await collectNetwork(contextWith(run, 'linux'), { resolve: noDns });
    expect(section.firewall.checked).toBe(false);
    expect(section.firewall.reason).toMatch(/needs administrator \(root\) rights/);
    expect(section.firewall.details.sources.find((s) => s.command === 'ufw status verbose')?.status).toBe('denied');
    const nc = findings.find((f) => f.id === 'network.not-checked.firewall');
    expect(nc?.severity).toBe('info');
    expect(nc?.detail).toMatch(/not an all clear/);
    expect(findings.some((f) => f.id.startsWith('network.firewall.blocks'))).toBe(false);
  });

  it('nothing installed at all: every part says why it was not checked', async () => {
    const run = recordedRunner([]);
    const { section, findings } = await collectNetwork(contextWith(run, 'linux'), { resolve: noDns });
    expect(NetworkSection.parse(section)).toBeTruthy();
    expect([section.firewall.checked, section.vpn.checked, section.route.checked, section.antivirusCheck.checked]).toEqual([false, false, false, false]);
    expect(section.firewall.reason).toMatch(/nft is not installed/);
    expect(findings.filter((f) => f.id.startsWith('network.not-checked.')).map((f) => f.id).sort()).toEqual([
      'network.not-checked.antivirus',
      'network.not-checked.firewall',
      'network.not-checked.route',
      'network.not-checked.vpn',
    ]);
  });

  it('garbled output gives a "could not parse" finding naming the command', async () => {
    const run = recordedRunner([
      ['nft -j list ruleset', okResult(fixture('linux', 'nft-truncated.json'))],
      ['ip -d -j addr show', okResult('[]')],
      ['ip -j route get', okResult(fixture('linux', 'ip-route-get-lo.json'))],
    ]);
    const { findings } = await collectNetwork(contextWith(run, 'linux'), { resolve: noDns });
    const f = findings.find((x) => x.id === 'network.could-not-parse.nft-j-list-ruleset');
    expect(f?.title).toBe('Could not parse the output of nft -j list ruleset');
    expect(f?.detail).toMatch(/not valid JSON/);
  });

  it('a host name that does not resolve is said so, and the default route is shown instead', async () => {
    const run = recordedRunner([['ip -j route get 1.1.1.1', okResult('[{"dst":"1.1.1.1","gateway":"10.0.0.1","dev":"eth0","prefsrc":"10.0.0.5","flags":[],"uid":0,"cache":[]}]')]]);
    const { section, findings } = await collectNetwork(contextWith(run, 'linux'), { smtpHost: 'smtp.invalid', resolve: noDns });
    expect(section.route.details).toMatchObject({ target: '1.1.1.1', interface: 'eth0', host: 'smtp.invalid' });
    expect(findings.map((f) => f.id)).toContain('network.route.host-unresolved');
  });

  it('networkFixPlans: plans for the current state, scoped to the server address', async () => {
    const run = recordedRunner([
      ['nft -j list ruleset', okResult(fixture('linux', 'nft-inet-block-smtp.json'))],
      ['ip -d -j addr show', okResult('[]')],
      ['ip -j route get', okResult(fixture('linux', 'ip-route-get-lo.json'))],
    ]);
    const plans = await networkFixPlans(contextWith(run, 'linux'), { smtpHost: 'smtp.example.com', resolve: async () => [{ address: '192.0.2.25', family: 4 }], failedPorts: [25] });
    expect(plans.map((p) => p.id)).toEqual(['network.allow-out.nft.25']);
    expect(plans[0].apply[0].args).toEqual(expect.arrayContaining(['position', '6', 'ip', 'daddr', '192.0.2.25']));
  });

  it('macOS asks route for an IPv6 server with -inet6', async () => {
    const run = recordedRunner([]);
    await collectNetwork(contextWith(run, 'darwin'), { smtpHost: '2001:db8::25', resolve: noDns });
    expect(run.calls).toContain('route -n get -inet6 2001:db8::25');
  });

  it('macOS "not in table" is an answer: no route', async () => {
    const run = recordedRunner([['route -n get', exited(1, 'route: writing to routing socket: not in table\n')]]);
    const { section, findings } = await collectNetwork(contextWith(run, 'darwin'), { smtpHost: '192.0.2.25', resolve: noDns });
    expect(section.route).toMatchObject({ checked: true, details: { interface: null, viaVpn: false } });
    expect(findings.map((f) => f.id)).toContain('network.route.none');
  });

  it('a machine without GNOME: gsettings "No such schema" is not a failed check', async () => {
    const run = recordedRunner([['gsettings', exited(1, fixture('linux', 'gsettings-no-schema-stderr.txt'))]]);
    const { section, findings } = await collectNetwork(contextWith(run, 'linux'), { resolve: noDns });
    expect(section.proxy).toMatchObject({ checked: true, reason: null });
    expect(section.proxy.details.sources[1]).toMatchObject({ status: 'not-found' });
    expect(findings.map((f) => f.id)).not.toContain('network.partly-checked.proxy');
  });

  it('a runner that throws is a failed check, not a crash', async () => {
    const ctx = contextWith(async () => {
      throw new Error('spawn EMFILE');
    }, 'linux');
    const { section } = await collectNetwork(ctx, { resolve: noDns });
    expect(section.firewall.details.sources[0]).toMatchObject({ status: 'failed', reason: expect.stringMatching(/EMFILE/) });
  });
});

describe('macOS collector over recorded outputs', () => {
  it('without root: app firewall read, pf not, so outbound blocks are "not checked"', async () => {
    const run = recordedRunner([
      ['socketfilterfw --getglobalstate', okResult(fixture('macos', 'socketfilterfw-enabled.txt'))],
      ['pfctl -s info', exited(1, fixture('macos', 'pfctl-denied-stderr.txt'))],
      ['systemextensionsctl list', okResult(fixture('macos', 'systemextensionsctl.txt'))],
      ['scutil --nc list', okResult(fixture('macos', 'scutil-nc-list.txt'))],
      ['ifconfig', okResult(fixture('macos', 'ifconfig.txt'))],
      ['route -n get', okResult(fixture('macos', 'route-get-utun4.txt'))],
      ['scutil --proxy', okResult(fixture('macos', 'scutil-proxy.txt'))],
    ]);
    const { section, findings } = await collectNetwork(contextWith(run, 'darwin'), { smtpHost: '192.0.2.25', resolve: noDns });
    expect(NetworkSection.parse(section)).toBeTruthy();
    expect(section.firewall.checked).toBe(false);
    expect(section.firewall.details.sources.find((s) => s.command === 'pfctl -s info')?.status).toBe('denied');
    expect(section.firewall.details.components.map((c) => c.name)).toContain('Little Snitch (outbound firewall)');
    expect(section.route.details).toMatchObject({ interface: 'utun4', viaVpn: true });
    expect(section.vpn.details.active).toBe(true);
    expect(section.antivirus.map((a) => a.name)).toEqual(['Avast']);
    expect(findings.map((f) => f.id)).toEqual(expect.arrayContaining(['network.not-checked.firewall', 'network.route.via-vpn', 'network.antivirus.active.avast']));
  });

  it('as root with pf on: reads pf rules', async () => {
    const run = recordedRunner([
      ['socketfilterfw', okResult(fixture('macos', 'socketfilterfw-disabled.txt'))],
      ['pfctl -s info', okResult(fixture('macos', 'pfctl-info-enabled.txt'))],
      ['pfctl -s rules', okResult(fixture('macos', 'pfctl-rules.txt'))],
      ['systemextensionsctl list', okResult('0 extension(s)\n')],
      ['scutil --nc list', okResult(fixture('macos', 'scutil-nc-list-empty.txt'))],
      ['ifconfig', okResult(fixture('macos', 'ifconfig.txt'))],
      ['route -n get', okResult(fixture('macos', 'route-get-en0.txt'))],
      ['scutil --proxy', okResult(fixture('macos', 'scutil-proxy-none.txt'))],
    ]);
    const { section } = await collectNetwork(contextWith(run, 'darwin'), { resolve: noDns });
    expect(section.firewall.checked).toBe(true);
    expect(section.firewall.details.blockRules.map((r) => r.ports)).toEqual([[25], [587], [465]]);
    // utun0 exists (iCloud Private Relay style) but the route is en0 and no VPN is connected.
    expect(section.vpn.details.active).toBe(false);
    expect(section.route.details.viaVpn).toBe(false);
  });
});

describe('Windows collector over recorded outputs', () => {
  // Real PowerShell prints the end marker after the script's output (the recordings are the script's output).
  const psAnswer = (json: string) => okResult(`${json}\r\n${PS_END}\r\n`);
  const answers = (extra: Array<[string, ReturnType<typeof okResult>]> = []) =>
    recordedRunner([
      ...extra,
      ['Get-NetFirewallProfile', psAnswer(fixture('windows', 'firewall-profiles.json'))],
      ['Get-NetFirewallRule', psAnswer(fixture('windows', 'block-rules.json'))],
      ['Get-NetAdapter', psAnswer(fixture('windows', 'adapters.json'))],
      ['Get-VpnConnection', psAnswer(fixture('windows', 'vpn-connections.json'))],
      ['AntiVirusProduct', psAnswer(fixture('windows', 'antivirus.json'))],
      ['WinHttpSettings', psAnswer(fixture('windows', 'winhttp-direct.json'))],
      ['Internet Settings', psAnswer(fixture('windows', 'internet-settings-none.json'))],
      ['Find-NetRoute', psAnswer(fixture('windows', 'find-netroute-vpn.json'))],
      ['FirewallProduct', psAnswer(fixture('windows', 'firewall-products.json'))],
    ]);

  it('reads profiles, block rules, adapters, VPN, antivirus, proxy and route through PowerShell JSON', async () => {
    const run = answers();
    const { section, findings } = await collectNetwork(contextWith(run, 'win32'), { smtpHost: '203.0.113.9', resolve: noDns });
    expect(NetworkSection.parse(section)).toBeTruthy();
    expect(run.calls.every((c) => c.startsWith('powershell.exe -NoProfile -NonInteractive'))).toBe(true);
    expect(run.calls.some((c) => c.includes("Find-NetRoute -RemoteIPAddress '203.0.113.9'"))).toBe(true);
    expect(section.firewall).toMatchObject({ checked: true, reason: null });
    expect(section.firewall.details.components.filter((c) => c.source === 'third-party')).toEqual([
      { source: 'third-party', name: 'ZoneAlarm Firewall', enabled: true, defaultOutbound: null },
      { source: 'third-party', name: 'Windows Firewall', enabled: false, defaultOutbound: null },
    ]);
    expect(section.route.details).toMatchObject({ interface: 'Corp VPN', viaVpn: true });
    expect(section.antivirus.filter((a) => a.state === 'on').map((a) => a.name)).toEqual(['Avast Antivirus', 'ESET Security']);
    const ids = findings.map((f) => f.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'network.firewall.blocks.25',
        'network.firewall.default-outbound-block.windows-firewall-public-profile',
        'network.route.via-vpn',
        'network.antivirus.active.avast-antivirus',
      ]),
    );
    expect(findings.find((f) => f.id === 'network.firewall.blocks.25')?.fixes.map((x) => x.id)).toContain('network.guide.windows-block-rule.25');
  });

  it('Windows Server (no SecurityCenter2): antivirus "could not check", not "none installed"', async () => {
    const run = answers([['AntiVirusProduct', exited(1, fixture('windows', 'antivirus-server-stderr.txt'))]]);
    const { section, findings } = await collectNetwork(contextWith(run, 'win32'), { resolve: noDns });
    expect(section.antivirus).toEqual([]);
    expect(section.antivirusCheck.checked).toBe(false);
    expect(section.antivirusCheck.reason).toMatch(/Invalid namespace.*Windows Server/);
    expect(findings.map((f) => f.id)).toContain('network.not-checked.antivirus');
  });

  it('a stand-in PowerShell that prints nothing and exits 0 (Wine): every part unchecked, antivirus too', async () => {
    const { section, findings } = await collectNetwork(contextWith(async () => okResult(''), 'win32'), { resolve: noDns });
    for (const part of [section.firewall, section.vpn, section.proxy, section.route, section.antivirusCheck]) {
      expect(part).toMatchObject({ checked: false, reason: expect.stringMatching(/PowerShell gave no answer/) });
    }
    expect(findings.filter((f) => f.id.startsWith('network.not-checked.')).map((f) => f.id).sort()).toEqual(
      ['antivirus', 'firewall', 'proxy', 'route', 'vpn'].map((p) => `network.not-checked.${p}`),
    );
  });

  it('no output but the end marker is a real empty answer (no block rule, no VPN connection)', async () => {
    const run = answers([
      ['Get-NetFirewallRule', psAnswer('')],
      ['Get-VpnConnection', psAnswer('')],
    ]);
    const { section } = await collectNetwork(contextWith(run, 'win32'), { resolve: noDns });
    expect(section.firewall).toMatchObject({ checked: true, details: { blockRules: [] } });
    expect(section.vpn.details.connections).toEqual([]);
  });

  it('no PowerShell: every part unchecked', async () => {
    const { section } = await collectNetwork(contextWith(async () => notFound, 'win32'), { resolve: noDns });
    expect(section.firewall).toMatchObject({ checked: false, reason: expect.stringMatching(/PowerShell is not installed/) });
  });

  it('an unknown platform is reported as unchecked', async () => {
    const { section, findings } = await collectNetwork(contextWith(async () => notFound, 'aix'), { resolve: noDns });
    expect(section.firewall.reason).toMatch(/no network checks for platform "aix"/);
    expect(findings.filter((f) => f.id.startsWith('network.not-checked.'))).toHaveLength(5);
  });
});
