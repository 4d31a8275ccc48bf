import type http from 'node:http';
import { api, isMethod, type Method } from '../contract/api.ts';
import { errorBody } from '../contract/envelope.ts';
import { VERSION } from '../core/version.ts';
import { bearerToken, tokenMatches } from './auth.ts';
import type { RateLimiter } from './rate-limit.ts';
import { confineRequestPaths } from './confine-request.ts';
import type { FreshFixIds } from './fresh-fixes.ts';

// The HTTP server's checks, one small function each, applied in order. A guard answers instead of the call (a
// refusal, or a public reply such as health or a CORS preflight) or returns nothing to let the request go on.
// The order matters: nothing about the API is told before the Host and Origin checks, nothing but health before
// the token, and no body is read before the method is known to be allowed.

/** A request on its way through the guards; later guards read what earlier ones established. */
export interface Pending {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  url: URL;
  /** The name in /api/v1/<name>, '' for other /api/ paths; a contract method once `knownMethod` passed. */
  name: string;
  /** The parsed body (`jsonBody`), with its paths confined to the allowed roots (`confinedPaths`). */
  body?: unknown;
}

/** What a guard answers instead of the call. */
export interface Answer {
  status: number;
  /** JSON body; none for a bare status (the CORS preflight). */
  body?: unknown;
  headers?: Record<string, string>;
}

/** The server's settings and state that the guards read. */
export interface GuardState {
  token: string;
  allowFixes: boolean;
  maxBody: number;
  roots: string[];
  /** This server's own origin and Host header values (known once it listens). */
  origin: string;
  allowedHosts: Set<string>;
  /** IT consoles on other origins allowed to call the API (CORS). */
  allowedOrigins: Set<string>;
  limiter: RateLimiter;
  freshFixes: FreshFixIds;
  /** What the audit line says beside the status (the fix or undo asked for). */
  auditDetail: WeakMap<http.ServerResponse, string>;
}

export type Guard<P = Pending> = (p: P, s: GuardState) => Answer | undefined | Promise<Answer | undefined>;

const refuse = (status: number, message: string, headers?: Record<string, string>): Answer => ({ status, body: errorBody('bad-request', message), headers });

/** DNS rebinding: a page on evil.example resolving to 127.0.0.1 still sends its own Host header. */
const knownHost: Guard<Pick<Pending, 'req'>> = ({ req }, s) =>
  s.allowedHosts.has((req.headers.host ?? '').toLowerCase()) ? undefined : refuse(421, 'unexpected Host header');

const rateLimited: Guard<Pick<Pending, 'req'>> = ({ req }, s) =>
  s.limiter.take(req.socket.remoteAddress ?? '?') ? undefined : refuse(429, 'too many requests', { 'Retry-After': '10' });

/** Every request, UI or API. */
export const REQUEST_GUARDS: Guard<Pick<Pending, 'req'>>[] = [knownHost, rateLimited];

/** Only this server's own pages, or an IT console allowed by --allow-origin (which gets CORS, and still needs the token). */
const sameOrigin: Guard = ({ req, res }, s) => {
  const from = req.headers.origin;
  if (from === undefined || from === s.origin) return undefined;
  if (!s.allowedOrigins.has(from)) return refuse(403, 'cross-origin request refused');
  res.setHeader('Access-Control-Allow-Origin', from);
  res.setHeader('Vary', 'Origin');
  if (req.method !== 'OPTIONS') return undefined;
  return {
    status: 204,
    headers: { 'Access-Control-Allow-Methods': 'GET, POST', 'Access-Control-Allow-Headers': 'Authorization, Content-Type, Accept', 'Access-Control-Max-Age': '600' },
  };
};

/** The one route without the token: name and version only. */
const publicHealth: Guard = ({ req, name }) => (name === 'health' && req.method === 'GET' ? { status: 200, body: { name: 'mailmedic', version: VERSION } } : undefined);

const tokenRequired: Guard = ({ req }, s) =>
  tokenMatches(bearerToken(req.headers.authorization), s.token) ? undefined : refuse(401, 'missing or wrong token', { 'WWW-Authenticate': 'Bearer' });

const knownMethod: Guard = ({ name }) => (isMethod(name) ? undefined : refuse(404, `no such API method: ${name}`));

const postOnly: Guard = ({ req }) => (req.method === 'POST' ? undefined : refuse(405, 'use POST'));

const fixesAllowed: Guard = ({ name }, s) =>
  api[name as Method].mutates && !s.allowFixes ? refuse(403, 'fixes are disabled on this server (start it with --allow-fixes)') : undefined;

/**
 * pstExport carries a whole PST report back (a readiness scan of a share of hundreds of files runs to megabytes);
 * every other request is small and keeps the server's limit.
 */
const EXPORT_BODY_BYTES = 64 * 1024 * 1024;
const bodyLimit = (name: string, s: GuardState) => (name === 'pstExport' ? Math.max(s.maxBody, EXPORT_BODY_BYTES) : s.maxBody);

const jsonBody: Guard = async (p, s) => {
  try {
    p.body = await readJsonBody(p.req, bodyLimit(p.name, s));
    return undefined;
  } catch (e) {
    // Too large: the refusal goes out with Connection: close, which ends the upload.
    if ((e as Error).message === 'too-large') return refuse(413, 'request body too large', { Connection: 'close' });
    return refuse(400, 'request body is not JSON');
  }
};

/** Paths given over the API (PST files, salvage output, --home) stay inside the allowed roots. */
const confinedPaths: Guard = async (p, s) => {
  try {
    p.body = await confineRequestPaths(p.name as Method, p.body, s.roots);
    return undefined;
  } catch (e) {
    return refuse(400, (e as Error).message);
  }
};

/** Replacing an existing file (a repair's `force`) is a change like a fix: a read-only server refuses it. */
const replaceNeedsFixes: Guard = ({ name, body }, s) =>
  name === 'pstRepair' && (body as { force?: unknown }).force === true && !s.allowFixes
    ? refuse(403, 'replacing an existing file is disabled on this server (start it with --allow-fixes)')
    : undefined;

/** Names the fix or undo in the audit line, whatever the answer; never refuses. */
const auditNote: Guard = ({ res, name, body }, s) => {
  if (name === 'fixApply') s.auditDetail.set(res, `fix ${String((body as { id?: unknown }).id)}`);
  if (name === 'undo') s.auditDetail.set(res, `undo ${String((body as { journalId?: unknown }).journalId ?? 'last')}`);
  return undefined;
};

/** A remote caller can only apply a fix that a recent result of this server offered. */
const freshFix: Guard = ({ name, body }, s) => {
  if (name !== 'fixApply') return undefined;
  const id = (body as { id?: unknown }).id;
  return typeof id === 'string' && s.freshFixes.has(id) ? undefined : refuse(409, 'this fix was not offered by a recent scan on this server: scan again first');
};

/** API requests, after REQUEST_GUARDS, in this order. */
export const API_GUARDS: Guard[] = [sameOrigin, publicHealth, tokenRequired, knownMethod, postOnly, fixesAllowed, jsonBody, replaceNeedsFixes, confinedPaths, auditNote, freshFix];

/** The first answer of GUARDS in order, or undefined when every guard let the request through. */
export async function firstAnswer<P>(guards: Guard<P>[], p: P, s: GuardState): Promise<Answer | undefined> {
  for (const guard of guards) {
    const answer = await guard(p, s);
    if (answer) return answer;
  }
  return undefined;
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
