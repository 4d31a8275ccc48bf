import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { builtFile } from '../../core/built.ts';
import { ApiError } from '../../core/errors.ts';
import { newToken } from '../../server/auth.ts';
import { startServer } from '../../server/http.ts';
import { AuditLog } from '../../server/audit.ts';
import { parseListen } from '../../server/listen.ts';
import type { Cli } from '../command.ts';

/** The built UI (out/renderer, the same build the app window shows), or null when it is not there. */
export function rendererDir(): string | null {
  const dir = builtFile('renderer');
  return existsSync(path.join(dir, 'index.html')) ? dir : null;
}

export interface ServeOptions {
  port?: string;
  listen?: string;
  tlsCert?: string;
  tlsKey?: string;
  tlsCa?: string;
  tokenFile?: string;
  home?: string;
  allowRoot?: string[];
  allowFixes?: boolean;
  auditLog?: string;
  rateLimit: string;
  allowOrigin?: string[];
  console?: boolean;
}

/** `mailmedic serve`: the UI and the API on 127.0.0.1 (or, for IT, a TLS agent elsewhere) until SIGINT/SIGTERM. */
export async function run(cli: Cli, o: ServeOptions): Promise<void> {
  const { io } = cli;
  const ctx = cli.ctx(o.home);
  const listen = o.listen ? parseListen(o.listen) : { host: '127.0.0.1', port: o.port === undefined ? 0 : Number(o.port), loopback: true };
  if (!Number.isInteger(listen.port) || listen.port < 0 || listen.port > 65535) throw new ApiError('bad-request', `--port: not a port: ${o.port}`);
  if (!listen.loopback && !(o.tlsCert && o.tlsKey)) {
    throw new ApiError('bad-request', `--listen ${o.listen}: a non-loopback address needs --tls-cert and --tls-key`);
  }
  if (!listen.loopback && !o.tokenFile && !o.tlsCa) {
    throw new ApiError('bad-request', `--listen ${o.listen}: a non-loopback address needs --token-file (or --tls-ca for mutual TLS)`);
  }
  if (!o.tlsCert !== !o.tlsKey) throw new ApiError('bad-request', '--tls-cert and --tls-key go together');
  const token = o.tokenFile ? readToken(o.tokenFile) : newToken();
  const tls = o.tlsCert && o.tlsKey ? { cert: readFileSync(o.tlsCert), key: readFileSync(o.tlsKey), ca: o.tlsCa ? readFileSync(o.tlsCa) : undefined } : undefined;
  const audit = await AuditLog.open(o.auditLog ?? path.join(ctx.dataDir, 'audit.log'));
  const staticDir = rendererDir();
  const server = await startServer({
    ctx,
    token,
    staticDir,
    host: listen.host,
    port: listen.port,
    allowFixes: !!o.allowFixes,
    tls,
    audit,
    allowedRoots: o.allowRoot?.map((d) => path.resolve(d)) ?? [ctx.home],
    rateLimitPerMinute: Number(o.rateLimit),
    allowedOrigins: o.allowOrigin?.map(checkOrigin),
    connectSrc: o.console ? ['https:', 'http://127.0.0.1:*', 'http://localhost:*'] : [],
    extraHostNames: [os.hostname(), ...Object.values(os.networkInterfaces()).flatMap((l) => (l ?? []).map((a) => (a.family === 'IPv6' ? `[${a.address}]` : a.address)))],
  });
  if (!staticDir) io.stderr('mailmedic: the UI is not built (run `npm run build`); serving the API only.\n');
  // With a token file the token is the operator's secret: never print it.
  const open = o.tokenFile ? `${server.url}/  (token: the one in ${o.tokenFile})` : server.openUrl;
  io.stdout(`MailMedic is listening on ${server.url}\nOpen: ${open}\n${o.allowFixes ? 'Fixes are enabled.' : 'Read-only: fixes are disabled (use --allow-fixes).'}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => void server.close().then(resolve);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await audit.flush();
}

function checkOrigin(origin: string): string {
  let u: URL;
  try {
    u = new URL(origin);
  } catch {
    throw new ApiError('bad-request', `--allow-origin: not an origin: ${origin}`);
  }
  if (!/^https?:$/.test(u.protocol) || u.origin !== origin.replace(/\/$/, '')) {
    throw new ApiError('bad-request', `--allow-origin: give scheme://host[:port] only, got ${origin}`);
  }
  return u.origin;
}

function readToken(file: string): string {
  const token = readFileSync(file, 'utf8').trim();
  if (token.length < 16) throw new ApiError('bad-request', `--token-file ${file}: the token must be at least 16 characters`);
  return token;
}
