import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import path from 'node:path';
import type { Method } from '../contract/api.ts';
import { errorBody, toErrorBody, type Outcome, type ProgressMessage } from '../contract/envelope.ts';
import type { Progress } from '../core/progress.ts';
import { dispatch } from '../engine/dispatch.ts';
import type { ApiErrorKind } from '../core/errors.ts';
import type { EngineContext } from '../core/context.ts';
import { serveStatic } from './static.ts';
import { RateLimiter } from './rate-limit.ts';
import type { AuditLog } from './audit.ts';
import { isLoopback } from './listen.ts';
import { FreshFixIds } from './fresh-fixes.ts';
import { API_GUARDS, REQUEST_GUARDS, firstAnswer, type Answer, type GuardState, type Pending } from './guards.ts';

export interface ServerOptions {
  ctx: EngineContext;
  token: string;
  /** Directory of the built renderer (out/renderer); null serves the API only. */
  staticDir: string | null;
  host?: string;
  port?: number;
  /** Fix and undo calls answer 403 unless this is set. */
  allowFixes?: boolean;
  maxBodyBytes?: number;
  /** Required for any non-loopback address. With `ca`, clients must present a certificate it signed (mutual TLS). */
  tls?: { cert: string | Buffer; key: string | Buffer; ca?: string | Buffer };
  /** Folders that paths given over the API (PST files, salvage output, --home) must stay inside. Default: ctx.home. */
  allowedRoots?: string[];
  /** Requests per minute per client address (burst = a quarter of it). Default 120. */
  rateLimitPerMinute?: number;
  audit?: AuditLog;
  /** Host names (this machine's) accepted in the Host header when listening beyond loopback. */
  extraHostNames?: string[];
  /** Origins of IT consoles allowed to call this agent's API from the browser (CORS). */
  allowedOrigins?: string[];
  /** Extra CSP connect-src sources for the served UI (the IT console connects to agents). */
  connectSrc?: string[];
}

export interface RunningServer {
  url: string;
  /** The URL to open: the token rides in the fragment, so it never reaches logs or Referer headers. */
  openUrl: string;
  port: number;
  close(): Promise<void>;
}

const STATUS: Record<ApiErrorKind, number> = { 'bad-request': 400, exists: 409, 'not-available': 501, cancelled: 499, internal: 500 };

// CSP for the UI: no inline scripts, no remote anything. Styles may be inline (React style props).
// The IT console (--console) may also connect to agents: `connectSrc` adds exactly those sources.
function csp(connectSrc: string[] = []): string {
  return (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
    `connect-src ${["'self'", ...connectSrc].join(' ')}; ` +
    "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
  );
}

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** The local HTTP face: the built UI plus the same API as IPC and the CLI, behind a per-start token. */
export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  const staticRoot = opts.staticDir ? path.resolve(opts.staticDir) : null;
  if (!isLoopback(host) && !opts.tls) throw new Error(`refusing to listen on ${host} without TLS: give --tls-cert and --tls-key`);
  const perMinute = opts.rateLimitPerMinute ?? 120;
  const state: GuardState = {
    token: opts.token,
    allowFixes: !!opts.allowFixes,
    maxBody: opts.maxBodyBytes ?? 1024 * 1024,
    roots: opts.allowedRoots ?? [opts.ctx.home],
    origin: '',
    allowedHosts: new Set(),
    allowedOrigins: new Set(opts.allowedOrigins ?? []),
    limiter: new RateLimiter(perMinute, Math.max(5, Math.round(perMinute / 4))),
    freshFixes: new FreshFixIds(),
    auditDetail: new WeakMap(),
  };
  const contentSecurityPolicy = csp(opts.connectSrc);
  const scheme = opts.tls ? 'https' : 'http';

  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const started = Date.now();
    res.on('finish', () => {
      if (!opts.audit || !(req.url ?? '').startsWith('/api/')) return;
      const peer = req.socket.remoteAddress ?? '?';
      const cert = opts.tls?.ca ? (req.socket as TLSSocket).getPeerCertificate?.()?.subject?.CN : undefined;
      void opts.audit.write({
        at: new Date(started).toISOString(),
        who: cert ? `${peer} (${cert})` : peer,
        method: req.method ?? '?',
        path: (req.url ?? '').split('?')[0],
        status: res.statusCode,
        detail: state.auditDetail.get(res),
      });
    });
    handle(req, res).catch((e) => sendJson(res, 500, errorBody('internal', String(e))));
  };
  const server = opts.tls
    ? https.createServer({ cert: opts.tls.cert, key: opts.tls.key, ca: opts.tls.ca, requestCert: !!opts.tls.ca, rejectUnauthorized: !!opts.tls.ca, minVersion: 'TLSv1.2' }, onRequest)
    : http.createServer(onRequest);
  server.headersTimeout = 20_000;
  server.requestTimeout = 10 * 60_000;

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    res.setHeader('Content-Security-Policy', contentSecurityPolicy);
    const refused = await firstAnswer(REQUEST_GUARDS, { req }, state);
    if (refused) return send(res, refused);
    const url = new URL(req.url ?? '/', state.origin);
    if (!url.pathname.startsWith('/api/')) return serveUi(req, res, url, staticRoot);
    const pending: Pending = { req, res, url, name: url.pathname.startsWith('/api/v1/') ? url.pathname.slice('/api/v1/'.length) : '' };
    const answer = await firstAnswer(API_GUARDS, pending, state);
    if (answer) return send(res, answer);
    await runCall(pending, opts.ctx, state.freshFixes);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const hostPart = host.includes(':') ? `[${host}]` : host;
  state.origin = `${scheme}://${hostPart}:${port}`;
  state.allowedHosts = new Set([`${hostPart}:${port}`, `localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]);
  // Remote agent: IT reaches it by this machine's names, which a loopback-only rebinding check would refuse.
  if (!isLoopback(host)) for (const h of opts.extraHostNames ?? []) state.allowedHosts.add(`${h.toLowerCase()}:${port}`);
  return {
    url: state.origin,
    openUrl: `${state.origin}/#token=${opts.token}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The UI's files: GET and HEAD only; anything else under / is not found. */
async function serveUi(req: http.IncomingMessage, res: http.ServerResponse, url: URL, staticRoot: string | null) {
  if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, errorBody('bad-request', 'method not allowed'));
  if (staticRoot && (await serveStatic(staticRoot, url.pathname, res))) return;
  sendJson(res, 404, errorBody('bad-request', 'not found'));
}

/**
 * A call that passed every guard. With `Accept: application/x-ndjson` the answer streams the envelope of
 * contract/envelope.ts: {progress} lines, then {result} or {error}; otherwise the result, or the error body with its
 * status. Closing the request cancels the call.
 */
async function runCall({ req, res, name, body }: Pending, ctx: EngineContext, freshFixes: FreshFixIds) {
  const method = name as Method;
  const controller = new AbortController();
  res.on('close', () => controller.abort());
  const streaming = (req.headers.accept ?? '').includes('application/x-ndjson');
  if (streaming) {
    res.writeHead(200, { 'Content-Type': 'application/x-ndjson; charset=utf-8', 'Cache-Control': 'no-cache' });
    const line = (message: ProgressMessage | Outcome) => JSON.stringify(message) + '\n';
    const onProgress = (progress: Progress) => res.write(line({ progress }));
    try {
      const result = await dispatch(method, body, { ...ctx, onProgress, signal: controller.signal });
      freshFixes.rememberFrom(result);
      res.end(line({ result }));
    } catch (e) {
      res.end(line(toErrorBody(e)));
    }
    return;
  }
  try {
    const result = await dispatch(method, body, { ...ctx, signal: controller.signal });
    freshFixes.rememberFrom(result);
    sendJson(res, 200, result);
  } catch (e) {
    const err = toErrorBody(e);
    sendJson(res, STATUS[err.error.kind], err);
  }
}

function send(res: http.ServerResponse, answer: Answer) {
  for (const [k, v] of Object.entries(answer.headers ?? {})) res.setHeader(k, v);
  if (answer.body !== undefined) return sendJson(res, answer.status, answer.body);
  res.writeHead(answer.status);
  res.end();
}

function sendJson(res: http.ServerResponse, status: number, body: unknown) {
  if (res.headersSent) return void res.end();
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
