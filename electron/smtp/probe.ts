import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect, rootCertificates, type TLSSocket } from 'node:tls';
import type { PortResult, SmtpOutcome, SmtpPhase, SmtpReply, SmtpSecurity, TlsInfo } from './schema.ts';
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

/** Turns a failed wait into the outcome the issue defines for that phase. */
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

export async function probePort(o: PortProbeOptions): Promise<PortResult> {
  const tr = new Transcript();
  for (const line of o.preamble ?? []) tr.add('i', line);
  const st: State = { phase: 'connect', security: o.implicitTls ? 'implicit' : 'none', reply: null, tls: null, caps: null };
  let session: SmtpSession | null = null;
  const onAbort = (): void => session?.fail({ kind: 'aborted' });
  o.signal?.addEventListener('abort', onAbort, { once: true });

  // Waits for a reply in `phase`; a negative reply stops the probe with its outcome.
  const expect = async (phase: SmtpPhase, send: string | null, timeoutMs: number, shown?: string): Promise<ParsedReply> => {
    st.phase = phase;
    if (!session) throw new Stop('reset', 'no connection');
    let r: ParsedReply;
    try {
      r = send === null ? await session.readReply(timeoutMs) : await session.command(send, timeoutMs, shown);
    } catch (e) {
      throw stepStop(e, phase, timeoutMs);
    }
    st.reply = plain(r);
    const bad = replyOutcome(phase, r.code, r.enhanced, r.text);
    if (bad) throw new Stop(bad, null);
    return r;
  };

  const ehlo = async (): Promise<void> => {
    try {
      const r = await expect('ehlo', `EHLO ${o.heloName}`, o.timeouts.command);
      st.caps = parseEhlo(r.text);
    } catch (e) {
      // A server without ESMTP answers 500/502 to EHLO: fall back to HELO (RFC 5321 §4.1.1.1).
      if (e instanceof Stop && e.outcome === 'rejected' && (st.reply?.code === 500 || st.reply?.code === 502)) {
        await expect('ehlo', `HELO ${o.heloName}`, o.timeouts.command);
        st.caps = null;
        return;
      }
      throw e;
    }
  };

  const upgrade = async (): Promise<void> => {
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
  };

  let outcome: SmtpOutcome = 'ok';
  let error: string | null = null;
  try {
    if (o.signal?.aborted) throw new Stop('timeout', 'aborted');
    const raw = await connectTcp(o, tr);
    session = new SmtpSession(raw, tr, o.limits);
    if (o.implicitTls) await upgrade();
    await expect('greeting', null, o.timeouts.greeting);
    await ehlo();
    if (!o.implicitTls && o.starttls !== false && st.caps?.starttls) {
      await expect('tls', 'STARTTLS', o.timeouts.command);
      st.security = 'starttls';
      await upgrade();
      await ehlo();
    }
    if (o.user !== undefined && o.password !== undefined) {
      st.phase = 'auth';
      // Never put a password on the wire in clear text, except to this machine itself.
      if (st.security === 'none' && !isLoopback(o.address)) {
        throw new Stop('auth-failed', 'not signing in: the connection is not encrypted (the password would be sent in clear text)');
      }
      const mechs = st.caps?.auth ?? [];
      for (const secret of [o.password, b64(o.password), b64(`\0${o.user}\0${o.password}`)]) tr.addSecret(secret);
      if (mechs.includes('PLAIN')) {
        const token = b64(`\0${o.user}\0${o.password}`);
        const r = await expect('auth', `AUTH PLAIN ${token}`, o.timeouts.command, 'AUTH PLAIN <credentials hidden>');
        if (r.code === 334) await expect('auth', token, o.timeouts.command, '<credentials hidden>');
      } else if (mechs.includes('LOGIN')) {
        await expect('auth', 'AUTH LOGIN', o.timeouts.command);
        await expect('auth', b64(o.user), o.timeouts.command, '<user name hidden>');
        await expect('auth', b64(o.password), o.timeouts.command, '<password hidden>');
      } else {
        throw new Stop('auth-failed', mechs.length > 0 ? `no supported AUTH mechanism (offered: ${mechs.join(' ')})` : 'the server offers no AUTH here');
      }
    }
    if (o.from !== undefined && o.to !== undefined) {
      await expect('mail', `MAIL FROM:<${o.from}>`, o.timeouts.command);
      await expect('rcpt', `RCPT TO:<${o.to}>`, o.timeouts.command);
      await expect('rcpt', 'RSET', o.timeouts.command);
    }
    st.phase = 'quit';
  } catch (e) {
    const stop = e instanceof Stop ? e : stepStop(e, st.phase, o.timeouts.command);
    outcome = stop.outcome;
    error = stop.error;
    if (error) tr.add('i', error);
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
  }
  // QUIT only to a peer that is still answering; a silent or broken one would just add a timeout.
  if (!['no-banner', 'timeout', 'reset'].includes(outcome)) await quit(session, st, Math.min(o.timeouts.command, 2000));
  else session?.destroy();
  if (st.reply) st.reply = { ...st.reply, text: tr.redact(st.reply.text) };
  if (error) error = tr.redact(error);
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
    error,
    capabilities: st.caps,
  };
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
