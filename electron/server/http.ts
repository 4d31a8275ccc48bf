import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import path from 'node:path';
import { isMethod, api } from '../contract/api.ts';
import type { Progress } from '../core/progress.ts';
import { dispatch } from '../engine/dispatch.ts';
import { toApiError, type ApiError } from '../core/errors.ts';
import type { EngineContext } from '../core/context.ts';
import { VERSION } from '../core/version.ts';
import { bearerToken, tokenMatches } from './auth.ts';
import { serveStatic } from './static.ts';
import { RateLimiter } from './rate-limit.ts';
import type { AuditLog } from './audit.ts';
import { isLoopback } from './listen.ts';
import { confineRequestPaths } from './confine-request.ts';
import { FreshFixIds } from './fresh-fixes.ts';

export interface ServerOptions {
  ctx: EngineContext;
  token: string;
  /** Directory of the built renderer (dist/renderer); null serves the API only. */
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

const STATUS: Record<ApiError['kind'], number> = { 'bad-request': 400, 'not-available': 501, cancelled: 499, internal: 500 };

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
  const maxBody = opts.maxBodyBytes ?? 1024 * 1024;
  const staticRoot = opts.staticDir ? path.resolve(opts.staticDir) : null;
  if (!isLoopback(host) && !opts.tls) throw new Error(`refusing to listen on ${host} without TLS: give --tls-cert and --tls-key`);
  const limiter = new RateLimiter(opts.rateLimitPerMinute ?? 120, Math.max(5, Math.round((opts.rateLimitPerMinute ?? 120) / 4)));
  const roots = opts.allowedRoots ?? [opts.ctx.home];
  const freshFixes = new FreshFixIds();
  const allowedOrigins = new Set(opts.allowedOrigins ?? []);
  const contentSecurityPolicy = csp(opts.connectSrc);
  const auditDetail = new WeakMap<http.ServerResponse, string>();
  const scheme = opts.tls ? 'https' : 'http';
  let origin = '';
  let allowedHosts = new Set<string>();

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
        detail: auditDetail.get(res),
      });
    });
    handle(req, res).catch((e) => sendJson(res, 500, { error: { kind: 'internal', message: String(e) } }));
  };
  const server = opts.tls
    ? https.createServer({ cert: opts.tls.cert, key: opts.tls.key, ca: opts.tls.ca, requestCert: !!opts.tls.ca, rejectUnauthorized: !!opts.tls.ca, minVersion: 'TLSv1.2' }, onRequest)
    : http.createServer(onRequest);
  server.headersTimeout = 20_000;
  server.requestTimeout = 10 * 60_000;

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    res.setHeader('Content-Security-Policy', contentSecurityPolicy);
    // DNS rebinding: a page on evil.example resolving to 127.0.0.1 still sends its own Host header.
    if (!allowedHosts.has((req.headers.host ?? '').toLowerCase())) return sendJson(res, 421, error('bad-request', 'unexpected Host header'));
    if (!limiter.take(req.socket.remoteAddress ?? '?')) {
      res.setHeader('Retry-After', '10');
      return sendJson(res, 429, error('bad-request', 'too many requests'));
    }
    const url = new URL(req.url ?? '/', origin);
    if (!url.pathname.startsWith('/api/')) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, error('bad-request', 'method not allowed'));
      if (staticRoot && (await serveStatic(staticRoot, url.pathname, res))) return;
      return sendJson(res, 404, error('bad-request', 'not found'));
    }
    const reqOrigin = req.headers.origin;
    const crossAllowed = reqOrigin !== undefined && allowedOrigins.has(reqOrigin);
    if (reqOrigin !== undefined && reqOrigin !== origin && !crossAllowed) return sendJson(res, 403, error('bad-request', 'cross-origin request refused'));
    if (crossAllowed) {
      // An IT console on another origin (--allow-origin): CORS for it alone; the token is still required.
      res.setHeader('Access-Control-Allow-Origin', reqOrigin);
      res.setHeader('Vary', 'Origin');
      if (req.method === 'OPTIONS') {
        res.writeHead(204, {
          'Access-Control-Allow-Methods': 'GET, POST',
          'Access-Control-Allow-Headers': 'Authorization, Content-Type, Accept',
          'Access-Control-Max-Age': '600',
        });
        return void res.end();
      }
    }

    const method = url.pathname.startsWith('/api/v1/') ? url.pathname.slice('/api/v1/'.length) : '';
    if (method === 'health' && req.method === 'GET') return sendJson(res, 200, { name: 'mailmedic', version: VERSION });
    if (!tokenMatches(bearerToken(req.headers.authorization), opts.token)) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      return sendJson(res, 401, error('bad-request', 'missing or wrong token'));
    }
    if (!isMethod(method)) return sendJson(res, 404, error('bad-request', `no such API method: ${method}`));
    if (req.method !== 'POST') return sendJson(res, 405, error('bad-request', 'use POST'));
    if (api[method].mutates && !opts.allowFixes) {
      return sendJson(res, 403, error('bad-request', 'fixes are disabled on this server (start it with --allow-fixes)'));
    }
    let body: unknown;
    try {
      body = await readJsonBody(req, maxBody);
    } catch (e) {
      const tooBig = (e as Error).message === 'too-large';
      if (tooBig) res.setHeader('Connection', 'close');
      return sendJson(res, tooBig ? 413 : 400, error('bad-request', tooBig ? 'request body too large' : 'request body is not JSON'));
    }
    try {
      body = await confineRequestPaths(method, body, roots);
    } catch (e) {
      return sendJson(res, 400, error('bad-request', (e as Error).message));
    }
    if (method === 'fixApply') {
      const id = (body as { id?: unknown }).id;
      auditDetail.set(res, `fix ${String(id)}`);
      if (typeof id !== 'string' || !freshFixes.has(id)) {
        return sendJson(res, 409, error('bad-request', 'this fix was not offered by a recent scan on this server: scan again first'));
      }
    }
    if (method === 'undo') auditDetail.set(res, `undo ${String((body as { journalId?: unknown }).journalId ?? 'last')}`);
    const controller = new AbortController();
    res.on('close', () => controller.abort());
    const streaming = (req.headers.accept ?? '').includes('application/x-ndjson');
    if (streaming) {
      // Progress for long work: one JSON object per line, then {result} or {error}.
      res.writeHead(200, { 'Content-Type': 'application/x-ndjson; charset=utf-8', 'Cache-Control': 'no-cache' });
      const onProgress = (p: Progress) => res.write(JSON.stringify({ progress: p }) + '\n');
      try {
        const result = await dispatch(method, body, { ...opts.ctx, onProgress, signal: controller.signal });
        freshFixes.rememberFrom(result);
        res.end(JSON.stringify({ result }) + '\n');
      } catch (e) {
        const err = toApiError(e);
        res.end(JSON.stringify(error(err.kind, err.message)) + '\n');
      }
      return;
    }
    try {
      const result = await dispatch(method, body, { ...opts.ctx, signal: controller.signal });
      freshFixes.rememberFrom(result);
      sendJson(res, 200, result);
    } catch (e) {
      const err = toApiError(e);
      sendJson(res, STATUS[err.kind], error(err.kind, err.message));
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const hostPart = host.includes(':') ? `[${host}]` : host;
  origin = `${scheme}://${hostPart}:${port}`;
  allowedHosts = new Set([`${hostPart}:${port}`, `localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]);
  // Remote agent: IT reaches it by this machine's names, which a loopback-only rebinding check would refuse.
  if (!isLoopback(host)) allowedHosts = new Set([...allowedHosts, ...(opts.extraHostNames ?? []).map((h) => `${h.toLowerCase()}:${port}`)]);
  return {
    url: origin,
    openUrl: `${origin}/#token=${opts.token}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function error(kind: string, message: string) {
  return { error: { kind, message } };
}

function sendJson(res: http.ServerResponse, status: number, body: unknown) {
  if (res.headersSent) return void res.end();
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function readJsonBody(req: http.IncomingMessage, max: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > max) return reject(new Error('too-large'));
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) {
        // Stop reading; the 413 goes out with Connection: close, which ends the upload.
        req.removeAllListeners('data');
        req.pause();
        reject(new Error('too-large'));
      } else chunks.push(c);
    });
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        resolve(text.trim() === '' ? {} : JSON.parse(text));
      } catch {
        reject(new Error('not-json'));
      }
    });
    req.on('error', reject);
  });
}
