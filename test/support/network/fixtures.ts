import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CommandResult, CommandRunner, EngineContext } from '../../../electron/core/context.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/network');

/** A recorded command output from test/fixtures/network/<os>/<name>. */
export function fixture(os: 'linux' | 'macos' | 'windows', name: string): string {
  return readFileSync(path.join(ROOT, os, name), 'utf8');
}

export const okResult = (stdout: string): CommandResult => ({ code: 0, stdout, stderr: '', error: null });
export const notFound: CommandResult = { code: null, stdout: '', stderr: '', error: 'not-found' };
export const exited = (code: number, stderr: string, stdout = ''): CommandResult => ({ code, stdout, stderr, error: null });

/**
 * A CommandRunner that answers from recorded outputs, keyed by a substring of "cmd arg arg…"
 * (first match wins); anything unrecorded is "not installed". Records every call it gets.
 */
export function recordedRunner(answers: Array<[string, CommandResult]>): CommandRunner & { calls: string[] } {
  const calls: string[] = [];
  const run: CommandRunner = async (cmd, args) => {
    const line = [cmd, ...args].join(' ');
    calls.push(line);
    return answers.find(([key]) => line.includes(key))?.[1] ?? notFound;
  };
  return Object.assign(run, { calls });
}

export function contextWith(run: CommandRunner, platform: NodeJS.Platform, env: NodeJS.ProcessEnv = {}): EngineContext {
  return { home: '/nonexistent-home', dataDir: '/nonexistent-data', platform, env, run };
}
