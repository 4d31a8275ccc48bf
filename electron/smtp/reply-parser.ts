import type { SmtpReply } from './schema.ts';

// Incremental SMTP reply parser (RFC 5321 §4.2). Written by hand because the probe must see every byte as it
// arrives (per-step timings, hostile peers) and no library exposes that. Every buffer is bounded: a peer that
// sends a 1 MB line or endless continuation lines ends with a ReplyProtocolError, never a hang or OOM.

export interface ReplyLimits {
  /** Longest accepted line in bytes (RFC 5321 §4.5.3.1.5 allows 512; real servers send longer texts). */
  maxLineBytes: number;
  /** Most lines in one multi-line reply (EHLO lists are ~10-20 lines). */
  maxLines: number;
}

export const DEFAULT_REPLY_LIMITS: ReplyLimits = { maxLineBytes: 4096, maxLines: 200 };

export class ReplyProtocolError extends Error {
  constructor(
    readonly reason: 'line-too-long' | 'too-many-lines' | 'not-smtp' | 'code-mismatch',
    message: string,
  ) {
    super(message);
    this.name = 'ReplyProtocolError';
  }
}

/** A complete reply plus its raw lines (for the transcript). */
export interface ParsedReply extends SmtpReply {
  lines: string[];
}

const LINE = /^([2-5]\d\d)(?:([ -])(.*))?$/;
const ENHANCED = /^([245])\.(\d{1,3})\.(\d{1,3})(?=\s|$)/;

/** Splits "5.7.8 text" into the enhanced code and the rest; null when the text has none. */
export function splitEnhanced(text: string): { enhanced: string | null; rest: string } {
  const m = ENHANCED.exec(text);
  if (!m) return { enhanced: null, rest: text };
  return { enhanced: `${m[1]}.${m[2]}.${m[3]}`, rest: text.slice(m[0].length).trimStart() };
}

/** Builds the reply from its lines: the enhanced code is taken from the first line, texts are joined. */
export function buildReply(code: number, texts: string[], lines: string[]): ParsedReply {
  const first = splitEnhanced(texts[0] ?? '');
  const enhanced = first.enhanced;
  // Drop the repeated enhanced code from continuation lines ("250-2.0.0 x" style) only when it is the same.
  const parts = texts.map((t, i) => {
    if (i === 0) return enhanced ? first.rest : t;
    const s = splitEnhanced(t);
    return s.enhanced !== null && s.enhanced === enhanced ? s.rest : t;
  });
  return { code, enhanced, text: parts.join('\n'), lines };
}

export class ReplyParser {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private code: number | null = null;
  private texts: string[] = [];
  private lines: string[] = [];

  constructor(private readonly limits: ReplyLimits = DEFAULT_REPLY_LIMITS) {}

  /** Feeds bytes; returns every reply completed by them. Throws ReplyProtocolError on a hostile peer. */
  feed(chunk: Buffer): ParsedReply[] {
    const out: ParsedReply[] = [];
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(0x0a, start);
      if (nl === -1) break;
      const piece = chunk.subarray(start, nl);
      this.checkLength(this.pendingBytes + piece.length);
      const raw = this.pendingBytes > 0 ? Buffer.concat([...this.pending, piece]) : piece;
      this.pending = [];
      this.pendingBytes = 0;
      const reply = this.line(raw.toString('utf8').replace(/\r$/, ''));
      if (reply) out.push(reply);
      start = nl + 1;
    }
    const rest = chunk.subarray(start);
    if (rest.length > 0) {
      this.checkLength(this.pendingBytes + rest.length);
      this.pending.push(Buffer.from(rest));
      this.pendingBytes += rest.length;
    }
    return out;
  }

  /** True while a reply or line is half received (used to tell "silent" from "slow" peers). */
  get midReply(): boolean {
    return this.pendingBytes > 0 || this.code !== null;
  }

  /** Discards everything buffered (after STARTTLS nothing sent in clear may be trusted, RFC 3207 §4.2). */
  reset(): void {
    this.pending = [];
    this.pendingBytes = 0;
    this.code = null;
    this.texts = [];
    this.lines = [];
  }

  private checkLength(n: number): void {
    if (n > this.limits.maxLineBytes) {
      throw new ReplyProtocolError('line-too-long', `the server sent a line longer than ${this.limits.maxLineBytes} bytes`);
    }
  }

  private line(text: string): ParsedReply | null {
    const m = LINE.exec(text);
    if (!m) {
      throw new ReplyProtocolError('not-smtp', `not an SMTP reply line: ${JSON.stringify(text.slice(0, 80))}`);
    }
    const code = Number(m[1]);
    if (this.code !== null && code !== this.code) {
      throw new ReplyProtocolError('code-mismatch', `multi-line reply changed its code from ${this.code} to ${code}`);
    }
    this.code = code;
    this.texts.push(m[3] ?? '');
    this.lines.push(text);
    if (this.lines.length > this.limits.maxLines) {
      throw new ReplyProtocolError('too-many-lines', `the server's reply went on for more than ${this.limits.maxLines} lines`);
    }
    if (m[2] === '-') return null;
    const reply = buildReply(code, this.texts, this.lines);
    this.code = null;
    this.texts = [];
    this.lines = [];
    return reply;
  }
}
