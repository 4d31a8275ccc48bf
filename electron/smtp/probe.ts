import { createHmac } from 'node:crypto';
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect, rootCertificates, type TLSSocket } from 'node:tls';
import type { AuthMechanism, PortResult, SmtpOutcome, SmtpPhase, SmtpReply, SmtpSecurity, TlsInfo } from './schema.ts';
import { parseEhlo, type EhloCapabilities } from './ehlo.ts';
import { connectErrorOutcome, replyOutcome } from './outcome.ts';
import { SmtpSession, StepError, Transcript, errnoOf } from './session.ts';
import { buildTlsInfo, handshakeFacts } from './tls-info.ts';
import type { ReplyLimits } from './reply-parser.ts';
import type { ParsedReply } from './reply-parser.ts';

// The per-port state machine: connect → greeting → EHLO → (STARTTLS | implicit TLS) → EHLO → AUTH →
// MAIL/RCPT dry-run → RSET → QUIT. Never DATA. Every step is bounded by its own timeout.

export interface StepTimeouts {
  connect: number;
  greeting: number;
  tls: number;
  command: number;
}

export interface PortProbeOptions {
  /** Name used for SNI, certificate name checks and the transcript. */
  host: string;
  /** Address actually connected to. */
  address: string;
  port: number;
  implicitTls: boolean;
  timeouts: StepTimeouts;
  heloName: string;
  /** Try STARTTLS when offered (default true). */
  starttls?: boolean;
  user?: string;
  password?: string;
  /** An OAuth 2.0 access token, signed in with through XOAUTH2 or OAUTHBEARER instead of a password. */
  oauthToken?: string;
  /** Sign in with this mechanism only; by default the first offered of PLAIN, LOGIN, CRAM-MD5 (XOAUTH2, OAUTHBEARER with a token). */
  authMechanism?: AuthMechanism;
  from?: string;
  to?: string;
  insecureTlsOk?: boolean;
  /** Extra trusted roots (PEM) besides Node's bundled ones: a company CA, or a test CA. */
  extraCa?: string[];
  limits?: ReplyLimits;
  signal?: AbortSignal;
  /** Lines to start the transcript with (the DNS step). */
  preamble?: string[];
}

interface State {
  phase: SmtpPhase;
  security: SmtpSecurity;
  reply: SmtpReply | null;
  tls: TlsInfo | null;
  caps: EhloCapabilities | null;
  mechanism: AuthMechanism | null;
}

class Stop {
  constructor(
    readonly outcome: SmtpOutcome,
    readonly error: string | null = null,
  ) {}
}

const plain = (r: ParsedReply): SmtpReply => ({ code: r.code, enhanced: r.enhanced, text: r.text });

function connectTcp(o: PortProbeOptions, tr: Transcript): Promise<Socket> {
  return new Promise((resolve, reject) => {
    tr.add('i', `connecting to ${o.address} port ${o.port}`);
    const s = netConnect({ host: o.address, port: o.port });
    const onAbort = (): void => {
      clearTimeout(timer);
      s.destroy();
      reject(new Stop('timeout', 'aborted'));
    };
    o.signal?.addEventListener('abort', onAbort, { once: true });
    s.once('close', () => o.signal?.removeEventListener('abort', onAbort));
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Stop('timeout', `no answer to the TCP connection within ${o.timeouts.connect} ms (packets dropped)`));
    }, o.timeouts.connect);
    s.once('connect', () => {
      clearTimeout(timer);
      s.removeAllListeners('error');
      tr.add('i', `TCP connected (local port ${s.localPort ?? '?'})`);
      resolve(s);
    });
    s.once('error', (e) => {
      clearTimeout(timer);
      const { code, message } = errnoOf(e);
      s.destroy();
      reject(new Stop(connectErrorOutcome(code), `${code}: ${message}`));
    });
  });
}

function startTls(o: PortProbeOptions, raw: Socket | TLSSocket, tr: Transcript): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    tr.add('i', 'TLS handshake');
    const s = tlsConnect({
      socket: raw as Socket,
      servername: isIP(o.host) ? undefined : o.host,
      rejectUnauthorized: false, // we judge the certificate ourselves, to report why it fails
      ca: o.extraCa && o.extraCa.length > 0 ? [...rootCertificates, ...o.extraCa] : undefined,
    });
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Stop('tls-failed', `TLS handshake did not finish within ${o.timeouts.tls} ms`));
    }, o.timeouts.tls);
    s.once('secureConnect', () => {
      clearTimeout(timer);
      s.removeAllListeners('error');
      resolve(s);
    });
    s.once('error', (e) => {
      clearTimeout(timer);
      const { code, message } = errnoOf(e);
      s.destroy();
      // A reset during the handshake is a middlebox/AV breaking TLS; anything else is a TLS failure proper.
      reject(new Stop(code === 'ECONNRESET' || code === 'EPIPE' ? 'reset' : 'tls-failed', `${code}: ${message}`));
    });
  });
}

/** Turns a failed wait into the outcome of that phase: silence or garbage before the greeting is 'no-banner'. */
function stepStop(e: unknown, phase: SmtpPhase, timeoutMs: number): Stop {
  if (e instanceof Stop) return e;
  if (!(e instanceof StepError)) return new Stop('reset', errnoOf(e).message);
  const f = e.failure;
  const atGreeting = phase === 'greeting';
  switch (f.kind) {
    case 'timeout': {
      const what = f.partial ? `only ${f.bytes} bytes of a reply` : 'no reply';
      return new Stop(atGreeting ? 'no-banner' : 'timeout', `${what} within ${timeoutMs} ms`);
    }
    case 'protocol':
      return new Stop(atGreeting ? 'no-banner' : 'reset', `${f.reason}: ${f.message}`);
    case 'closed':
      return new Stop('reset', 'the server closed the connection');
    case 'error':
      return new Stop(f.code === 'ECONNRESET' || f.code === 'EPIPE' ? 'reset' : 'unreachable', `${f.code}: ${f.message}`);
    case 'aborted':
      return new Stop('timeout', 'aborted');
  }
}

function isLoopback(address: string): boolean {
  return /^127\./.test(address) || address === '::1' || address === '::ffff:127.0.0.1';
}

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

const PASSWORD_MECHANISMS: readonly AuthMechanism[] = ['PLAIN', 'LOGIN', 'CRAM-MD5'];
const TOKEN_MECHANISMS: readonly AuthMechanism[] = ['XOAUTH2', 'OAUTHBEARER'];

/** The mechanism to sign in with: the one asked for, else the first offered that fits the credential. */
function pickMechanism(offered: string[], withToken: boolean, wanted?: AuthMechanism): AuthMechanism {
  const fits = withToken ? TOKEN_MECHANISMS : PASSWORD_MECHANISMS;
  const candidates = wanted ? [wanted] : fits;
  const list = offered.length > 0 ? ` (offered: ${offered.join(' ')})` : '';
  if (wanted && !fits.includes(wanted)) throw new Stop('auth-failed', `${wanted} does not sign in with ${withToken ? 'a token' : 'a password'}`);
  const hit = candidates.find((m) => offered.includes(m));
  if (hit) return hit;
  if (offered.length === 0) throw new Stop('auth-failed', 'the server offers no AUTH here');
  if (wanted) throw new Stop('auth-failed', `the server does not offer ${wanted}${list}`);
  throw new Stop('auth-failed', withToken ? `the server offers no OAuth sign-in${list}` : `no supported AUTH mechanism${list}`);
}

/** The initial client response of XOAUTH2 or OAUTHBEARER (RFC 7628 §3.1), base64. */
function bearerBlob(mechanism: 'XOAUTH2' | 'OAUTHBEARER', user: string, token: string, host: string, port: number): string {
  return mechanism === 'XOAUTH2'
    ? b64(`user=${user}\x01auth=Bearer ${token}\x01\x01`)
    : b64(`n,a=${user.replace(/=/g, '=3D').replace(/,/g, '=2C')},\x01host=${host}\x01port=${port}\x01auth=Bearer ${token}\x01\x01`);
}

/** Every form a credential can take on the wire, so none of them can reach the transcript or an error. */
function secretForms(user: string, secret: string, host: string, port: number): string[] {
  return [
    secret, b64(secret), b64(`\0${user}\0${secret}`),
    bearerBlob('XOAUTH2', user, secret, host, port), bearerBlob('OAUTHBEARER', user, secret, host, port),
  ];
}

/** The JSON status a server sends back for a refused token ({"status":"401","schemes":"bearer",…}), shown short. */
function oauthStatus(text: string): string {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(text.trim(), 'base64').toString('utf8'));
    if (parsed && typeof parsed === 'object') {
      return Object.entries(parsed as Record<string, unknown>).map(([k, v]) => `${k}=${String(v)}`).join(', ').slice(0, 300);
    }
  } catch {
    // not JSON: show the text as sent
  }
  return text.slice(0, 300);
}

/** One probe's connection, transcript and what the server has said so far; each step is one method. */
class PortProbe {
  readonly tr = new Transcript();
  readonly st: State;
  session: SmtpSession | null = null;

  constructor(readonly o: PortProbeOptions) {
    for (const line of o.preamble ?? []) this.tr.add('i', line);
    this.st = { phase: 'connect', security: o.implicitTls ? 'implicit' : 'none', reply: null, tls: null, caps: null, mechanism: null };
  }

  /** Waits for a reply in `phase` (after sending `send`, shown in the transcript as `shown`); a negative reply stops the probe with its outcome. */
  async expect(phase: SmtpPhase, send: string | null, timeoutMs: number, shown?: string): Promise<ParsedReply> {
    this.st.phase = phase;
    if (!this.session) throw new Stop('reset', 'no connection');
    let r: ParsedReply;
    try {
      r = send === null ? await this.session.readReply(timeoutMs) : await this.session.command(send, timeoutMs, shown);
    } catch (e) {
      throw stepStop(e, phase, timeoutMs);
    }
    this.st.reply = plain(r);
    const bad = replyOutcome(phase, r.code, r.enhanced, r.text);
    if (bad) throw new Stop(bad, null);
    return r;
  }

  /** TCP connection, and the TLS handshake right away on an implicit-TLS port. */
  async connect(): Promise<void> {
    if (this.o.signal?.aborted) throw new Stop('timeout', 'aborted');
    const raw = await connectTcp(this.o, this.tr);
    this.session = new SmtpSession(raw, this.tr, this.o.limits);
    if (this.o.implicitTls) await this.upgrade();
  }

  /** The server's 220 greeting. */
  async banner(): Promise<void> {
    await this.expect('greeting', null, this.o.timeouts.greeting);
  }

  /** EHLO and its capabilities; a server without ESMTP answers 500/502 to EHLO: HELO then (RFC 5321 §4.1.1.1). */
  async ehlo(): Promise<void> {
    const o = this.o;
    try {
      const r = await this.expect('ehlo', `EHLO ${o.heloName}`, o.timeouts.command);
      this.st.caps = parseEhlo(r.text);
    } catch (e) {
      if (e instanceof Stop && e.outcome === 'rejected' && (this.st.reply?.code === 500 || this.st.reply?.code === 502)) {
        await this.expect('ehlo', `HELO ${o.heloName}`, o.timeouts.command);
        this.st.caps = null;
        return;
      }
      throw e;
    }
  }

  /** STARTTLS when the port is plain, the server offers it and the caller did not turn it off; EHLO again inside TLS. */
  async starttls(): Promise<void> {
    const o = this.o;
    if (o.implicitTls || o.starttls === false || !this.st.caps?.starttls) return;
    await this.expect('tls', 'STARTTLS', o.timeouts.command);
    this.st.security = 'starttls';
    await this.upgrade();
    await this.ehlo();
  }

  /** TLS handshake on the current socket; an untrusted or misnamed certificate stops the probe unless allowed. */
  async upgrade(): Promise<void> {
    const { o, st, session, tr } = this;
    if (!session) return;
    st.phase = 'tls';
    const raw = session.detach();
    const tlsSock = await startTls(o, raw, tr);
    session.replace(tlsSock);
    const facts = handshakeFacts(tlsSock, o.host);
    st.tls = buildTlsInfo(facts);
    const t = st.tls;
    tr.add('i', `TLS ${t.protocol ?? '?'} ${t.cipher ?? ''}; certificate ${t.subject ?? '?'} issued by ${t.issuer ?? '?'}` +
      `; ${t.trusted ? 'trusted' : `not trusted (${t.trustError})`}; name ${t.nameMatches ? 'matches' : 'does not match'}`);
    if ((!t.trusted || !t.nameMatches) && !o.insecureTlsOk) {
      throw new Stop('tls-failed', t.trusted ? `certificate does not name ${o.host}` : `certificate not trusted: ${t.trustError}`);
    }
  }

  /**
   * Signs in when credentials are given: a password through PLAIN, LOGIN or CRAM-MD5 (RFC 4954, RFC 2195), an OAuth
   * access token through XOAUTH2 or OAUTHBEARER (RFC 7628). The secrets never reach the transcript or the error.
   */
  async auth(): Promise<void> {
    const { o, st, tr } = this;
    const secret = o.oauthToken ?? o.password;
    if (o.user === undefined || secret === undefined) return;
    st.phase = 'auth';
    for (const s of secretForms(o.user, secret, o.host, o.port)) tr.addSecret(s);
    // Never put a password or a token on the wire in clear text, except to this machine itself.
    if (st.security === 'none' && !isLoopback(o.address)) {
      throw new Stop('auth-failed', `not signing in: the connection is not encrypted (the ${o.oauthToken !== undefined ? 'token' : 'password'} would be sent in clear text)`);
    }
    const mechanism = pickMechanism(st.caps?.auth ?? [], o.oauthToken !== undefined, o.authMechanism);
    st.mechanism = mechanism;
    if (mechanism === 'PLAIN') {
      const token = b64(`\0${o.user}\0${secret}`);
      const r = await this.expect('auth', `AUTH PLAIN ${token}`, o.timeouts.command, 'AUTH PLAIN <credentials hidden>');
      if (r.code === 334) await this.expect('auth', token, o.timeouts.command, '<credentials hidden>');
    } else if (mechanism === 'LOGIN') {
      await this.expect('auth', 'AUTH LOGIN', o.timeouts.command);
      await this.expect('auth', b64(o.user), o.timeouts.command, '<user name hidden>');
      await this.expect('auth', b64(secret), o.timeouts.command, '<password hidden>');
    } else if (mechanism === 'CRAM-MD5') {
      await this.cramMd5(o.user, secret);
    } else {
      await this.bearer(mechanism, o.user, secret);
    }
  }

  /** CRAM-MD5 (RFC 2195): the server's challenge is answered with "user HMAC-MD5(password, challenge)" in hex. */
  async cramMd5(user: string, password: string): Promise<void> {
    const o = this.o;
    const r = await this.expect('auth', 'AUTH CRAM-MD5', o.timeouts.command);
    if (r.code !== 334) throw new Stop('auth-failed', `the server answered AUTH CRAM-MD5 with ${r.code} instead of a challenge`);
    const challenge = Buffer.from(r.text.trim(), 'base64');
    const digest = createHmac('md5', Buffer.from(password, 'utf8')).update(challenge).digest('hex');
    await this.expect('auth', b64(`${user} ${digest}`), o.timeouts.command, '<credentials hidden>');
  }

  /**
   * XOAUTH2 (Google's and Microsoft's OAuth 2.0 SASL profile) or OAUTHBEARER (RFC 7628). A refused token is answered
   * with 334 and a base64 JSON status; the client then sends a dummy line and the server ends with the final 5xx.
   */
  async bearer(mechanism: 'XOAUTH2' | 'OAUTHBEARER', user: string, token: string): Promise<void> {
    const { o, tr } = this;
    const blob = bearerBlob(mechanism, user, token, o.host, o.port);
    const r = await this.expect('auth', `AUTH ${mechanism} ${blob}`, o.timeouts.command, `AUTH ${mechanism} <token hidden>`);
    if (r.code !== 334) return;
    tr.add('i', `the server refused the token: ${oauthStatus(r.text)}`);
    // XOAUTH2 expects an empty line, OAUTHBEARER the single byte 0x01 (RFC 7628 §3.2.3).
    await this.expect('auth', mechanism === 'XOAUTH2' ? '' : b64('\x01'), o.timeouts.command, '<end of the refused sign-in>');
    throw new Stop('auth-failed', 'the server refused the OAuth token');
  }

  /** MAIL FROM and RCPT TO when both addresses are given, then RSET: the envelope is tested, nothing is sent. */
  async dryRun(): Promise<void> {
    const o = this.o;
    if (o.from === undefined || o.to === undefined) return;
    await this.expect('mail', `MAIL FROM:<${o.from}>`, o.timeouts.command);
    await this.expect('rcpt', `RCPT TO:<${o.to}>`, o.timeouts.command);
    await this.expect('rcpt', 'RSET', o.timeouts.command);
  }

  /** Closes the connection and turns what was learnt into the port's result, secrets redacted. */
  async finish(outcome: SmtpOutcome, error: string | null): Promise<PortResult> {
    const { o, st, tr } = this;
    // QUIT only to a peer that is still answering; a silent or broken one would just add a timeout.
    if (!['no-banner', 'timeout', 'reset'].includes(outcome)) await quit(this.session, st, Math.min(o.timeouts.command, 2000));
    else this.session?.destroy();
    if (st.reply) st.reply = { ...st.reply, text: tr.redact(st.reply.text) };
    return {
      port: o.port,
      security: st.security,
      outcome,
      phase: st.phase,
      reply: st.reply,
      tls: st.tls,
      ms: tr.now(),
      transcript: tr.entries,
      address: o.address,
      error: error ? tr.redact(error) : error,
      capabilities: st.caps,
      authMechanism: st.mechanism,
    };
  }
}

export async function probePort(o: PortProbeOptions): Promise<PortResult> {
  const p = new PortProbe(o);
  const onAbort = (): void => p.session?.fail({ kind: 'aborted' });
  o.signal?.addEventListener('abort', onAbort, { once: true });
  let outcome: SmtpOutcome = 'ok';
  let error: string | null = null;
  try {
    await p.connect();
    await p.banner();
    await p.ehlo();
    await p.starttls();
    await p.auth();
    await p.dryRun();
    p.st.phase = 'quit';
  } catch (e) {
    const stop = e instanceof Stop ? e : stepStop(e, p.st.phase, o.timeouts.command);
    outcome = stop.outcome;
    error = stop.error;
    if (error) p.tr.add('i', error);
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
  }
  return p.finish(outcome, error);
}

/** Polite QUIT when the connection is still usable; the socket is destroyed in every case. */
async function quit(session: SmtpSession | null, st: State, timeoutMs: number): Promise<void> {
  if (!session) return;
  try {
    const s = session.current;
    if (!s.destroyed && s.writable && st.reply?.code !== 421) await session.command('QUIT', timeoutMs);
  } catch {
    // the server may hang up first; the verdict is already made
  } finally {
    session.destroy();
  }
}
