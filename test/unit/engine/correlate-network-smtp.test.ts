import { describe, expect, it } from 'vitest';
import { correlateNetworkWithSmtp } from '../../../electron/engine/correlate/network-smtp.ts';
import type { BlockRule, NetworkSection } from '../../../electron/network/schema.ts';
import type { TlsInfo } from '../../../electron/smtp/schema.ts';
import { emptyNetwork, port, smtp } from '../../support/network/sections.ts';
import { Finding } from '../../../electron/core/finding.ts';

const drop25: BlockRule = {
  source: 'nftables',
  name: 'block outbound smtp',
  action: 'drop',
  ports: [25],
  addresses: [],
  location: { family: 'inet', table: 'filter', chain: 'output', handle: 6 },
  text: '[{"match":…},{"drop":null}]',
};

function withRules(rules: BlockRule[], over: Partial<NetworkSection> = {}): NetworkSection {
  const n = emptyNetwork();
  return { ...n, firewall: { ...n.firewall, details: { ...n.firewall.details, blockRules: rules } }, ...over };
}

const tls = (issuer: string, interceptedBy: string | null = null): TlsInfo => ({
  protocol: 'TLSv1.3',
  cipher: 'TLS_AES_256_GCM_SHA384',
  subject: 'CN=smtp.example.com',
  issuer,
  san: ['smtp.example.com'],
  validFrom: null,
  validTo: null,
  trusted: false,
  trustError: 'SELF_SIGNED_CERT_IN_CHAIN',
  nameMatches: true,
  selfSigned: false,
  interceptedBy,
});

describe('firewall rule × probe outcome', () => {
  it('names the rule and the timeout on the same port, with evidence from both and the fix', () => {
    const out = correlateNetworkWithSmtp(withRules([drop25]), smtp([port(25, 'timeout'), port(587, 'ok')]));
    expect(out).toHaveLength(1);
    const f = out[0];
    expect(Finding.parse(f)).toEqual(f);
    expect(f).toMatchObject({ id: 'network.blocked-by-rule.25', severity: 'error' });
    expect(f.title).toBe('An outbound rule "block outbound smtp" blocks TCP 25, and the probe timed out on 25');
    expect(f.evidence).toMatchObject({ rule: { name: 'block outbound smtp', action: 'drop' }, probe: { port: 25, outcome: 'timeout' } });
    expect(f.fixes.map((x) => x.id)).toEqual(['network.allow-out.nft.25']);
    expect(f.detail).not.toMatch(/something else/);
  });

  it('a reject rule with a refusal is consistent; with a timeout it hints at a second blocker', () => {
    const reject = { ...drop25, action: 'reject' as const, name: 'reject smtp' };
    expect(correlateNetworkWithSmtp(withRules([reject]), smtp([port(25, 'refused')]))[0].title).toMatch(/was refused on 25$/);
    expect(correlateNetworkWithSmtp(withRules([reject]), smtp([port(25, 'timeout')]))[0].detail).toMatch(/something else on the path/);
  });

  it('a rule limited to another address does not explain this server', () => {
    const other = { ...drop25, addresses: ['198.51.100.1'] };
    expect(correlateNetworkWithSmtp(withRules([other]), smtp([port(25, 'timeout')]))).toEqual([]);
    const subnet = { ...drop25, addresses: ['192.0.2.0/24'] };
    expect(correlateNetworkWithSmtp(withRules([subnet]), smtp([port(25, 'timeout')])).map((f) => f.id)).toEqual(['network.blocked-by-rule.25']);
    const same = { ...drop25, addresses: ['192.0.2.25/32'] };
    expect(correlateNetworkWithSmtp(withRules([same]), smtp([port(25, 'timeout')])).map((f) => f.id)).toEqual(['network.blocked-by-rule.25']);
  });

  it('a rule limited to another outgoing interface does not explain a route through wg0', () => {
    const n = withRules([{ ...drop25, interfaces: ['eth0'] }]);
    const viaWg0 = { ...n, route: { ...n.route, details: { ...n.route.details, interface: 'wg0' } } };
    expect(correlateNetworkWithSmtp(viaWg0, smtp([port(25, 'timeout')]))).toEqual([]);
    const wild = withRules([{ ...drop25, interfaces: ['wg+'] }]);
    const wildWg0 = { ...wild, route: { ...wild.route, details: { ...wild.route.details, interface: 'wg0' } } };
    expect(correlateNetworkWithSmtp(wildWg0, smtp([port(25, 'timeout')])).map((f) => f.id)).toEqual(['network.blocked-by-rule.25']);
  });

  it('a DNS failure is not blamed on the firewall', () => {
    expect(correlateNetworkWithSmtp(withRules([drop25]), smtp([port(25, 'unreachable', { phase: 'dns' })], 'smtp.invalid', null))).toEqual([]);
  });

  it('no finding for a rule on a port that worked', () => {
    expect(correlateNetworkWithSmtp(withRules([drop25]), smtp([port(25, 'ok')]))).toEqual([]);
  });

  it('firewall not checked + failure = "not ruled out", never silence', () => {
    const n = emptyNetwork();
    const net = { ...n, firewall: { ...n.firewall, checked: false, reason: 'nft -j list ruleset: needs administrator (root) rights' } };
    const [f] = correlateNetworkWithSmtp(net, smtp([port(587, 'timeout')]));
    expect(f).toMatchObject({ id: 'network.firewall-unknown.587', severity: 'info' });
    expect(f.detail).toMatch(/needs administrator.*not ruled out/);
  });

  it('default-block policy without a rule', () => {
    const n = emptyNetwork('win32');
    const net = {
      ...n,
      firewall: { ...n.firewall, details: { ...n.firewall.details, components: [{ source: 'windows-firewall' as const, name: 'Public profile', enabled: true, defaultOutbound: 'block' as const }] } },
    };
    const [f] = correlateNetworkWithSmtp(net, smtp([port(587, 'timeout')]));
    expect(f.id).toBe('network.blocked-by-default-policy.587');
    expect(f.fixes.map((x) => x.id)).toEqual(['network.allow-out.windows.587']);
  });
});

describe('VPN route × probe', () => {
  const viaWg0 = (): NetworkSection => {
    const n = emptyNetwork();
    return {
      ...n,
      vpn: { ...n.vpn, details: { ...n.vpn.details, active: true, interfaces: [{ name: 'wg0', kind: 'wireguard', up: true, description: null, addresses: ['10.66.0.2/24'] }] } },
      route: { ...n.route, details: { ...n.route.details, interface: 'wg0', viaVpn: true, table: '51820' } },
    };
  };

  it('"traffic leaves through wg0; the probe failed on 25" with the split-tunnel guide', () => {
    const [f] = correlateNetworkWithSmtp(viaWg0(), smtp([port(25, 'timeout'), port(465, 'ok')]));
    expect(f.id).toBe('network.vpn-route.wg0');
    expect(f.title).toBe('Traffic to smtp.example.com leaves through the VPN interface wg0; the probe failed on 25');
    expect(f.detail).toMatch(/worked on 465/);
    expect(f.fixes).toEqual([{ id: 'network.guide.vpn-split-tunnel.wireguard', title: 'Send mail outside the VPN (wireguard)' }]);
  });

  it('nothing when every port worked, or when the route was asked for another address', () => {
    expect(correlateNetworkWithSmtp(viaWg0(), smtp([port(587, 'ok')]))).toEqual([]);
    expect(correlateNetworkWithSmtp(viaWg0(), smtp([port(25, 'timeout')], 'smtp.example.com', '203.0.113.5'))).toEqual([]);
  });
});

describe('antivirus × TLS certificate', () => {
  const withAv = (): NetworkSection => ({
    ...emptyNetwork('win32'),
    antivirus: [
      { name: 'Windows Defender', state: 'off', upToDate: true, microsoft: true, productState: 393472, source: 'SecurityCenter2' },
      { name: 'Avast Antivirus', state: 'on', upToDate: true, microsoft: false, productState: 266240, source: 'SecurityCenter2' },
    ],
  });

  it('"Avast is active and the certificate on 587 was issued by it"', () => {
    const out = correlateNetworkWithSmtp(withAv(), smtp([port(587, 'tls-failed', { tls: tls('CN=Avast Web/Mail Shield Root, O=Avast, C=CZ') }), port(465, 'ok', { tls: tls('CN=R11, O=Let\'s Encrypt') })]));
    expect(out).toHaveLength(1);
    expect(out[0].title).toBe('Avast Antivirus is active and the certificate on 587 was issued by it: its mail shield intercepts TLS');
    expect(out[0].fixes.map((x) => x.id)).toEqual(['network.guide.av-mail-shield.avast']);
    expect(out[0].evidence).toMatchObject({ certificate: { issuer: 'CN=Avast Web/Mail Shield Root, O=Avast, C=CZ' } });
  });

  it('the probe\'s own recognition counts even when the product is not listed', () => {
    const [f] = correlateNetworkWithSmtp(emptyNetwork(), smtp([port(465, 'tls-failed', { tls: tls('CN=ESET SSL Filter CA', 'ESET') })]));
    expect(f.title).toBe('The certificate on 465 was issued by ESET: a mail shield intercepts TLS');
    expect(f.fixes[0].id).toBe('network.guide.av-mail-shield.eset');
  });
});

describe('proxy × probe', () => {
  it('every port timing out on a proxied network', () => {
    const n = emptyNetwork();
    const net = { ...n, proxy: { ...n.proxy, details: { ...n.proxy.details, settings: [{ source: 'env' as const, kind: 'http' as const, value: 'proxy:3128' }] } } };
    expect(correlateNetworkWithSmtp(net, smtp([port(25, 'timeout'), port(587, 'timeout')])).map((f) => f.id)).toEqual(['network.proxy-only-network']);
    expect(correlateNetworkWithSmtp(net, smtp([port(25, 'timeout'), port(587, 'ok')]))).toEqual([]);
  });
});
