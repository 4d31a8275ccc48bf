import type { Finding } from '../core/finding.ts';
import { throwIfCancelled } from '../core/errors.ts';
import type { AuthMechanism, PortResult, SmtpSection } from './schema.ts';
import { probePort, type StepTimeouts } from './probe.ts';
import { resolveHost, systemResolver, type Resolver } from '../core/resolve.ts';
import { recommend } from './recommend.ts';
import { diagnose, type ConfiguredServer } from './diagnose.ts';
import type { ReplyLimits } from './reply-parser.ts';
import { lookupProviderSettings, type LookupOptions } from './provider/lookup.ts';
import type { ProviderSettings } from './provider/schema.ts';

export { lookupProviderSettings } from './provider/lookup.ts';
export { sendTestMessage } from './test-message.ts';
export type { FetchText, ProviderDns } from './provider/lookup.ts';

export interface SmtpProbeOptions {
  host: string;
  ports?: number[];
  timeoutMs?: number;
  from?: string;
  to?: string;
  user?: string;
  /** In memory only; never logged, stored or put into a transcript. */
  password?: string;
  /** An OAuth 2.0 access token, tested through XOAUTH2/OAUTHBEARER; held like the password (memory only, never shown). */
  oauthToken?: string;
  /** Sign in with this mechanism only (to test what the mail program uses). */
  authMechanism?: AuthMechanism;
  insecureTlsOk?: boolean;
  signal?: AbortSignal;
  /** Ports that speak TLS from the first byte besides 465. */
  implicitPorts?: number[];
  /** Per-step timeouts; each defaults to `timeoutMs`. */
  timeouts?: Partial<StepTimeouts>;
  /** DNS seam (tests inject a stub). */
  resolver?: Resolver;
  /** Name sent in EHLO. */
  heloName?: string;
  /** false: never send STARTTLS (to see what a program with encryption off gets). */
  starttls?: boolean;
  /** Extra trusted root certificates (PEM). */
  extraCa?: string[];
  /** The account's current settings, to compare with what works. */
  configured?: ConfiguredServer;
  limits?: ReplyLimits;
  /** The user's address (or domain): also look up what the provider says the settings are (bounded, optional). */
  email?: string;
  /** Seams for that lookup (fetch, DNS, timeout). */
  providerLookup?: LookupOptions;
}

export const DEFAULT_PORTS = [25, 465, 587, 2525];
export const DEFAULT_TIMEOUT_MS = 10_000;

/** Probe a host's SMTP ports concurrently and diagnose the result. */
export async function diagnoseSmtp(opts: SmtpProbeOptions): Promise<{ section: SmtpSection; findings: Finding[] }> {
  const ports = [...new Set(opts.ports ?? DEFAULT_PORTS)];
  const base = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timeouts: StepTimeouts = { connect: base, greeting: base, tls: base, command: base, ...opts.timeouts };
  const provider: Promise<ProviderSettings | null> = opts.email
    ? lookupProviderSettings(opts.email, { timeoutMs: base, ...opts.providerLookup }).catch(() => null)
    : Promise.resolve(null);
  const dns = await resolveHost(opts.host, opts.resolver ?? systemResolver, timeouts.connect);
  const implicit = new Set([465, ...(opts.implicitPorts ?? [])]);
  let results: PortResult[];
  if (dns.address === null) {
    results = ports.map((port) => ({
      port, security: implicit.has(port) ? 'implicit' : 'none', outcome: 'unreachable', phase: 'dns', reply: null, tls: null,
      ms: 0, transcript: dns.lines.map((text) => ({ t: 0, dir: 'i' as const, text })), address: null, error: dns.error, capabilities: null,
    }));
  } else {
    const address = dns.address;
    const alternate = dns.alternate;
    const probe = (port: number, at: string, preamble: string[]) => probePort({
      host: opts.host.replace(/^\[(.*)\]$/, '$1'), address: at, port, implicitTls: implicit.has(port), timeouts,
      heloName: opts.heloName ?? 'mailmedic.invalid', starttls: opts.starttls, user: opts.user, password: opts.password,
      oauthToken: opts.oauthToken, authMechanism: opts.authMechanism,
      from: opts.from, to: opts.to, insecureTlsOk: opts.insecureTlsOk, extraCa: opts.extraCa, limits: opts.limits,
      signal: opts.signal, preamble,
    });
    // All ports at once: the wall time is the slowest port, not the sum.
    results = await Promise.all(ports.map(async (port) => {
      const first = await probe(port, address, dns.lines);
      // Like a mail program, try the other address family when this one cannot even be connected to (a host whose
      // IPv4 path is blocked but IPv6 works, or the reverse). The first failure stays in the transcript.
      if (first.phase !== 'connect' || alternate === null || opts.signal?.aborted) return first;
      const second = await probe(port, alternate, [
        ...first.transcript.map((l) => l.text),
        `${address} port ${port}: ${first.outcome}${first.error ? ` (${first.error})` : ''}; trying ${alternate}`,
      ]);
      if (second.phase !== 'connect') return second;
      const note = `${alternate} port ${port}: ${second.outcome}${second.error ? ` (${second.error})` : ''} as well`;
      return { ...first, transcript: [...first.transcript, { t: first.ms, dir: 'i' as const, text: note }] };
    }));
  }
  // A probe stopped by the caller ends as a timeout on its port; the call itself is cancelled, not a finding.
  throwIfCancelled(opts.signal, 'SMTP probe');
  const section: SmtpSection = { host: opts.host, address: dns.address, ports: results, recommended: recommend(results) };
  if (opts.email) section.provider = await provider;
  return { section, findings: diagnose(section, opts.configured) };
}
