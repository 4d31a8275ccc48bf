import { spawn } from 'node:child_process';
import type { CommandResult, CommandRunner } from '../core/context.ts';

const MAX_OUTPUT = 16 * 1024 * 1024;
/** How long output may still arrive after the command exited. */
const DRAIN_MS = 1_000;

/** The real CommandRunner: no shell, bounded time and output, never throws. */
export const runCommand: CommandRunner = (cmd, args, opts = {}) =>
  new Promise<CommandResult>((resolve) => {
    const timeoutMs = opts.timeoutMs ?? 15_000;
    let stdout = '';
    let stderr = '';
    let settled = false;
    let drain: ReturnType<typeof setTimeout> | undefined;
    const done = (r: CommandResult) => {
      if (!settled) {
        settled = true;
        clearTimeout(timer);
        clearTimeout(drain);
        // Stop reading: a pipe still open must not keep this process alive.
        child.stdout?.destroy();
        child.stderr?.destroy();
        resolve(r);
      }
    };
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(cmd, args, { shell: false, windowsHide: true, stdio: ['pipe', 'pipe', 'pipe'] });
    } catch (e) {
      resolve({ code: null, stdout: '', stderr: '', error: String((e as Error).message) });
      return;
    }
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      done({ code: null, stdout, stderr, error: 'timeout' });
    }, timeoutMs);
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      if (stdout.length < MAX_OUTPUT) stdout += d;
    });
    child.stderr?.setEncoding('utf8').on('data', (d: string) => {
      if (stderr.length < MAX_OUTPUT) stderr += d;
    });
    child.on('error', (e: NodeJS.ErrnoException) => {
      const error = e.code === 'ENOENT' ? 'not-found' : e.code === 'EACCES' ? 'denied' : (e.code ?? e.message);
      done({ code: null, stdout, stderr, error });
    });
    // Normally the pipes close right after the exit. A process the command started (a service, a daemon) can inherit
    // them and hold them open for as long as it runs (wmic under Wine does this): once the command has exited, its
    // output is taken as complete after a short wait.
    child.on('exit', (code) => {
      drain = setTimeout(() => done({ code, stdout, stderr, error: null }), DRAIN_MS);
    });
    child.on('close', (code) => done({ code, stdout, stderr, error: null }));
    if (opts.input !== undefined) child.stdin?.end(opts.input);
    else child.stdin?.end();
  });
