import { describe, expect, it } from 'vitest';
import { fixture } from '../../support/network/fixtures.ts';
import { parseFirewallProfiles, parseOutboundBlockRules } from '../../../electron/network/windows/parse-firewall.ts';
import { parseFindNetRoute, parseNetAdapters, parseVpnConnections } from '../../../electron/network/windows/parse-adapters.ts';
import { decodeProductState, parseAntivirusProducts } from '../../../electron/network/windows/parse-antivirus.ts';
import { parseInternetSettings, parseWinHttpSettings } from '../../../electron/network/windows/parse-proxy.ts';

const value = <T>(p: { ok: true; value: T } | { ok: false; error: string }): T => {
  if (!p.ok) throw new Error(`expected a parse, got: ${p.error}`);
  return p.value;
};

describe('Get-NetFirewallProfile JSON', () => {
  it('decodes GpoBoolean and Action numbers', () => {
    expect(value(parseFirewallProfiles(fixture('windows', 'firewall-profiles.json'))).map((p) => [p.name, p.enabled, p.defaultOutbound])).toEqual([
      ['Domain profile', true, 'allow'],
      ['Private profile', true, 'allow'],
      ['Public profile', true, 'block'],
    ]);
  });

  it('reads disabled and NotConfigured profiles', () => {
    expect(value(parseFirewallProfiles(fixture('windows', 'firewall-profiles-disabled.json'))).map((p) => [p.enabled, p.defaultOutbound])).toEqual([
      [false, 'allow'],
      [false, 'allow'],
      [null, 'allow'],
    ]);
  });

  it('reads a single object with names cast to strings', () => {
    expect(value(parseFirewallProfiles(fixture('windows', 'firewall-profile-single-named.json')))).toEqual([
      { source: 'windows-firewall', name: 'Public profile', enabled: true, defaultOutbound: 'allow' },
    ]);
  });

  it('says "could not parse" for localized netsh text given by mistake', () => {
    expect(parseFirewallProfiles('Domänenprofil-Einstellungen:\nStatus  EIN')).toMatchObject({ ok: false });
  });
});

describe('outbound block rules JSON', () => {
  it('matches 25/465/587/2525 against single ports, lists, ranges and Any; skips UDP, other ports and non-mail programs', () => {
    const rules = value(parseOutboundBlockRules(fixture('windows', 'block-rules.json')));
    expect(rules.map((r) => [r.name, r.ports, r.addresses])).toEqual([
      ['Block outbound SMTP (IT policy)', [25], []],
      ['Ausgehende Mailübermittlung sperren', [465, 587], ['203.0.113.0/24']],
      ['Block low ports', [25, 465, 587], []],
      ['Outlook: no direct SMTP', [25], []],
    ]);
    expect(rules[3].text).toMatch(/program=C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK\.EXE$/);
  });

  it('reads a lone rule object and an empty answer', () => {
    expect(value(parseOutboundBlockRules(fixture('windows', 'block-rules-single.json')))[0].ports).toEqual([2525]);
    expect(value(parseOutboundBlockRules(''))).toEqual([]);
  });

  it('says "could not parse" for cut-off JSON', () => {
    expect(parseOutboundBlockRules(fixture('windows', 'block-rules-truncated.json'))).toMatchObject({ ok: false });
  });
});

describe('adapters and VPN connections', () => {
  it('recognises TAP, WireGuard, AnyConnect, GlobalProtect, Fortinet and IKEv2 adapters with their state', () => {
    expect(value(parseNetAdapters(fixture('windows', 'adapters.json'))).map((a) => [a.name, a.kind, a.up])).toEqual([
      ['OpenVPN TAP-Windows6', 'openvpn', false],
      ['Home', 'wireguard', true],
      ['Ethernet 3', 'anyconnect', false],
      ['Ethernet 4', 'globalprotect', true],
      ['Ethernet 5', 'forticlient', false],
      ['Local Area Connection* 2', 'windows-builtin', true],
    ]);
  });

  it('reads Get-VpnConnection (array and single object)', () => {
    expect(value(parseVpnConnections(fixture('windows', 'vpn-connections.json'))).map((c) => [c.name, c.kind, c.connected, c.splitTunneling])).toEqual([
      ['Corp VPN', 'ipsec', true, false],
      ['Old L2TP', 'ipsec', false, true],
    ]);
    expect(value(parseVpnConnections(fixture('windows', 'vpn-connection-single.json')))[0]).toMatchObject({ connected: false, server: 'vpn.example.com' });
  });

  it('reads Find-NetRoute', () => {
    expect(value(parseFindNetRoute(fixture('windows', 'find-netroute-vpn.json')))).toEqual({ interface: 'Corp VPN', sourceAddress: '10.20.30.44', gateway: null });
    expect(value(parseFindNetRoute(fixture('windows', 'find-netroute-ethernet.json')))).toEqual({ interface: 'Ethernet', sourceAddress: '192.168.1.40', gateway: '192.168.1.1' });
  });
});

describe('SecurityCenter2 antivirus', () => {
  it('decodes productState per the documented masks', () => {
    expect(decodeProductState(397568)).toEqual({ state: 'on', upToDate: true, microsoft: true });
    expect(decodeProductState(393472)).toEqual({ state: 'off', upToDate: true, microsoft: true });
    expect(decodeProductState(266240)).toEqual({ state: 'on', upToDate: true, microsoft: false });
    expect(decodeProductState(266256)).toEqual({ state: 'on', upToDate: false, microsoft: false });
    expect(decodeProductState(262144)).toEqual({ state: 'off', upToDate: true, microsoft: false });
  });

  it('lists products with decoded states, including a snoozed one', () => {
    expect(value(parseAntivirusProducts(fixture('windows', 'antivirus.json'))).map((a) => [a.name, a.state, a.upToDate])).toEqual([
      ['Windows Defender', 'off', true],
      ['Avast Antivirus', 'on', true],
      ['ESET Security', 'on', false],
      ['Norton 360', 'off', true],
      ['Kaspersky Plus', 'snoozed', true],
    ]);
    expect(value(parseAntivirusProducts(fixture('windows', 'antivirus-defender-only.json')))).toHaveLength(1);
  });
});

describe('proxy settings', () => {
  it('decodes the WinHttpSettings blob', () => {
    expect(value(parseWinHttpSettings(fixture('windows', 'winhttp-proxy.json')))).toEqual({
      settings: [{ source: 'winhttp', kind: 'all', value: 'proxy.corp.example.com:8080' }],
      bypass: ['<local>', '*.corp.example.com'],
    });
    expect(value(parseWinHttpSettings(fixture('windows', 'winhttp-direct.json'))).settings).toEqual([]);
    expect(value(parseWinHttpSettings('')).settings).toEqual([]);
  });

  it('says "could not parse" for a cut-off blob', () => {
    expect(parseWinHttpSettings(fixture('windows', 'winhttp-truncated.json'))).toMatchObject({ ok: false, error: expect.stringMatching(/past the end/) });
  });

  it('splits per-protocol WinINet proxies', () => {
    const p = value(parseInternetSettings(fixture('windows', 'internet-settings-proxy.json')));
    expect(p.settings.map((s) => [s.kind, s.value])).toEqual([
      ['http', 'proxy.example.com:3128'],
      ['https', 'proxy.example.com:3128'],
      ['socks', 'socks.example.com:1080'],
    ]);
    expect(p.bypass).toEqual(['<local>', '*.example.com']);
    expect(value(parseInternetSettings(fixture('windows', 'internet-settings-none.json'))).settings).toEqual([]);
  });

  it('never keeps proxy credentials', () => {
    const p = value(parseInternetSettings(fixture('windows', 'internet-settings-pac-credentials.json')));
    expect(JSON.stringify(p)).not.toContain('Secr3t');
    expect(p.settings[0].value).toBe('***@proxy.example.com:8080');
    expect(p.settings[1]).toEqual({ source: 'wininet', kind: 'pac', value: 'http://wpad.example.com/wpad.dat' });
  });
});

describe('PowerShell scripts', () => {
  it('are read-only and carry no double quotes (Windows argv quoting would split them)', async () => {
    const { PS, powershellArgs } = await import('../../../electron/network/windows/scripts.ts');
    const scripts = [...Object.values(PS).filter((v): v is string => typeof v === 'string'), PS.route('192.0.2.25')];
    for (const s of scripts) {
      const arg = powershellArgs(s).at(-1) ?? '';
      expect(arg).not.toContain('"');
      expect(arg).not.toMatch(/\b(Set|New|Remove|Disable|Enable)-Net|Set-ItemProperty|Set-MpPreference/);
      expect(arg).toContain('ConvertTo-Json');
    }
  });
});
