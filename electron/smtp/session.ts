import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { TranscriptEntry } from './schema.ts';
import { ReplyParser, ReplyProtocolError, type ParsedReply, type ReplyLimits } from './reply-parser.ts';

// One SMTP connection seen as "send a line, wait (bounded) for a reply", with every step timed into the
// transcript. The socket can be swapped for its TLS wrapper after STARTTLS.

export type StepFailure =
  | { kind: 'timeout'; partial: boolean; bytes: number }
  | { kind: 'closed' }
  | { kind: 'error'; code: string; message: string }
  | { kind: 'protocol'; reason: string; message: string }
  | { kind: 'aborted' };

export class StepError extends Error {
  constructor(readonly failure: StepFailure) {
    super(failure.kind === 'error' || failure.kind === 'protocol' ? failure.message : failure.kind);
    this.name = 'StepError';
  }
}

const TRANSCRIPT_LINE_MAX = 1000;
const TRANSCRIPT_MAX_ENTRIES = 400;
/** Replies the server may send ahead of our commands before we call it a flood. */
const MAX_QUEUED_REPLIES = 20;

export function errnoOf(e: unknown): { code: string; message: string } {
  const err = e as NodeJS.ErrnoException;
  return { code: typeof err?.code === 'string' ? err.code : 'EUNKNOWN', message: err instanceof Error ? err.message : String(e) };
}

export class Transcript {
  readonly entries: TranscriptEntry[] = [];
  private readonly t0 = performance.now();
  private readonly secrets: string[] = [];

  /** Texts that must never appear, whoever writes them (some servers echo a bad AUTH line back in their error). */
  addSecret(secret: string): void {
    if (secret.length >= 3) this.secrets.push(secret);
  }

  redact(text: string): string {
    let out = text;
    for (const s of this.secrets) out = out.split(s).join('<hidden>');
    return out;
  }

  now(): number {
    return Math.round((performance.now() - this.t0) * 10) / 10;
  }

  add(dir: TranscriptEntry['dir'], text: string): void {
    if (this.entries.length >= TRANSCRIPT_MAX_ENTRIES) return;
    text = this.redact(text);
    const clipped = text.length > TRANSCRIPT_LINE_MAX ? `${text.slice(0, TRANSCRIPT_LINE_MAX)}… (${text.length} chars)` : text;
    this.entries.push({ t: this.now(), dir, text: clipped });
  }
}

export class SmtpSession {
  private socket: Socket | TLSSocket;
  private parser: ReplyParser;
  private queue: ParsedReply[] = [];
  private failure: StepFailure | null = null;
  private waiter: { resolve: (r: ParsedReply) => void; reject: (e: StepError) => void } | null = null;
  private bytesSinceReply = 0;
  private readonly onData = (d: Buffer): void => this.data(d);
  private readonly onError = (e: Error): void => this.fail({ kind: 'error', ...errnoOf(e) });
  private readonly onClose = (): void => this.fail({ kind: 'closed' });

  constructor(
    socket: Socket | TLSSocket,
    readonly transcript: Transcript,
    private readonly limits?: ReplyLimits,
  ) {
    this.socket = socket;
    this.parser = new ReplyParser(limits);
    this.attach(socket);
  }

  get current(): Socket | TLSSocket {
    return this.socket;
  }

  private attach(s: Socket | TLSSocket): void {
    s.on('data', this.onData);
    s.on('error', this.onError);
    s.on('close', this.onClose);
  }

  /** Hands the raw socket over (to tls.connect); returns it with our listeners removed. */
  detach(): Socket | TLSSocket {
    const s = this.socket;
    s.off('data', this.onData);
    s.off('error', this.onError);
    s.off('close', this.onClose);
    s.on('error', () => undefined); // errors now surface on the TLS wrapper
    return s;
  }

  /** Continues on the TLS socket; anything received in clear before it is discarded (RFC 3207 §4.2). */
  replace(s: TLSSocket): void {
    this.socket = s;
    this.parser = new ReplyParser(this.limits);
    this.parser.reset();
    this.queue = [];
    this.bytesSinceReply = 0;
    this.failure = null;
    this.attach(s);
  }

  private data(d: Buffer): void {
    if (this.failure) return;
    this.bytesSinceReply += d.length;
    let replies: ParsedReply[];
    try {
      replies = this.parser.feed(d);
    } catch (e) {
      if (e instanceof ReplyProtocolError) {
        this.fail({ kind: 'protocol', reason: e.reason, message: e.message });
        this.socket.destroy();
        return;
      }
      throw e;
    }
    for (const r of replies) {
      this.bytesSinceReply = 0;
      this.transcript.add('s', r.lines.join('\n'));
      if (this.waiter) {
        const w = this.waiter;
        this.waiter = null;
        w.resolve(r);
      } else if (this.queue.length >= MAX_QUEUED_REPLIES) {
        this.fail({ kind: 'protocol', reason: 'flood', message: 'the server sent replies nobody asked for' });
        this.socket.destroy();
        return;
      } else this.queue.push(r);
    }
  }

  fail(f: StepFailure): void {
    if (this.failure) return;
    this.failure = f;
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = null;
      w.reject(new StepError(f));
    }
  }

  /** Waits at most `timeoutMs` for the next complete reply. */
  readReply(timeoutMs: number): Promise<ParsedReply> {
    const queued = this.queue.shift();
    if (queued) return Promise.resolve(queued);
    if (this.failure) return Promise.reject(new StepError(this.failure));
    return new Promise<ParsedReply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        reject(new StepError({ kind: 'timeout', partial: this.parser.midReply, bytes: this.bytesSinceReply }));
      }, timeoutMs);
      this.waiter = {
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
    });
  }

  /** Sends one command line; `shown` replaces it in the transcript (credentials never reach it). */
  send(line: string, shown: string = line): void {
    this.transcript.add('c', shown);
    if (!this.failure && !this.socket.destroyed) this.socket.write(`${line}\r\n`);
  }

  /** Sends and waits for the reply. */
  async command(line: string, timeoutMs: number, shown?: string): Promise<ParsedReply> {
    this.send(line, shown);
    return this.readReply(timeoutMs);
  }

  destroy(): void {
    this.failure ??= { kind: 'closed' };
    this.socket.destroy();
  }
}
