import type { Cause, Report } from '../contract/report.ts';
import type { Finding, Severity } from '../core/finding.ts';
import type { Account } from '../clients/schema.ts';
import type { PortResult, SmtpSection, SmtpSecurity } from '../smtp/schema.ts';
import { parseUsePortSuggestion, smtpPortAction, usePortSuggestion, type PortChoice } from '../core/fix-id.ts';

// Findings → causes: one cause per problem as the user would name it, each with the findings that prove it and the
// one next step first. Pure: a report in, its causes out. Findings are claimed by the rules below in order, so each
// lands in exactly one cause:
//   1. a provider-side block or deferral of a server (changing ports will not help), with that server's 4xx/5xx replies
//      (a refusal on the port an account uses, where another port answers, goes with that account's port cause);
//   2. an antivirus that intercepts TLS, with the certificates and failures it causes;
//   3. one server's certificate problems, with the encryption failures they cause;
//   4. one server's sign-in problem (a password sent in clear goes with its account's port cause, whose fix encrypts);
//   5. one server and port an account is set up with wrongly, with the probe outcomes on that port;
//   6. a network blocker (the firewall, a VPN, a proxy-only network), with the failed ports it explains;
//   7. then the rest of a server's port story, to the account cause that covers it (with "no port works", which then
//      is what stops the account) or to its sign-in cause;
//   8. one server's failed ports that nothing above explains; "no port works" goes with the one cause that explains
//      every failed port, if there is one;
//   9. one PST/OST file's problems;
//  10. every other warning or error alone; the remaining notes in "Some checks could not run" and "Also worth knowing"
//      (a card per note would bury the problems; a note that is alone keeps its own title).
// A cause's fixes are its findings' fixes, the one next step first, less those known not to help: a switch to a port
// the probe saw fail, or the password again where the provider has password sign-in off.

type Kind =
  | 'account-port'
  | 'sign-in'
  | 'firewall'
  | 'vpn'
  | 'antivirus'
  | 'proxy'
  | 'provider-block'
  | 'certificate'
  | 'ports'
  | 'pst'
  | 'single'
  | 'not-checked'
  | 'info';

/** Equal severity: what a person fixes first — their own settings, sign-in, this computer, then the rest. */
const KIND_ORDER: Kind[] = ['account-port', 'sign-in', 'firewall', 'vpn', 'antivirus', 'proxy', 'provider-block', 'certificate', 'ports', 'pst', 'single', 'not-checked', 'info'];
const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

const SEC: Record<SmtpSecurity, string> = { none: 'no encryption', starttls: 'STARTTLS', implicit: 'SSL/TLS' };

/** Probe outcomes per port, as `smtp.<kind>.<port>` finding ids. */
const PORT_OUTCOME = new Set(['port-blocked', 'port-refused', 'stalled', 'unreachable', 'no-banner', 'reset', 'tls-reset', 'deferred', 'rejected', 'tls-failed']);
/** The outcomes a blocker on the path (firewall, VPN, proxy) explains. */
const PATH_BLOCKED = new Set(['port-blocked', 'port-refused', 'stalled', 'unreachable', 'reset', 'tls-reset', 'no-banner']);
const CERTIFICATE = new Set(['tls-self-signed', 'tls-untrusted', 'tls-name-mismatch', 'tls-expired']);
/** Account findings about the outgoing port or security; each starts an account-port cause. */
const ACCOUNT_PORT = new Set(['accounts.smtp.465-starttls', 'accounts.smtp.587-implicit', 'accounts.smtp.25-submission', 'accounts.smtp.probe-mismatch']);
const NOT_CHECKED = /\.not-checked(\.|$)|\.partly-checked\.|\.could-not-parse\.|^network\.firewall-unknown\.|\.reader-failed$/;

/** What the grouping reads of one finding. */
interface Facts {
  f: Finding;
  /** `smtp.<kind>.<port>` → kind. */
  smtpKind: string | null;
  host: string | null;
  port: number | null;
  account: string | null;
  path: string | null;
}

interface Draft {
  id: string;
  kind: Kind;
  host: string | null;
  port: number | null;
  at: number[];
}

type Source = Pick<Report, 'findings'> & Partial<Pick<Report, 'smtp' | 'smtpHosts' | 'accounts'>>;

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) ? v : null);
const rec = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

function factsOf(f: Finding, defaultHost: string | null): Facts {
  const e = f.evidence;
  const m = /^smtp\.([a-z-]+)\.(\d+)$/.exec(f.id);
  const host = str(e.host)?.toLowerCase() ?? (f.id.startsWith('smtp.') ? defaultHost : null);
  const port = m ? Number(m[2]) : (num(e.port) ?? num(rec(e.configured).port) ?? num(rec(e.probe).port));
  return { f, smtpKind: m ? m[1]! : null, host, port, account: str(e.account), path: str(e.path) };
}

class Grouping {
  readonly facts: Facts[];
  readonly owner: (Draft | null)[];
  readonly drafts = new Map<string, Draft>();
  private readonly sections: SmtpSection[];

  constructor(readonly source: Source) {
    this.sections = [...(source.smtp ? [source.smtp] : []), ...(source.smtpHosts ?? [])];
    // A report about one server (`mailmedic smtp HOST`): its findings are about that server even without evidence.host.
    const only = this.sections.length === 1 ? this.sections[0]!.host.toLowerCase() : null;
    this.facts = source.findings.map((f) => factsOf(f, only));
    this.owner = source.findings.map(() => null);
  }

  section(host: string | null): SmtpSection | null {
    return host === null ? null : (this.sections.find((s) => s.host.toLowerCase() === host) ?? null);
  }

  probed(host: string | null, port: number | null): PortResult | null {
    return port === null ? null : (this.section(host)?.ports.find((p) => p.port === port) ?? null);
  }

  /** Puts finding `i` into the cause `id` (created on first use), unless an earlier rule has it already. */
  claim(i: number, id: string, kind: Kind, where: { host?: string | null; port?: number | null } = {}): void {
    if (this.owner[i]) return;
    let d = this.drafts.get(id);
    if (!d) {
      d = { id, kind, host: where.host ?? null, port: where.port ?? null, at: [] };
      this.drafts.set(id, d);
    }
    d.at.push(i);
    this.owner[i] = d;
  }

  /** The unclaimed findings that match. */
  free(match: (x: Facts) => boolean): number[] {
    return this.facts.flatMap((x, i) => (!this.owner[i] && match(x) ? [i] : []));
  }

  of(kind: Kind): Draft[] {
    return [...this.drafts.values()].filter((d) => d.kind === kind);
  }
}

export function groupCauses(source: Source): Cause[] {
  const g = new Grouping(source);
  const setups = accountPortKeys(g);
  providerBlocks(g, setups);
  antivirus(g);
  certificates(g);
  signIn(g, setups);
  accountPorts(g);
  firewall(g);
  vpn(g);
  proxy(g);
  serverStories(g);
  ports(g);
  pstFiles(g);
  rest(g);
  return [...g.drafts.values()]
    .map((d) => ({ d, cause: build(g, d) }))
    .sort((a, b) => RANK[a.cause.severity] - RANK[b.cause.severity] || KIND_ORDER.indexOf(a.d.kind) - KIND_ORDER.indexOf(b.d.kind) || a.d.at[0]! - b.d.at[0]!)
    .map(({ cause }) => cause);
}

/** The report with its causes. */
export function withCauses<R extends Source>(report: R): R & { causes: Cause[] } {
  return { ...report, causes: groupCauses(report) };
}

// ── the rules, in the order they claim findings ──────────────────────────────────────────────────────────────────

function providerBlocks(g: Grouping, setups: Set<string>): void {
  // A refusal on the one port an account uses, while another port of the server answers, is that account's port story.
  const portStory = (x: Facts) => x.f.evidence.changingPortsHelps === true && setups.has(`${x.host ?? ''}:${x.port ?? ''}`);
  for (const i of g.free((x) => x.f.id.startsWith('smtp.provider-block.') && !portStory(x))) {
    const { host } = g.facts[i]!;
    g.claim(i, `provider-block:${host ?? ''}`, 'provider-block', { host });
  }
  for (const d of g.of('provider-block')) {
    for (const i of g.free((x) => x.host === d.host && (x.smtpKind === 'deferred' || x.smtpKind === 'rejected'))) g.claim(i, d.id, d.kind);
  }
}

function antivirus(g: Grouping): void {
  const vendors = new Set<string>();
  const vendor = (name: unknown) => str(name)?.toLowerCase().split(/\s+/)[0] ?? null;
  for (const i of g.free((x) => x.f.id.startsWith('network.av-intercepts-tls.') || x.smtpKind === 'tls-intercepted' || x.f.id.startsWith('network.guide.av-'))) {
    const x = g.facts[i]!;
    const e = x.f.evidence;
    for (const v of [vendor(rec(e.antivirus).name), vendor(rec(e.certificate).interceptedBy), vendor(g.probed(x.host, x.port)?.tls?.interceptedBy)]) if (v) vendors.add(v);
    g.claim(i, 'antivirus', 'antivirus');
  }
  if (!g.drafts.has('antivirus')) return;
  // The failures the interception causes, and the note that the product is active.
  for (const i of g.free((x) => (x.smtpKind === 'tls-failed' || x.smtpKind === 'no-banner' || x.smtpKind === 'tls-reset') && !!g.probed(x.host, x.port)?.tls?.interceptedBy)) g.claim(i, 'antivirus', 'antivirus');
  for (const i of g.free((x) => x.f.id.startsWith('network.antivirus.active.') && vendors.has(vendor(rec(x.f.evidence.product).name) ?? ''))) g.claim(i, 'antivirus', 'antivirus');
}

function certificates(g: Grouping): void {
  for (const i of g.free((x) => CERTIFICATE.has(x.smtpKind ?? ''))) {
    const { host } = g.facts[i]!;
    g.claim(i, `certificate:${host ?? ''}`, 'certificate', { host });
  }
  for (const d of g.of('certificate')) {
    const ports = new Set(d.at.map((i) => g.facts[i]!.port));
    // A handshake refused because of the certificate (not a port that does not speak TLS at all).
    for (const i of g.free((x) => x.host === d.host && x.smtpKind === 'tls-failed' && ports.has(x.port) && !/wrong version number|packet length/i.test(g.probed(x.host, x.port)?.error ?? ''))) {
      g.claim(i, d.id, d.kind);
    }
  }
}

/** "host:port" of every account-port cause to come, so sign-in knows which password findings to leave to it. */
function accountPortKeys(g: Grouping): Set<string> {
  return new Set(g.free(isAccountPort).map((i) => `${g.facts[i]!.host ?? ''}:${g.facts[i]!.port ?? ''}`));
}

function isAccountPort(x: Facts): boolean {
  return ACCOUNT_PORT.has(x.f.id) || x.smtpKind === 'switch-port' || x.smtpKind === 'wrong-security';
}

function signIn(g: Grouping, setups: Set<string>): void {
  const isSignIn = (x: Facts) =>
    x.f.id.startsWith('smtp.signin.') ||
    x.f.id.startsWith('smtp.auth-') ||
    x.f.id === 'accounts.smtp.no-auth' ||
    // A password sent in clear on the port an account cause switches to encryption is part of that cause.
    (x.f.id === 'accounts.smtp.plaintext-password' && !setups.has(`${x.host ?? ''}:${x.port ?? ''}`));
  for (const i of g.free(isSignIn)) {
    const { host } = g.facts[i]!;
    g.claim(i, `sign-in:${host ?? ''}`, 'sign-in', { host });
  }
}

function accountPorts(g: Grouping): void {
  for (const i of g.free(isAccountPort)) {
    const { host, port } = g.facts[i]!;
    g.claim(i, `account-port:${host ?? ''}:${port ?? ''}`, 'account-port', { host, port });
  }
  for (const d of g.of('account-port')) {
    const proof = (x: Facts) =>
      x.host === d.host &&
      x.port === d.port &&
      (PORT_OUTCOME.has(x.smtpKind ?? '') || x.smtpKind === 'no-encryption' || x.smtpKind === 'provider-block' || x.f.id === 'accounts.smtp.plaintext-password');
    for (const i of g.free(proof)) g.claim(i, d.id, d.kind);
  }
}

function firewall(g: Grouping): void {
  const ports = new Set<number>();
  for (const i of g.free((x) => /^network\.(firewall\.blocks|blocked-by-rule|blocked-by-default-policy)\.\d+$|^network\.firewall\.default-outbound-block\.|^network\.guide\.windows-block-rule\./.test(x.f.id))) {
    const m = /\.(\d+)$/.exec(g.facts[i]!.f.id);
    if (m && !g.facts[i]!.f.id.startsWith('network.firewall.default-outbound-block.')) ports.add(Number(m[1]));
    g.claim(i, 'firewall', 'firewall');
  }
  if (!g.drafts.has('firewall')) return;
  for (const i of g.free((x) => PATH_BLOCKED.has(x.smtpKind ?? '') && ports.has(x.port ?? -1))) g.claim(i, 'firewall', 'firewall');
}

function vpn(g: Grouping): void {
  for (const i of g.free((x) => x.f.id.startsWith('network.vpn-route.'))) {
    const x = g.facts[i]!;
    const id = `vpn:${x.f.id.slice('network.vpn-route.'.length)}`;
    g.claim(i, id, 'vpn', { host: x.host });
    const failed = Array.isArray(x.f.evidence.failed) ? x.f.evidence.failed.map((p) => num(rec(p).port)) : [];
    for (const j of g.free((y) => y.host === x.host && PATH_BLOCKED.has(y.smtpKind ?? '') && failed.includes(y.port))) g.claim(j, id, 'vpn');
  }
  const first = g.of('vpn')[0];
  if (!first) return;
  for (const i of g.free((x) => x.f.id === 'network.route.via-vpn' || x.f.id === 'network.vpn.active' || x.f.id.startsWith('network.guide.vpn-'))) g.claim(i, first.id, 'vpn');
}

function proxy(g: Grouping): void {
  for (const i of g.free((x) => x.f.id === 'network.proxy-only-network')) {
    const { host } = g.facts[i]!;
    g.claim(i, 'proxy', 'proxy', { host });
    for (const j of g.free((y) => y.host === host && (y.smtpKind === 'port-blocked' || y.smtpKind === 'stalled'))) g.claim(j, 'proxy', 'proxy');
  }
  if (g.drafts.has('proxy')) for (const i of g.free((x) => x.f.id === 'network.proxy.set')) g.claim(i, 'proxy', 'proxy');
}

/**
 * Where one cause already tells a server's story, the rest of its port outcomes are details of it: an account's port
 * cause (the other failures, a port without encryption, which port to use, or that none works), else the server's
 * sign-in cause (the ports answer; only the sign-in fails).
 */
function serverStories(g: Grouping): void {
  const story = (x: Facts) => PORT_OUTCOME.has(x.smtpKind ?? '') || x.smtpKind === 'no-encryption' || x.f.id === 'smtp.recommended';
  for (const d of g.of('account-port')) {
    // Where no port of the server works, that is what stops the account: "no port works" and the other failures join it.
    const none = (x: Facts) => !g.section(d.host)?.recommended && x.f.id === 'smtp.no-working-port';
    for (const i of g.free((x) => x.host === d.host && (story(x) || none(x)))) g.claim(i, d.id, d.kind);
  }
  for (const d of g.of('sign-in')) for (const i of g.free((x) => x.host === d.host && story(x))) g.claim(i, d.id, d.kind);
}

/** A server's failed ports nothing above explains: one cause per server, when at least one is worth a warning. */
function ports(g: Grouping): void {
  // "No port works" belongs to the one cause that explains every failed port (a certificate, a firewall, the sign-in),
  // so the story is that cause, not the ports.
  for (const i of g.free((x) => x.f.id === 'smtp.no-working-port')) {
    const host = g.facts[i]!.host;
    const failed = g.facts.flatMap((x, j) => (x.host === host && (PORT_OUTCOME.has(x.smtpKind ?? '') || x.smtpKind === 'auth-failed') ? [j] : []));
    const owners = new Set(failed.map((j) => g.owner[j]));
    const only = owners.size === 1 ? [...owners][0] : null;
    if (only) g.claim(i, only.id, only.kind);
  }
  const byHost = new Map<string, number[]>();
  for (const i of g.free((x) => PORT_OUTCOME.has(x.smtpKind ?? '') || x.f.id === 'smtp.no-working-port' || x.f.id === 'smtp.recommended')) {
    const host = g.facts[i]!.host ?? '';
    byHost.set(host, [...(byHost.get(host) ?? []), i]);
  }
  for (const [host, at] of byHost) {
    // Only notes (a closed extra port, which port to use): they read better among the other notes.
    if (at.every((i) => g.facts[i]!.f.severity === 'info')) continue;
    for (const i of at) g.claim(i, `ports:${host}`, 'ports', { host });
    // A port that works without encryption belongs to the same story of that server's ports.
    for (const i of g.free((x) => (x.host ?? '') === host && x.smtpKind === 'no-encryption')) g.claim(i, `ports:${host}`, 'ports');
  }
}

function pstFiles(g: Grouping): void {
  for (const i of g.free((x) => x.path !== null && (x.f.area === 'pst' || x.f.id.startsWith('accounts.datafile.')))) {
    const { path } = g.facts[i]!;
    g.claim(i, `pst:${path}`, 'pst');
  }
  // Findings about a set of files are about the file when the set is one file.
  for (const i of g.free((x) => x.f.id === 'pst.ost' || x.f.id === 'pst.password-protected')) {
    const paths = g.facts[i]!.f.evidence.paths;
    const only = Array.isArray(paths) && paths.length === 1 ? str(paths[0]) : null;
    if (only) g.claim(i, `pst:${only}`, 'pst');
  }
  const files = g.of('pst');
  for (const i of g.free((x) => x.f.id === 'pst.summary' && x.f.evidence.files === 1)) if (files.length === 1) g.claim(i, files[0]!.id, 'pst');
}

function rest(g: Grouping): void {
  const used = new Map<string, number>();
  for (const i of g.free(() => true)) {
    const f = g.facts[i]!.f;
    if (f.severity === 'info') {
      g.claim(i, NOT_CHECKED.test(f.id) ? 'not-checked' : 'info', NOT_CHECKED.test(f.id) ? 'not-checked' : 'info');
      continue;
    }
    const n = (used.get(f.id) ?? 0) + 1;
    used.set(f.id, n);
    g.claim(i, n === 1 ? `finding:${f.id}` : `finding:${f.id}#${n}`, 'single');
  }
}

// ── the causes' words ────────────────────────────────────────────────────────────────────────────────────────────

interface Words {
  title: string;
  summary: string;
  /** The fix to put first: the port/security that works. */
  target?: PortChoice | null;
}

function build(g: Grouping, d: Draft): Cause {
  const at = [...d.at].sort((a, b) => a - b);
  const xs = at.map((i) => g.facts[i]!);
  const fs = xs.map((x) => x.f);
  const severity = fs.reduce<Severity>((s, f) => (RANK[f.severity] < RANK[s] ? f.severity : s), 'info');
  const words = WORDS[d.kind](g, d, xs);
  const fixes = orderFixes(d.kind, fs, words.target ?? null).filter((id) => !switchesToFailedPort(g, d.host, id) && !(id === REENTER_PASSWORD && passwordWontHelp(fs)));
  return { id: d.id, title: words.title, summary: words.summary, severity, findings: fs.map((f) => f.id), findingIndexes: at, fixes };
}

const REENTER_PASSWORD = 'smtp.reenter-password';

/** The provider has password sign-in off or wants OAuth: entering the password again is no way out. */
function passwordWontHelp(fs: Finding[]): boolean {
  return fs.some((f) => f.id === 'smtp.signin.oauth-required' || f.id === 'smtp.signin.basic-auth-off');
}

/** A switch to a port the probe saw fail on this server is no way out; the finding that offers it still says so. */
function switchesToFailedPort(g: Grouping, host: string | null, fixId: string): boolean {
  // A mail program's switch ends in its action ("…:smtp-465-implicit"); the diagnosis' suggestion is "smtp.use-port:465:implicit".
  const m = /:smtp-(\d+)-(none|starttls|implicit)$/.exec(fixId);
  const choice = m ? { port: Number(m[1]), security: m[2] as SmtpSecurity } : parseUsePortSuggestion(fixId);
  return choice !== null && failedHere(g, host, choice);
}

/** The probe tried this port and it failed: before any encryption (so with any), or with this very security. */
function failedHere(g: Grouping, host: string | null, c: PortChoice): boolean {
  const p = g.probed(host, c.port);
  return p !== null && p.outcome !== 'ok' && (p.phase === 'connect' || p.phase === 'dns' || p.security === c.security);
}

/** Every fix of the findings once; the one next step first. */
function orderFixes(kind: Kind, fs: Finding[], target: PortChoice | null): string[] {
  const ids = [...new Set(fs.flatMap((f) => f.fixes.map((x) => x.id)))];
  const score = (id: string): number => {
    // The mail program's own switch to the port that works; then the bare suggestion, when no program offers it.
    if (target && id.endsWith(`:${smtpPortAction(target)}`)) return 0;
    if (target && id === usePortSuggestion(target)) return 1;
    // A sign-in finding that names the way out (modern sign-in, an app password) outranks "enter the password again".
    if (kind === 'sign-in' && fs.some((f) => f.id.startsWith('smtp.signin.') && f.fixes.some((x) => x.id === id))) return 0;
    return 2;
  };
  return ids.map((id, i) => ({ id, i, s: score(id) })).sort((a, b) => a.s - b.s || a.i - b.i).map((x) => x.id);
}

/** The most serious finding: the report lists findings most serious first. */
const top = (xs: Facts[]): Finding => xs[0]!.f;

const single = (_g: Grouping, _d: Draft, xs: Facts[]): Words => ({ title: top(xs).title, summary: top(xs).detail });

/** The words of the finding that names the cause (the VPN route, the provider's block), else of the most serious one. */
const ledBy = (prefix: string) => (g: Grouping, d: Draft, xs: Facts[]): Words => {
  const lead = xs.find((x) => x.f.id.startsWith(prefix));
  return lead ? { title: lead.f.title, summary: lead.f.detail } : single(g, d, xs);
};

const WORDS: Record<Kind, (g: Grouping, d: Draft, xs: Facts[]) => Words> = {
  'account-port': accountPortWords,
  'sign-in': signInWords,
  firewall: firewallWords,
  vpn: ledBy('network.vpn-route.'),
  antivirus: antivirusWords,
  proxy: ledBy('network.proxy-only-network'),
  'provider-block': ledBy('smtp.provider-block.'),
  certificate: certificateWords,
  ports: portsWords,
  pst: single,
  single,
  'not-checked': (g, d, xs) =>
    xs.length === 1
      ? single(g, d, xs)
      : { title: 'Some checks could not run', summary: `Not checked: ${xs.map((x) => x.f.title.replace(/^Could not (check|parse) /, '')).join('; ')}. This is not an all clear.` },
  info: (g, d, xs) => (xs.length === 1 ? single(g, d, xs) : { title: 'Also worth knowing', summary: `${xs.map((x) => x.f.title).join('; ')}.` }),
};

/** Who a cause is about: the accounts' addresses, from the accounts section or the findings' titles ("sam@example.com: …"). */
function whoOf(g: Grouping, xs: Facts[]): string | null {
  const accounts: Account[] = g.source.accounts ?? [];
  const names = new Set<string>();
  for (const { f, account } of xs) {
    if (!account) continue;
    const a = accounts.find((x) => x.id === account);
    const name = a ? (a.email ?? a.name ?? a.id) : f.title.includes(': ') ? f.title.slice(0, f.title.indexOf(': ')) : null;
    if (name) names.add(name);
  }
  return names.size > 0 ? [...names].join(' and ') : null;
}

const code = (p: PortResult) => (p.reply ? ` (${p.reply.code}${p.reply.enhanced ? ` ${p.reply.enhanced}` : ''})` : '');

/** What a port does now, after "port 25 …". */
function outcomeNow(p: PortResult): string {
  switch (p.outcome) {
    case 'refused': return 'is refused';
    case 'timeout': return p.phase === 'connect' ? 'is blocked on this network' : 'stops answering';
    case 'unreachable': return 'cannot be reached';
    case 'reset': return 'cuts the connection';
    case 'no-banner': return 'never answers with a greeting';
    case 'deferred': return `is deferred by the server${code(p)}`;
    case 'rejected': return `is refused by the server${code(p)}`;
    case 'tls-failed': return 'cannot set up encryption';
    case 'auth-failed': return `refuses the sign-in${code(p)}`;
    case 'ok': return 'works';
  }
}

function step(port: number, t: PortChoice): string {
  return t.port === port ? `use ${SEC[t.security]} on port ${port}` : `switch to ${t.port} with ${SEC[t.security]}`;
}

function accountPortWords(g: Grouping, d: Draft, xs: Facts[]): Words {
  const port = d.port ?? 0;
  const fs = xs.map((x) => x.f);
  const has = (id: string) => fs.find((f) => f.id === id || f.id === `${id}.${port}`);
  const probed = g.probed(d.host, d.port);
  const recommended = g.section(d.host)?.recommended ?? null;
  const settings = fs.find((f) => f.area === 'accounts' && str(f.evidence.security));
  const configured = rec((has('smtp.switch-port') ?? has('smtp.wrong-security') ?? has('accounts.smtp.probe-mismatch'))?.evidence.configured);
  const cfg = (str(settings?.evidence.security) ?? str(configured.security)) as SmtpSecurity | null;
  // The security this port needs, when the mistake is the security rather than the port.
  const wrong = has('smtp.wrong-security');
  const need: SmtpSecurity | null = wrong
    ? (str(rec(wrong.evidence.probed).security) as SmtpSecurity | null)
    : has('accounts.smtp.465-starttls') ? 'implicit' : has('accounts.smtp.587-implicit') ? 'starttls' : null;
  const advised: PortChoice | null =
    recommended && !(recommended.port === port && recommended.security === cfg)
      ? recommended
      : need ? { port, security: need } : has('accounts.smtp.25-submission') ? { port: 587, security: 'starttls' } : null;
  // Never advise a port the probe saw fail on this server.
  const target = advised && !failedHere(g, d.host, advised) ? advised : null;
  const none = has('smtp.no-working-port');
  const failing = !!none || !!wrong || (probed !== null && probed.outcome !== 'ok') || fs.some((f) => f.id === 'accounts.smtp.probe-mismatch' && f.severity === 'error');
  const who = whoOf(g, xs) ?? 'Your mail program';
  const problem = none
    ? `no port of ${d.host ?? 'the outgoing server'} works from here`
    : need && cfg && need !== cfg
      ? `port ${port} is set with ${SEC[cfg]} but needs ${SEC[need]}`
      : probed && probed.outcome !== 'ok'
        ? `port ${port} ${outcomeNow(probed)}`
        : has('accounts.smtp.25-submission')
          ? 'it sends on port 25 with a login, which many networks block'
          : probed?.outcome === 'ok'
            ? `port ${port} works, but is not the standard choice`
            : top(xs).title.replace(/^[^:]*: /, '');
  const title = `${failing ? `${who} cannot send: ` : `${who}: `}${problem}${target ? ` — ${step(port, target)}` : ''}`;
  const summary = [
    d.host && cfg ? `It is set to send through ${d.host} on port ${port} with ${SEC[cfg]}.` : '',
    !none && probed && probed.outcome !== 'ok' ? `Tested from here, that port ${outcomeNow(probed)}${probed.error ? ` (${probed.error.split(':')[0]})` : ''}.` : '',
    recommended ? `Port ${recommended.port} with ${SEC[recommended.security]} works from here.` : '',
    none ? `${none.detail} Check the outgoing server's name in the account settings, and whether this network lets mail out (see the firewall and VPN notes).` : '',
    none ? '' : target ? 'The fix changes only that setting, shows the change first, and can be undone.' : 'Change it in the mail program’s account settings.',
  ].filter(Boolean).join(' ');
  return { title, summary, target };
}

function signInWords(g: Grouping, d: Draft, xs: Facts[]): Words {
  const specific = xs.find((x) => x.f.id.startsWith('smtp.signin.'));
  if (specific) return { title: specific.f.title, summary: specific.f.detail };
  const failed = xs.find((x) => x.smtpKind === 'auth-failed');
  if (!failed) return single(g, d, xs);
  const p = g.probed(d.host, failed.port);
  return {
    title: `Sign-in to ${d.host ?? 'the outgoing server'} fails${p ? code(p) : ''}: the server answers, but does not accept the login`,
    summary: `${failed.f.detail} The connection itself works; only the sign-in is refused.`,
  };
}

function firewallWords(_g: Grouping, _d: Draft, xs: Facts[]): Words {
  const ports = [...new Set(xs.flatMap((x) => (x.f.area === 'network' && /\.\d+$/.test(x.f.id) && !x.f.id.startsWith('network.firewall.default-outbound-block.') ? [Number(/\.(\d+)$/.exec(x.f.id)![1])] : [])))].sort((a, b) => a - b);
  const rules = new Set<string>();
  for (const { f } of xs) {
    const name = str(rec(f.evidence.rule).name);
    if (name) rules.add(name);
    if (Array.isArray(f.evidence.rules)) for (const r of f.evidence.rules) if (str(rec(r).name)) rules.add(str(rec(r).name)!);
  }
  const byDefault = xs.some((x) => x.f.id.startsWith('network.firewall.default-outbound-block.') || x.f.id.startsWith('network.blocked-by-default-policy.'));
  return {
    title: ports.length > 0 ? `The firewall on this computer blocks outgoing mail on port${ports.length === 1 ? '' : 's'} ${ports.join(', ')}` : 'The firewall on this computer blocks outgoing connections by default',
    summary: [
      rules.size > 0 ? `Blocking rule${rules.size === 1 ? '' : 's'}: ${[...rules].map((r) => `"${r}"`).join(', ')}.` : '',
      byDefault ? 'Only programs and ports with an explicit allow rule can connect out.' : '',
      top(xs).detail,
    ].filter(Boolean).join(' '),
  };
}

function antivirusWords(g: Grouping, _d: Draft, xs: Facts[]): Words {
  // The installed product's name ("Avast Free Antivirus") reads better than the vendor in the certificate ("Avast").
  const products = xs.map((x) => str(rec(x.f.evidence.antivirus).name) ?? str(rec(x.f.evidence.product).name));
  const issuers = xs.map((x) => str(rec(x.f.evidence.certificate).interceptedBy) ?? g.probed(x.host, x.port)?.tls?.interceptedBy ?? null);
  const name = [...products, ...issuers].find((n): n is string => !!n) ?? 'An antivirus';
  return {
    title: `${name}'s mail shield intercepts your mail encryption`,
    summary: `${name} decrypts and re-encrypts the connection to your mail server, so mail programs see its certificate instead of the server's and may refuse to send. An exception for the mail server keeps the antivirus on.`,
  };
}

function certificateWords(_g: Grouping, d: Draft, xs: Facts[]): Words {
  const kinds = new Set(xs.map((x) => x.smtpKind));
  const what = [
    kinds.has('tls-self-signed') ? 'self-signed' : kinds.has('tls-untrusted') ? 'not trusted' : '',
    kinds.has('tls-expired') ? 'expired' : '',
    kinds.has('tls-name-mismatch') ? 'made out for another name' : '',
  ].filter(Boolean);
  const list = what.length > 1 ? `${what.slice(0, -1).join(', ')} and ${what.at(-1)}` : (what[0] ?? 'not valid');
  const ports = [...new Set(xs.map((x) => x.port).filter((p): p is number => p !== null))].sort((a, b) => a - b);
  return {
    title: `The certificate of ${d.host ?? 'the outgoing server'} is ${list}`,
    summary:
      `Seen on port${ports.length === 1 ? '' : 's'} ${ports.join(', ')}. Mail programs refuse such a certificate, because they cannot tell the real server from an impostor. ` +
      'If the server belongs to your provider, use the server name its certificate names, or ask the provider to renew it; do not turn certificate checks off.',
  };
}

function portsWords(g: Grouping, d: Draft, xs: Facts[]): Words {
  if (xs.length === 1) return single(g, d, xs);
  const none = xs.find((x) => x.f.id === 'smtp.no-working-port');
  const recommended = g.section(d.host)?.recommended ?? null;
  const list = xs.filter((x) => PORT_OUTCOME.has(x.smtpKind ?? '') || x.smtpKind === 'no-encryption').map((x) => x.f.title).join('; ');
  if (none) return { title: none.f.title, summary: `${list ? `${list}. ` : ''}${none.f.detail}` };
  return {
    title: `Some ports of ${d.host ?? 'the outgoing server'} do not work from here${recommended ? `; port ${recommended.port} with ${SEC[recommended.security]} does` : ''}`,
    summary: list ? `${list}.` : top(xs).detail,
    target: recommended,
  };
}
