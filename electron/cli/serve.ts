import type { Command } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EngineContext } from '../core/context.ts';
import { ApiError } from '../core/errors.ts';
import { newToken } from '../server/auth.ts';
import { startServer } from '../server/http.ts';
import { AuditLog } from '../server/audit.ts';
import { parseListen } from '../server/listen.ts';

interface IO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

/** Where the built renderer lives: dist/renderer next to the sources (vite build). */
export function rendererDir(): string | null {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const dir = path.resolve(here, '../../dist/renderer');
  return existsSync(path.join(dir, 'index.html')) ? dir : null;
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

export function serveCommand(program: Command, io: IO, homeCtx: (home?: string) => EngineContext) {
  program
    .command('serve')
    .description('serve the MailMedic UI and API (127.0.0.1 by default; token-protected)')
    .option('--port <n>', 'port on 127.0.0.1 (default: any free port)')
    .option('--listen <addr:port>', 'listen elsewhere (remote agent for IT): needs --tls-cert/--tls-key and --token-file')
    .option('--tls-cert <file>', 'TLS certificate (PEM)')
    .option('--tls-key <file>', 'TLS private key (PEM)')
    .option('--tls-ca <file>', 'require client certificates signed by this CA (mutual TLS)')
    .option('--token-file <file>', 'read the bearer token from FILE instead of making a random one')
    .option('--home <dir>', "inspect DIR as the user's home")
    .option('--allow-root <dir>', 'folders API callers may name (PST files, salvage output); repeatable; default: the home', collect)
    .option('--allow-fixes', 'allow fix and undo calls (read-only otherwise)')
    .option('--audit-log <file>', 'append-only audit log of every API request (default: <data dir>/audit.log)')
    .option('--rate-limit <n>', 'API requests per minute per client', '120')
    .option('--allow-origin <origin>', 'let an IT console at ORIGIN (e.g. https://console:8443) call this agent; repeatable', collect)
    .option('--console', 'the served UI may connect to remote agents (IT console: https agents, or loopback ones)')
    .action(async (o) => {
      const ctx = homeCtx(o.home);
      const listen = o.listen ? parseListen(o.listen) : { host: '127.0.0.1', port: o.port === undefined ? 0 : Number(o.port), loopback: true };
      if (!Number.isInteger(listen.port) || listen.port < 0 || listen.port > 65535) throw new ApiError('bad-request', `--port: not a port: ${o.port}`);
      if (!listen.loopback && !(o.tlsCert && o.tlsKey)) {
        throw new ApiError('bad-request', `--listen ${o.listen}: a non-loopback address needs --tls-cert and --tls-key`);
      }
      if (!listen.loopback && !o.tokenFile && !o.tlsCa) {
        throw new ApiError('bad-request', `--listen ${o.listen}: a non-loopback address needs --token-file (or --tls-ca for mutual TLS)`);
      }
      const token = o.tokenFile ? readToken(o.tokenFile) : newToken();
      const tls = o.tlsCert ? { cert: readFileSync(o.tlsCert), key: readFileSync(o.tlsKey), ca: o.tlsCa ? readFileSync(o.tlsCa) : undefined } : undefined;
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
        allowedRoots: (o.allowRoot as string[] | undefined)?.map((d) => path.resolve(d)) ?? [ctx.home],
        rateLimitPerMinute: Number(o.rateLimit),
        allowedOrigins: (o.allowOrigin as string[] | undefined)?.map(checkOrigin),
        connectSrc: o.console ? ['https:', 'http://127.0.0.1:*', 'http://localhost:*'] : [],
        extraHostNames: [os.hostname(), ...Object.values(os.networkInterfaces()).flatMap((l) => (l ?? []).map((a) => (a.family === 'IPv6' ? `[${a.address}]` : a.address)))],
      });
      if (!staticDir) io.stderr('mailmedic: the UI is not built (run `npm run build:renderer`); serving the API only.\n');
      // With a token file the token is the operator's secret: never print it.
      const open = o.tokenFile ? `${server.url}/  (token: the one in ${o.tokenFile})` : server.openUrl;
      io.stdout(`MailMedic is listening on ${server.url}\nOpen: ${open}\n${o.allowFixes ? 'Fixes are enabled.' : 'Read-only: fixes are disabled (use --allow-fixes).'}\n`);
      await new Promise<void>((resolve) => {
        const stop = () => void server.close().then(resolve);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await audit.flush();
    });
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
