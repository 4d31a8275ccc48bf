import { spawn } from 'node:child_process';
import type { CommandResult, CommandRunner } from '../core/context.ts';

const MAX_OUTPUT = 16 * 1024 * 1024;
/** How long output may still arrive after the command exited. */
const DRAIN_MS = 1_000;

/**
 * Errors of a process that could not be created, which the same call can get past a moment later: out of file
 * descriptors or memory, or Windows' CreateProcess failing under load (libuv's UNKNOWN; seen with reg.exe under Wine).
 */
const TRANSIENT = new Set(['EMFILE', 'ENFILE', 'EAGAIN', 'ENOMEM', 'EBUSY', 'UNKNOWN']);
const RETRY_AFTER_MS = 250;

/**
 * The real CommandRunner: no shell, bounded time and output, never throws. A command that could not be started for a
 * passing reason is started once more (it never ran, so this cannot repeat what it does).
 */
export const runCommand: CommandRunner = async (cmd, args, opts = {}) => {
  const first = await runOnce(cmd, args, opts);
  if (first.started || !TRANSIENT.has(first.result.error ?? '')) return first.result;
  await new Promise((r) => setTimeout(r, RETRY_AFTER_MS));
  return (await runOnce(cmd, args, opts)).result;
};

function runOnce(cmd: string, args: string[], opts: { timeoutMs?: number; input?: string }): Promise<{ result: CommandResult; started: boolean }> {
  return new Promise((resolveRun) => {
    let started = false;
    const resolve = (result: CommandResult) => resolveRun({ result, started });
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
      resolve({ code: null, stdout: '', stderr: '', error: (e as NodeJS.ErrnoException).code ?? String((e as Error).message) });
      return;
    }
    child.on('spawn', () => (started = true));
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
}
