import { describe, expect, it } from 'vitest';
import { fixture } from '../../support/network/fixtures.ts';
import { parsePfInfo, parsePfRules, parseSocketFilterState } from '../../../electron/network/macos/parse-firewall.ts';
import { parseSystemExtensions } from '../../../electron/network/macos/parse-extensions.ts';
import { parseIfconfig, parseRouteGet, parseScutilNcList } from '../../../electron/network/macos/parse-vpn.ts';
import { parseScutilProxy } from '../../../electron/network/macos/parse-proxy.ts';

const value = <T>(p: { ok: true; value: T } | { ok: false; error: string }): T => {
  if (!p.ok) throw new Error(`expected a parse, got: ${p.error}`);
  return p.value;
};

describe('macOS firewall', () => {
  it('reads socketfilterfw states 0, 1 and 2', () => {
    expect(value(parseSocketFilterState(fixture('macos', 'socketfilterfw-enabled.txt'))).enabled).toBe(true);
    expect(value(parseSocketFilterState(fixture('macos', 'socketfilterfw-disabled.txt'))).enabled).toBe(false);
    expect(value(parseSocketFilterState(fixture('macos', 'socketfilterfw-block-all.txt'))).enabled).toBe(true);
    expect(parseSocketFilterState('socketfilterfw: command not supported')).toMatchObject({ ok: false });
  });

  it('reads pf enabled/disabled and refuses the permission error text', () => {
    expect(value(parsePfInfo(fixture('macos', 'pfctl-info-enabled.txt'))).enabled).toBe(true);
    expect(value(parsePfInfo(fixture('macos', 'pfctl-info-disabled.txt'))).enabled).toBe(false);
    expect(parsePfInfo(fixture('macos', 'pfctl-denied-stderr.txt'))).toMatchObject({ ok: false });
  });

  it('finds outbound pf blocks by number, service name and range, not inbound or UDP ones', () => {
    const rules = value(parsePfRules(fixture('macos', 'pfctl-rules.txt')));
    expect(rules.map((r) => [r.action, r.ports, r.addresses])).toEqual([
      ['drop', [25], []],
      ['reject', [587], ['192.0.2.10']],
      ['drop', [465], []],
    ]);
    expect(rules[1].name).toBe('corp-no-submission');
    expect(value(parsePfRules('block drop out quick on en0 proto tcp from any to any port = 25\n'))[0].interfaces).toEqual(['en0']);
  });

  it('lists Little Snitch / LuLu with their state, and antivirus extensions', () => {
    const x = value(parseSystemExtensions(fixture('macos', 'systemextensionsctl.txt')));
    expect(x.firewalls.map((f) => [f.name, f.enabled])).toEqual([
      ['Little Snitch (outbound firewall)', true],
      ['LuLu (outbound firewall)', false],
    ]);
    expect(x.antivirus.map((a) => [a.name, a.state])).toEqual([['Avast', 'on']]);
    expect(parseSystemExtensions('systemextensionsctl: unknown command')).toMatchObject({ ok: false });
  });
});

describe('macOS VPN and route', () => {
  it('reads scutil --nc list rows: status, quoted name, type bracket', () => {
    expect(value(parseScutilNcList(fixture('macos', 'scutil-nc-list.txt'))).map((c) => [c.name, c.kind, c.connected])).toEqual([
      ['Corp VPN', 'ipsec', false],
      ['WireGuard Home', 'wireguard', true],
      ['Cisco Secure Client', 'anyconnect', false],
    ]);
    expect(value(parseScutilNcList(fixture('macos', 'scutil-nc-list-empty.txt')))).toEqual([]);
    expect(parseScutilNcList('')).toMatchObject({ ok: false });
  });

  it('lists utun interfaces without fe80 addresses', () => {
    const ifs = value(parseIfconfig(fixture('macos', 'ifconfig.txt')));
    expect(ifs.map((i) => [i.name, i.up, i.addresses])).toEqual([
      ['utun0', true, []],
      ['utun4', true, ['10.6.0.2']],
    ]);
    expect(parseIfconfig('ifconfig: interface does not exist')).toMatchObject({ ok: false });
  });

  it('reads route -n get', () => {
    expect(value(parseRouteGet(fixture('macos', 'route-get-utun4.txt')))).toEqual({ interface: 'utun4', gateway: null });
    expect(value(parseRouteGet(fixture('macos', 'route-get-en0.txt')))).toEqual({ interface: 'en0', gateway: '192.168.1.1' });
    expect(parseRouteGet('route: writing to routing socket: not in table')).toMatchObject({ ok: false });
  });
});

describe('scutil --proxy', () => {
  it('reads enabled HTTP/HTTPS proxies and the exceptions list', () => {
    const p = value(parseScutilProxy(fixture('macos', 'scutil-proxy.txt')));
    expect(p.settings).toEqual([
      { source: 'scutil', kind: 'http', value: 'proxy.example.com:3128' },
      { source: 'scutil', kind: 'https', value: 'proxy.example.com:3128' },
    ]);
    expect(p.bypass).toEqual(['*.local', '169.254/16', 'intranet.example.com']);
  });

  it('reads a PAC URL and ignores disabled proxies', () => {
    expect(value(parseScutilProxy(fixture('macos', 'scutil-proxy-none.txt'))).settings).toEqual([
      { source: 'scutil', kind: 'pac', value: 'http://wpad.example.com/proxy.pac' },
    ]);
    expect(parseScutilProxy('No proxy configured')).toMatchObject({ ok: false });
  });
});
