import { resolveMx, resolveSrv } from 'node:dns/promises';
import type { ProviderServer, ProviderSettings, ProviderSource } from './schema.ts';
import { MAX_XML_BYTES, parseAutoconfig } from './autoconfig.ts';

// Provider settings lookup in Thunderbird's order (https://wiki.mozilla.org/Thunderbird:Autoconfiguration):
// autoconfig.<domain>, the domain's .well-known file, the ISPDB, then RFC 6186 SRV records, then the ISPDB entry of
// the MX's base domain.
// Every network call is bounded and injectable. HTTPS only: a config fetched over plain HTTP could be forged
// to send the user's password to someone else.

export interface FetchResult {
  status: number;
  body: string;
}
export type FetchText = (url: string, timeoutMs: number) => Promise<FetchResult>;

export interface ProviderDns {
  srv(name: string): Promise<Array<{ name: string; port: number; priority: number; weight: number }>>;
  mx(domain: string): Promise<Array<{ exchange: string; priority: number }>>;
}

export interface LookupOptions {
  fetchText?: FetchText;
  dns?: ProviderDns;
  timeoutMs?: number;
  ispdbBase?: string;
}

export const ISPDB_BASE = 'https://autoconfig.thunderbird.net/v1.1/';

/** Global fetch with a deadline and a size cap (the body is read only up to MAX_XML_BYTES). */
export const defaultFetchText: FetchText = async (url, timeoutMs) => {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
  if (!res.body) return { status: res.status, body: '' };
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > MAX_XML_BYTES) {
      await reader.cancel();
      throw new Error(`response larger than ${MAX_XML_BYTES} bytes`);
    }
    chunks.push(value);
  }
  return { status: res.status, body: Buffer.concat(chunks).toString('utf8') };
};

export const systemProviderDns: ProviderDns = { srv: resolveSrv, mx: resolveMx };

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

interface Attempt {
  source: ProviderSource;
  target: string;
  result: string;
  providerName: string | null;
  servers: ProviderServer[];
}

async function fromXml(source: ProviderSource, url: string, email: string | null, o: Required<Pick<LookupOptions, 'fetchText' | 'timeoutMs'>>): Promise<Attempt> {
  try {
    const r = await o.fetchText(url, o.timeoutMs);
    if (r.status !== 200) return { source, target: url, result: `HTTP ${r.status}`, providerName: null, servers: [] };
    const parsed = parseAutoconfig(r.body, email);
    return { source, target: url, result: `${parsed.servers.length} outgoing server(s)`, ...parsed };
  } catch (e) {
    return { source, target: url, result: `failed: ${(e as Error).message}`, providerName: null, servers: [] };
  }
}

async function fromSrv(domain: string, dns: ProviderDns, timeoutMs: number): Promise<Attempt[]> {
  const one = async (label: string, security: 'implicit' | 'starttls'): Promise<Attempt> => {
    const target = `${label}._tcp.${domain}`;
    try {
      const recs = await withTimeout(dns.srv(target), timeoutMs, `SRV ${target}`);
      // Target "." means "not offered" (RFC 6186 §4); lower priority first, then higher weight.
      const usable = recs.filter((r) => r.name && r.name !== '.').sort((a, b) => a.priority - b.priority || b.weight - a.weight);
      return {
        source: 'srv', target, result: `${usable.length} record(s)`, providerName: null,
        servers: usable.slice(0, 5).map((r) => ({ hostname: r.name.replace(/\.$/, ''), port: r.port, security, authentication: [], username: null })),
      };
    } catch (e) {
      return { source: 'srv', target, result: `failed: ${(e as Error).message}`, providerName: null, servers: [] };
    }
  };
  // RFC 8314: implicit TLS (_submissions) is preferred over STARTTLS (_submission).
  return Promise.all([one('_submissions', 'implicit'), one('_submission', 'starttls')]);
}

/** Base domain of an MX host: its last two labels (good enough for the big providers; not a public-suffix list). */
export function mxBaseDomain(exchange: string): string {
  return exchange.replace(/\.$/, '').split('.').slice(-2).join('.').toLowerCase();
}

const DOMAIN_RE = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/** Looks up what the provider of `emailOrDomain` says the outgoing server is. */
export async function lookupProviderSettings(emailOrDomain: string, opts: LookupOptions = {}): Promise<ProviderSettings> {
  const at = emailOrDomain.lastIndexOf('@');
  const email = at > 0 ? emailOrDomain : null;
  const domain = (at >= 0 ? emailOrDomain.slice(at + 1) : emailOrDomain).trim().toLowerCase();
  if (!DOMAIN_RE.test(domain)) throw new Error(`not a mail domain: ${JSON.stringify(domain)}`);
  const o = { fetchText: opts.fetchText ?? defaultFetchText, timeoutMs: opts.timeoutMs ?? 5000 };
  const dns = opts.dns ?? systemProviderDns;
  const base = opts.ispdbBase ?? ISPDB_BASE;
  const q = email ? `?emailaddress=${encodeURIComponent(email)}` : '';

  const mxChain = async (): Promise<Attempt[]> => {
    try {
      const mx = await withTimeout(dns.mx(domain), o.timeoutMs, `MX ${domain}`);
      const best = [...mx].sort((a, b) => a.priority - b.priority)[0];
      if (!best) return [{ source: 'mx-ispdb', target: `MX ${domain}`, result: 'no MX record', providerName: null, servers: [] }];
      const mxDomain = mxBaseDomain(best.exchange);
      if (mxDomain === domain) return [{ source: 'mx-ispdb', target: `MX ${domain}`, result: `MX ${best.exchange} is in the same domain`, providerName: null, servers: [] }];
      return [await fromXml('mx-ispdb', `${base}${mxDomain}`, email, o)];
    } catch (e) {
      return [{ source: 'mx-ispdb', target: `MX ${domain}`, result: `failed: ${(e as Error).message}`, providerName: null, servers: [] }];
    }
  };

  // All at once (each bounded); the answer is taken in Thunderbird's order.
  const attempts = (await Promise.all([
    fromXml('autoconfig', `https://autoconfig.${domain}/mail/config-v1.1.xml${q}`, email, o).then((a) => [a]),
    fromXml('well-known', `https://${domain}/.well-known/autoconfig/mail/config-v1.1.xml${q}`, email, o).then((a) => [a]),
    fromXml('ispdb', `${base}${domain}`, email, o).then((a) => [a]),
    fromSrv(domain, dns, o.timeoutMs),
    mxChain(),
  ])).flat();

  const order: ProviderSource[] = ['autoconfig', 'well-known', 'ispdb', 'srv', 'mx-ispdb'];
  for (const source of order) {
    const hits = attempts.filter((a) => a.source === source && a.servers.length > 0);
    if (hits.length === 0) continue;
    return {
      domain, source, providerName: hits.find((h) => h.providerName)?.providerName ?? null,
      servers: hits.flatMap((h) => h.servers),
      tried: attempts.map(({ source: s, target, result }) => ({ source: s, target, result })),
    };
  }
  return { domain, source: null, providerName: null, servers: [], tried: attempts.map(({ source: s, target, result }) => ({ source: s, target, result })) };
}
