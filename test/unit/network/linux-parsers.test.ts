import { describe, expect, it } from 'vitest';
import { fixture } from '../../support/network/fixtures.ts';
import { parseNftRuleset, nftHandleFromEcho } from '../../../electron/network/linux/parse-nft.ts';
import { parseIptablesSave, tokenize } from '../../../electron/network/linux/parse-iptables.ts';
import { parseUfwStatus } from '../../../electron/network/linux/parse-ufw.ts';
import { parseFirewalldDirect, parseFirewalldState } from '../../../electron/network/linux/parse-firewalld.ts';
import { parseIpAddr, parseIpRouteGet } from '../../../electron/network/linux/parse-ip.ts';
import { parseNmcliActive, splitTerse } from '../../../electron/network/linux/parse-nmcli.ts';
import { parseSystemctlShow } from '../../../electron/network/linux/parse-systemctl.ts';
import { parseGnomeProxy } from '../../../electron/network/linux/parse-gsettings.ts';

const value = <T>(p: { ok: true; value: T } | { ok: false; error: string }): T => {
  if (!p.ok) throw new Error(`expected a parse, got: ${p.error}`);
  return p.value;
};

describe('nft -j list ruleset (recorded from nft 1.0.6)', () => {
  it('finds drop and reject rules on SMTP ports in output chains and the chains they jump to', () => {
    const f = value(parseNftRuleset(fixture('linux', 'nft-inet-block-smtp.json')));
    expect(f.blockRules.map((r) => [r.name, r.action, r.ports, r.addresses])).toEqual([
      ['block outbound smtp', 'drop', [25], []],
      ['inet filter output #7', 'reject', [465, 587], []],
      ['inet filter corp_out #9', 'drop', [2525], ['192.0.2.0/24']],
    ]);
    expect(f.blockRules[0].location).toEqual({ family: 'inet', table: 'filter', chain: 'output', handle: 6 });
    expect(f.components).toEqual([{ source: 'nftables', name: 'nftables', enabled: true, defaultOutbound: 'allow' }]);
  });

  it('ignores the input chain, UDP rules and negated port matches', () => {
    const f = value(parseNftRuleset(fixture('linux', 'nft-inet-block-smtp.json')));
    expect(f.blockRules.some((r) => r.location?.chain === 'input')).toBe(false);
    expect(f.blockRules.map((r) => r.location?.handle)).not.toContain(10);
    expect(f.blockRules.map((r) => r.location?.handle)).not.toContain(11);
  });

  it('reads an oifname limit with a wildcard', () => {
    const f = value(parseNftRuleset(fixture('linux', 'nft-oifname.json')));
    expect(f.blockRules).toEqual([expect.objectContaining({ name: 'no mail on the LAN uplink', ports: [25, 587], interfaces: ['eth*'] })]);
  });

  it('reports an output policy of drop as default-block', () => {
    const f = value(parseNftRuleset(fixture('linux', 'nft-policy-drop.json')));
    expect(f.components[0].defaultOutbound).toBe('block');
    expect(f.blockRules).toEqual([]);
  });

  it('reads an empty ruleset as "nftables present, nothing loaded"', () => {
    const f = value(parseNftRuleset(fixture('linux', 'nft-empty.json')));
    expect(f.components[0]).toMatchObject({ enabled: false, defaultOutbound: null });
  });

  it('says "could not parse" for cut-off JSON and for JSON of another shape', () => {
    const cut = parseNftRuleset(fixture('linux', 'nft-truncated.json'));
    expect(cut).toMatchObject({ ok: false });
    expect(cut.ok ? '' : cut.error).toMatch(/not valid JSON/);
    expect(parseNftRuleset('{"tables": []}')).toEqual({ ok: false, error: 'nft -j list ruleset: no "nftables" array' });
  });

  it('reads the new handle nft echoes for an inserted rule', () => {
    expect(nftHandleFromEcho('insert rule inet filter output position 6 tcp dport 25 accept comment "x" # handle 14\n')).toBe(14);
    expect(nftHandleFromEcho('')).toBeNull();
  });
});

describe('iptables-save', () => {
  it('follows OUTPUT into ufw chains and reads --dport, multiport lists and comments', () => {
    const f = value(parseIptablesSave(fixture('linux', 'iptables-save-ufw.txt')));
    expect(f.blockRules.map((r) => [r.action, r.ports, r.addresses])).toEqual([
      ['drop', [25], []],
      ['reject', [465, 587], ['192.0.2.10/32']],
    ]);
    expect(f.blockRules[1].name).toBe("'dapp_block mail relay'");
    expect(f.blockRules[0].name).toBe('ufw-user-output: -p tcp -m tcp --dport 25 -j DROP');
    // INPUT and nat rules are not outbound filters.
    expect(f.blockRules.every((r) => r.location?.chain === 'ufw-user-output')).toBe(true);
    expect(f.components[0]).toMatchObject({ enabled: true, defaultOutbound: 'allow' });
  });

  it('covers port ranges and an OUTPUT policy of DROP, despite the legacy-tables warning line', () => {
    const f = value(parseIptablesSave(fixture('linux', 'iptables-save-policy-drop.txt')));
    expect(f.components[0].defaultOutbound).toBe('block');
    expect(f.blockRules).toHaveLength(1);
    expect(f.blockRules[0]).toMatchObject({ action: 'reject', ports: [25, 465, 587] });
  });

  it('rejects output that stops before COMMIT', () => {
    expect(parseIptablesSave(fixture('linux', 'iptables-save-truncated.txt'))).toMatchObject({ ok: false, error: expect.stringMatching(/COMMIT/) });
  });

  it('reads an empty ruleset and refuses unrelated text', () => {
    expect(value(parseIptablesSave('')).components[0].enabled).toBe(false);
    expect(parseIptablesSave('iptables v1.8.9: unknown option "--foo"')).toMatchObject({ ok: false });
  });

  it('reads the outgoing interface a rule is limited to (and ignores "! -o")', () => {
    const text = ['*filter', ':OUTPUT ACCEPT [0:0]', '-A OUTPUT -o eth+ -p tcp -m tcp --dport 25 -j DROP', '-A OUTPUT ! -o lo -p tcp -m tcp --dport 587 -j DROP', 'COMMIT'].join('\n');
    expect(value(parseIptablesSave(text)).blockRules.map((r) => r.interfaces)).toEqual([['eth+'], []]);
    const ufw = 'Status: active\n\nTo                         Action      From\n--                         ------      ----\n25/tcp on eth0             DENY OUT    Anywhere\n';
    expect(value(parseUfwStatus(ufw)).blockRules[0]).toMatchObject({ ports: [25], interfaces: ['eth0'] });
  });

  it('keeps quoted comments as one word', () => {
    expect(tokenize('-A OUTPUT -m comment --comment "no \\"mail\\" here" -j DROP')).toEqual(['-A', 'OUTPUT', '-m', 'comment', '--comment', 'no "mail" here', '-j', 'DROP']);
  });
});

describe('ufw status verbose', () => {
  it('lists DENY/REJECT OUT rules once (not again for v6), with addresses and comments', () => {
    const f = value(parseUfwStatus(fixture('linux', 'ufw-active-deny-out.txt')));
    expect(f.blockRules.map((r) => [r.name, r.action, r.ports, r.addresses])).toEqual([
      ['no direct mail', 'drop', [25], []],
      ['192.0.2.10 587/tcp REJECT OUT', 'reject', [587], ['192.0.2.10']],
      ['465,2525/tcp DENY OUT', 'drop', [465, 2525], []],
    ]);
    expect(f.components[0]).toEqual({ source: 'ufw', name: 'ufw', enabled: true, defaultOutbound: 'allow' });
  });

  it('reads "deny (outgoing)" as default-block', () => {
    expect(value(parseUfwStatus(fixture('linux', 'ufw-deny-outgoing.txt'))).components[0].defaultOutbound).toBe('block');
  });

  it('reads an inactive ufw', () => {
    expect(value(parseUfwStatus(fixture('linux', 'ufw-inactive.txt'))).components[0]).toMatchObject({ enabled: false, defaultOutbound: null });
  });

  it('says "could not parse" for translated output rather than guessing', () => {
    expect(parseUfwStatus(fixture('linux', 'ufw-localized-de.txt'))).toMatchObject({ ok: false, error: expect.stringMatching(/Status:/) });
  });
});

describe('firewalld', () => {
  it('reads --state', () => {
    expect(parseFirewalldState('running\n')).toEqual({ ok: true, value: true });
    expect(parseFirewalldState('not running\n')).toEqual({ ok: true, value: false });
    expect(parseFirewalldState('FirewallD is not running')).toMatchObject({ ok: false });
  });

  it('finds outbound direct rules and skips INPUT and other ports', () => {
    const f = value(parseFirewalldDirect(fixture('linux', 'firewalld-direct.txt'), true));
    expect(f.blockRules.map((r) => [r.name, r.action, r.ports, r.addresses])).toEqual([
      ['direct ipv4 OUTPUT priority 0', 'drop', [25], []],
      ['corp: no external submission', 'reject', [587], ['198.51.100.7']],
    ]);
  });
});

describe('ip -j (recorded from iproute2 6.1 in a test namespace)', () => {
  it('finds tun/tap links by kernel kind and names wg0 as WireGuard', () => {
    const ifs = value(parseIpAddr(fixture('linux', 'ip-addr-wg0.json')));
    expect(ifs.map((i) => [i.name, i.kind, i.up])).toEqual([
      ['wg0', 'wireguard', true],
      ['tap1', 'tun', false],
    ]);
    expect(ifs[0].addresses).toEqual(['10.66.0.2/24']);
  });

  it('reads the interface and policy-routing table from route get', () => {
    expect(value(parseIpRouteGet(fixture('linux', 'ip-route-get-wg0.json')))).toEqual({
      target: '192.0.2.25',
      interface: 'wg0',
      gateway: null,
      sourceAddress: '10.66.0.2',
      table: '51820',
    });
    expect(value(parseIpRouteGet(fixture('linux', 'ip-route-get-lo.json'))).interface).toBe('lo');
  });

  it('says "could not parse" for text output', () => {
    expect(parseIpRouteGet('192.0.2.25 dev wg0 table 51820 src 10.66.0.2 uid 0')).toMatchObject({ ok: false });
    expect(parseIpAddr('[{"ifindex":1,')).toMatchObject({ ok: false });
  });
});

describe('nmcli terse output', () => {
  it('keeps vpn and wireguard connections and unescapes colons in names', () => {
    expect(value(parseNmcliActive(fixture('linux', 'nmcli-active.txt')))).toEqual([
      { name: 'Corp VPN: Paris', kind: 'other', connected: true, server: null, device: 'enp3s0', splitTunneling: null },
      { name: 'wg-home', kind: 'wireguard', connected: true, server: null, device: 'wg-home', splitTunneling: null },
    ]);
    expect(splitTerse('a\\:b:c\\\\d')).toEqual(['a:b', 'c\\d']);
  });

  it('rejects lines that are not four fields', () => {
    expect(parseNmcliActive('NAME UUID TYPE DEVICE\n')).toMatchObject({ ok: false });
  });
});

describe('systemctl show', () => {
  it('tells a loaded unit from a missing one', () => {
    expect(value(parseSystemctlShow(fixture('linux', 'systemctl-clamav-active.txt')))).toEqual({ LoadState: 'loaded', ActiveState: 'active' });
    expect(value(parseSystemctlShow(fixture('linux', 'systemctl-clamav-absent.txt'))).LoadState).toBe('not-found');
    expect(parseSystemctlShow('')).toMatchObject({ ok: false });
  });
});

describe('GNOME proxy (gsettings list-recursively)', () => {
  it('manual: host:port per protocol and the ignore list; the stored proxy password never leaves the parser', () => {
    const p = value(parseGnomeProxy(fixture('linux', 'gsettings-proxy-manual.txt')));
    expect(p.settings).toEqual([
      { source: 'gsettings', kind: 'http', value: 'proxy.example.com:3128' },
      { source: 'gsettings', kind: 'https', value: 'proxy.example.com:3128' },
      { source: 'gsettings', kind: 'socks', value: 'socks.example.com:1080' },
    ]);
    expect(p.bypass).toEqual(['localhost', '127.0.0.0/8', '::1', '*.corp.example.com']);
    expect(JSON.stringify(p)).not.toContain('Hunter2');
  });

  it('none and auto', () => {
    expect(value(parseGnomeProxy(fixture('linux', 'gsettings-proxy-none.txt')))).toEqual({ settings: [], bypass: [] });
    expect(value(parseGnomeProxy(fixture('linux', 'gsettings-proxy-auto.txt'))).settings).toEqual([
      { source: 'gsettings', kind: 'pac', value: 'http://wpad.example.com/wpad.dat' },
    ]);
  });

  it('says "could not parse" without a mode line', () => {
    expect(parseGnomeProxy(fixture('linux', 'gsettings-no-schema-stderr.txt'))).toMatchObject({ ok: false });
  });
});
