import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EngineContext } from '../engine/context.ts';
import { ApiError } from '../engine/dispatch.ts';
import { newToken } from '../server/auth.ts';
import { startServer } from '../server/http.ts';

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

export function serveCommand(program: Command, io: IO, homeCtx: (home?: string) => EngineContext) {
  program
    .command('serve')
    .description('serve the MailMedic UI and API on 127.0.0.1 (token-protected)')
    .option('--port <n>', 'port to listen on (default: any free port)')
    .option('--home <dir>', "inspect DIR as the user's home")
    .option('--allow-fixes', 'allow fix and undo calls (read-only otherwise)')
    .action(async (o) => {
      const port = o.port === undefined ? 0 : Number(o.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ApiError('bad-request', `--port: not a port: ${o.port}`);
      const staticDir = rendererDir();
      const server = await startServer({ ctx: homeCtx(o.home), token: newToken(), staticDir, port, allowFixes: !!o.allowFixes });
      if (!staticDir) io.stderr('mailmedic: the UI is not built (run `npm run build:renderer`); serving the API only.\n');
      io.stdout(`MailMedic is listening on ${server.url}\nOpen: ${server.openUrl}\n${o.allowFixes ? 'Fixes are enabled.' : 'Read-only: fixes are disabled (use --allow-fixes).'}\n`);
      await new Promise<void>((resolve) => {
        const stop = () => void server.close().then(resolve);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
