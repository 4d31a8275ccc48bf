import nodemailer from 'nodemailer';
import { format } from 'node:util';
import type { SmtpSecurity, TranscriptEntry } from './schema.ts';
import { Transcript } from './session.ts';

// The optional real test message, sent with nodemailer (what real mail apps use), never by the probe itself.
// Its log is captured into a transcript like the probe's, with the credentials redacted.

export interface TestMessageOptions {
  host: string;
  port: number;
  security: SmtpSecurity;
  from: string;
  to: string;
  user?: string;
  /** In memory only. */
  password?: string;
  timeoutMs?: number;
  insecureTlsOk?: boolean;
  extraCa?: string[];
}

export interface TestMessageResult {
  sent: boolean;
  messageId: string | null;
  /** The server's final reply ("250 2.0.0 Ok: queued as …"). */
  response: string | null;
  accepted: string[];
  rejected: string[];
  error: { code: string | null; command: string | null; responseCode: number | null; message: string } | null;
  transcript: TranscriptEntry[];
}

type LogParams = [unknown, ...unknown[]];

function logger(tr: Transcript) {
  const write = (...params: unknown[]): void => {
    const [meta, ...rest] = params as LogParams;
    const tnx = meta && typeof meta === 'object' ? (meta as Record<string, unknown>).tnx : undefined;
    const dir = tnx === 'client' ? 'c' : tnx === 'server' ? 's' : 'i';
    const text = rest.length > 0 ? format(...(rest as [unknown, ...unknown[]])) : '';
    if (text) tr.add(dir, text.replace(/\r?\n$/, ''));
  };
  return { level: () => undefined, trace: write, debug: write, info: write, warn: write, error: write, fatal: write };
}

export async function sendTestMessage(o: TestMessageOptions): Promise<TestMessageResult> {
  const tr = new Transcript();
  if (o.password) {
    tr.addSecret(o.password);
    tr.addSecret(Buffer.from(o.password).toString('base64'));
    if (o.user) tr.addSecret(Buffer.from(`\0${o.user}\0${o.password}`).toString('base64'));
  }
  const timeout = o.timeoutMs ?? 15_000;
  const transport = nodemailer.createTransport({
    host: o.host,
    port: o.port,
    secure: o.security === 'implicit',
    requireTLS: o.security === 'starttls',
    ignoreTLS: o.security === 'none',
    auth: o.user && o.password ? { user: o.user, pass: o.password } : undefined,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    tls: { rejectUnauthorized: !o.insecureTlsOk, ca: o.extraCa },
    logger: logger(tr),
    debug: true,
  });
  try {
    const info = await transport.sendMail({
      from: o.from,
      to: o.to,
      subject: 'MailMedic test message',
      text: 'This message was sent by MailMedic to check that your outgoing mail works. You can delete it.',
    });
    return {
      sent: true, messageId: info.messageId ?? null, response: info.response ?? null,
      accepted: info.accepted.map(String), rejected: info.rejected.map(String), error: null, transcript: tr.entries,
    };
  } catch (e) {
    const err = e as Error & { code?: string; command?: string; responseCode?: number };
    return {
      sent: false, messageId: null, response: null, accepted: [], rejected: [],
      error: { code: err.code ?? null, command: err.command ?? null, responseCode: err.responseCode ?? null, message: tr.redact(err.message) },
      transcript: tr.entries,
    };
  } finally {
    transport.close();
  }
}
