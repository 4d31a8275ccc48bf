import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

// The one DNS seam: the SMTP probe and the network checks resolve through it, so both pick the same address;
// tests pass a stub resolver instead of the network.

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export type Resolver = (host: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = async (host) => {
  const all = await lookup(host, { all: true });
  return all.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

export interface DnsStep {
  address: string | null;
  /** The first address of the other family, tried when `address` cannot be connected to. */
  alternate: string | null;
  lines: string[];
  error: string | null;
}

/** Resolves `host` (bounded by `timeoutMs`); an IP literal is used as is. */
export async function resolveHost(host: string, resolver: Resolver, timeoutMs: number): Promise<DnsStep> {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  if (isIP(bare)) return { address: bare, alternate: null, lines: [`${bare} is an IP address: no DNS lookup`], error: null };
  const t0 = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(Object.assign(new Error(`DNS lookup took longer than ${timeoutMs} ms`), { code: 'ETIMEOUT' })), timeoutMs);
    });
    const found = await Promise.race([resolver(host), timeout]);
    const ms = Math.round(performance.now() - t0);
    if (found.length === 0) return { address: null, alternate: null, lines: [`DNS ${host}: no address (${ms} ms)`], error: 'ENODATA: no A/AAAA record' };
    // Prefer IPv4 like most mail programs on networks with broken IPv6; the rest is listed for evidence, and the first
    // address of the other family is tried when the chosen one cannot be connected to (service.ts).
    const chosen = found.find((a) => a.family === 4) ?? found[0]!;
    const alternate = found.find((a) => a.family !== chosen.family)?.address ?? null;
    const list = found.map((a) => `${a.address} (${a.family === 4 ? 'A' : 'AAAA'})`).join(', ');
    return { address: chosen.address, alternate, lines: [`DNS ${host} → ${list} in ${ms} ms; using ${chosen.address}`], error: null };
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const msg = `${err.code ?? 'EDNS'}: ${err.message}`;
    return { address: null, alternate: null, lines: [`DNS ${host} failed: ${msg}`], error: msg };
  } finally {
    clearTimeout(timer);
  }
}

/** The address a host name leads to, chosen as resolveHost chooses it (bounded by `timeoutMs`); null when none. */
export async function toAddress(host: string, resolver: Resolver, timeoutMs = 5_000): Promise<string | null> {
  return (await resolveHost(host, resolver, timeoutMs)).address;
}
