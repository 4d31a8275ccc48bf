import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { diagnoseSmtp, lookupProviderSettings, type ProviderDns } from '../../../electron/smtp/service.ts';
import { ProviderSettings } from '../../../electron/smtp/provider/schema.ts';
import { SmtpSection } from '../../../electron/smtp/schema.ts';
import { startFixtureHttp, type FixtureHttp } from '../../support/smtp/http-fixture-server.ts';
import { closedPort } from '../../support/smtp/peers.ts';

// Provider settings through a real local HTTP server (autoconfig / .well-known / ISPDB) and a stub DNS
// resolver (SRV, MX) injected through the lookup's seams.

const FIX = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/smtp/autoconfig');
const GMAIL = readFileSync(path.join(FIX, 'gmail.com.xml'), 'utf8');
const HOSTING = readFileSync(path.join(FIX, 'example-hosting.xml'), 'utf8');

const http: FixtureHttp[] = [];
afterEach(async () => {
  await Promise.all(http.splice(0).map((h) => h.close()));
});

async function serve(routes: Parameters<typeof startFixtureHttp>[0]): Promise<FixtureHttp> {
  const h = await startFixtureHttp(routes);
  http.push(h);
  return h;
}

function stubDns(srv: Record<string, Array<{ name: string; port: number }>>, mx: Record<string, string>): ProviderDns {
  const nx = (what: string) => Object.assign(new Error(`queryX ENOTFOUND ${what}`), { code: 'ENOTFOUND' });
  return {
    srv: async (name) => {
      const r = srv[name];
      if (!r) throw nx(name);
      return r.map((x, i) => ({ ...x, priority: i, weight: 0 }));
    },
    mx: async (domain) => {
      const r = mx[domain];
      if (!r) throw nx(domain);
      return [{ exchange: r, priority: 10 }];
    },
  };
}

describe('provider settings lookup', () => {
  it('autoconfig.<domain> wins; placeholders are filled from the address; every lookup is listed', async () => {
    const h = await serve({ '/autoconfig.example.org/mail/config-v1.1.xml': { body: HOSTING }, '/autoconfig.thunderbird.net/v1.1/example.org': { body: GMAIL } });
    const s = await lookupProviderSettings('bob@example.org', { fetchText: h.fetchText, dns: stubDns({}, {}), timeoutMs: 2000 });
    expect(ProviderSettings.parse(s)).toEqual(s);
    expect(s).toMatchObject({ domain: 'example.org', source: 'autoconfig', providerName: 'Example Hosting & Mail' });
    expect(s.servers).toEqual([
      { hostname: 'smtp.example.org', port: 587, security: 'starttls', authentication: ['password-cleartext'], username: 'bob' },
      { hostname: 'smtp.example.org', port: 465, security: 'implicit', authentication: ['password-cleartext'], username: 'bob' },
    ]);
    expect(s.tried.map((t) => t.source).sort()).toEqual(['autoconfig', 'ispdb', 'mx-ispdb', 'srv', 'srv', 'well-known']);
    expect(h.requests).toContain('/autoconfig.example.org/mail/config-v1.1.xml?emailaddress=bob%40example.org');
  });

  it('falls back to the ISPDB', async () => {
    const h = await serve({ '/autoconfig.thunderbird.net/v1.1/gmail.com': { body: GMAIL } });
    const s = await lookupProviderSettings('a@gmail.com', { fetchText: h.fetchText, dns: stubDns({}, {}), timeoutMs: 2000 });
    expect(s).toMatchObject({ source: 'ispdb', providerName: 'Google Mail', servers: [{ hostname: 'smtp.gmail.com', port: 465, security: 'implicit', username: 'a@gmail.com' }] });
  });

  it('then RFC 6186 SRV records (submissions = implicit TLS first; "." = not offered)', async () => {
    const h = await serve({});
    const dns = stubDns({ '_submissions._tcp.example.net': [{ name: 'mail.example.net', port: 465 }], '_submission._tcp.example.net': [{ name: '.', port: 0 }] }, {});
    const s = await lookupProviderSettings('example.net', { fetchText: h.fetchText, dns, timeoutMs: 2000 });
    expect(s).toMatchObject({ source: 'srv', servers: [{ hostname: 'mail.example.net', port: 465, security: 'implicit' }] });
  });

  it('then the ISPDB entry of the MX base domain (a Google-hosted domain)', async () => {
    const h = await serve({ '/autoconfig.thunderbird.net/v1.1/google.com': { body: GMAIL } });
    const s = await lookupProviderSettings('me@company.test', { fetchText: h.fetchText, dns: stubDns({}, { 'company.test': 'aspmx.l.google.com' }), timeoutMs: 2000 });
    expect(s).toMatchObject({ source: 'mx-ispdb', servers: [{ hostname: 'smtp.gmail.com' }] });
  });

  it('nothing found, a broken document, and a server that never answers all end within the bound', async () => {
    const h = await serve({
      '/autoconfig.nothing.test/mail/config-v1.1.xml': { body: '<html>parked domain</html>' },
      '/nothing.test/.well-known/autoconfig/mail/config-v1.1.xml': { body: GMAIL, delayMs: 5000 },
    });
    const s = await lookupProviderSettings('nothing.test', { fetchText: h.fetchText, dns: stubDns({}, {}), timeoutMs: 500 });
    expect(s).toMatchObject({ source: null, servers: [] });
    const byTarget = Object.fromEntries(s.tried.map((t) => [t.source, t.result]));
    expect(byTarget.autoconfig).toMatch(/not a Thunderbird autoconfig/);
    expect(byTarget['well-known']).toMatch(/failed/);
    expect(byTarget.ispdb).toBe('HTTP 404');
  });

  it('rejects what is not a domain', async () => {
    await expect(lookupProviderSettings('bob@-bad-', {})).rejects.toThrow(/not a mail domain/);
  });

  it('diagnoseSmtp with an address adds the provider section and says when the tested host is not the provider\'s', async () => {
    const h = await serve({ '/autoconfig.thunderbird.net/v1.1/gmail.com': { body: GMAIL } });
    const port = await closedPort();
    const { section, findings } = await diagnoseSmtp({
      host: '127.0.0.1', ports: [port], timeoutMs: 2000, email: 'a@gmail.com',
      providerLookup: { fetchText: h.fetchText, dns: stubDns({}, {}) },
    });
    SmtpSection.parse(section);
    expect(section.provider?.source).toBe('ispdb');
    const f = findings.find((x) => x.id === 'smtp.provider-host-differs');
    expect(f?.fixes[0]?.id).toBe('smtp.use-server:smtp.gmail.com:465:implicit');
  });
});
