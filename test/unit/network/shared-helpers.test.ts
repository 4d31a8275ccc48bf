import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { smtpPortsIn, portNumber } from '../../../electron/network/ports.ts';
import { proxyFromEnv, redactProxy } from '../../../electron/network/proxy-env.ts';
import { vpnKindFromDescription, vpnKindFromInterface } from '../../../electron/network/vpn-names.ts';
import { parseNftRuleset } from '../../../electron/network/linux/parse-nft.ts';
import { parseIptablesSave } from '../../../electron/network/linux/parse-iptables.ts';
import { parseUfwStatus } from '../../../electron/network/linux/parse-ufw.ts';
import { parseIpAddr, parseIpRouteGet } from '../../../electron/network/linux/parse-ip.ts';
import { parseNmcliActive } from '../../../electron/network/linux/parse-nmcli.ts';
import { parsePfRules } from '../../../electron/network/macos/parse-firewall.ts';
import { parseScutilNcList } from '../../../electron/network/macos/parse-vpn.ts';
import { parseScutilProxy } from '../../../electron/network/macos/parse-proxy.ts';
import { parseOutboundBlockRules } from '../../../electron/network/windows/parse-firewall.ts';
import { parseWinHttpSettings } from '../../../electron/network/windows/parse-proxy.ts';
import { parseAntivirusProducts } from '../../../electron/network/windows/parse-antivirus.ts';
import { fixture } from '../../support/network/fixtures.ts';

describe('port specs', () => {
  it('reads the forms Windows, iptables, ufw and pf print', () => {
    expect(smtpPortsIn('Any')).toEqual([25, 465, 587, 2525]);
    expect(smtpPortsIn(['25', '587'])).toEqual([25, 587]);
    expect(smtpPortsIn('1-1024')).toEqual([25, 465, 587]);
    expect(smtpPortsIn('500:600')).toEqual([587]);
    expect(smtpPortsIn('smtp,submission')).toEqual([25, 587]);
    expect(smtpPortsIn('80,443')).toEqual([]);
    expect(smtpPortsIn(25)).toEqual([25]);
    expect(portNumber('70000')).toBeNull();
  });
});

describe('proxy environment', () => {
  it('reads either case, tells SOCKS apart, and drops credentials', () => {
    const p = proxyFromEnv({ HTTP_PROXY: 'http://u:p@proxy:3128', all_proxy: 'socks5://proxy:1080', no_proxy: 'localhost, .corp' });
    expect(p.settings).toEqual([
      { source: 'env', kind: 'http', value: 'http://***@proxy:3128' },
      { source: 'env', kind: 'socks', value: 'socks5://proxy:1080' },
    ]);
    expect(p.bypass).toEqual(['localhost', '.corp']);
    expect(redactProxy('proxy.example.com:8080')).toBe('proxy.example.com:8080');
  });
});

describe('VPN name heuristics', () => {
  it('names interfaces and adapter descriptions', () => {
    expect(['wg0', 'tun0', 'tailscale0', 'cscotun0', 'gpd0', 'ppp0', 'nordlynx', 'eth0', 'utun3'].map(vpnKindFromInterface)).toEqual([
      'wireguard',
      'tun',
      'tailscale',
      'anyconnect',
      'globalprotect',
      'ppp',
      'nordvpn',
      null,
      'tun',
    ]);
    expect(vpnKindFromDescription('Juniper Networks Virtual Adapter')).toBe('pulse');
    expect(vpnKindFromDescription('Realtek PCIe GbE Family Controller')).toBeNull();
  });
});

// Untrusted command output: every parser answers (value or "could not parse") and never throws.
const PARSERS: Array<[string, (s: string) => unknown]> = [
  ['nft', parseNftRuleset],
  ['iptables-save', parseIptablesSave],
  ['ufw', parseUfwStatus],
  ['ip addr', parseIpAddr],
  ['ip route get', parseIpRouteGet],
  ['nmcli', parseNmcliActive],
  ['pfctl rules', parsePfRules],
  ['scutil --nc', parseScutilNcList],
  ['scutil --proxy', parseScutilProxy],
  ['block rules', parseOutboundBlockRules],
  ['WinHttpSettings', parseWinHttpSettings],
  ['antivirus', parseAntivirusProducts],
];

describe('parsers on hostile input', () => {
  it.each(PARSERS)('%s never throws on random text or on any prefix of a real output', (_name, parse) => {
    fc.assert(fc.property(fc.string({ maxLength: 400 }), (s) => typeof parse(s) === 'object'), { numRuns: 200 });
    const real = fixture('linux', 'nft-inet-block-smtp.json') + fixture('windows', 'block-rules.json');
    fc.assert(fc.property(fc.nat({ max: real.length }), (n) => typeof parse(real.slice(0, n)) === 'object'), { numRuns: 100 });
  });

  it('survives random JSON shaped like the expected documents', () => {
    const json = fc.jsonValue({ maxDepth: 4 });
    fc.assert(
      fc.property(json, (v) => {
        for (const [, parse] of PARSERS) parse(JSON.stringify({ nftables: [v] }));
        for (const [, parse] of PARSERS) parse(JSON.stringify(v));
        return true;
      }),
      { numRuns: 150 },
    );
  });
});

describe('rule address specs', () => {
  it('matches single addresses, CIDR prefixes and Windows ranges; other families never; names conservatively', async () => {
    const { addressCovers } = await import('../../../electron/network/addresses.ts');
    expect(addressCovers('192.0.2.25', '192.0.2.25')).toBe(true);
    expect(addressCovers('192.0.2.0/24', '192.0.2.25')).toBe(true);
    expect(addressCovers('192.0.3.0/24', '192.0.2.25')).toBe(false);
    expect(addressCovers('192.0.2.20-192.0.2.30', '192.0.2.25')).toBe(true);
    expect(addressCovers('192.0.2.26-192.0.2.30', '192.0.2.25')).toBe(false);
    expect(addressCovers('2001:db8::/32', '2001:db8::25')).toBe(true);
    expect(addressCovers('2001:db8::/32', '192.0.2.25')).toBe(false);
    expect(addressCovers('mail-servers', '192.0.2.25')).toBe(true);
  });
});

describe('kernel tunnel fallback devices', () => {
  it('tunl0/sit0/ip_vti0 are not VPNs; tun-corp is', async () => {
    const { parseIpAddr } = await import('../../../electron/network/linux/parse-ip.ts');
    const links = [
      { ifname: 'tunl0', flags: ['NOARP'], linkinfo: { info_kind: 'ipip' } },
      { ifname: 'sit0', flags: ['NOARP'], linkinfo: { info_kind: 'sit' } },
      { ifname: 'ip_vti0', flags: ['NOARP'], linkinfo: { info_kind: 'vti' } },
      { ifname: 'tun-corp', flags: ['UP'], linkinfo: { info_kind: 'tun' } },
    ];
    const r = parseIpAddr(JSON.stringify(links));
    expect(r.ok && r.value.map((i) => i.name)).toEqual(['tun-corp']);
    expect(vpnKindFromInterface('tunl0')).toBeNull();
  });
});
