import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CommandRunner, EngineContext } from '../../../electron/core/context.ts';
import { runCommand } from '../../../electron/engine/run-command.ts';

export const CLIENT_FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/clients');

/** A context on a fixture home: the same code path as the real home, with a private data dir. */
export function fixtureContext(home: string, over: Partial<EngineContext> = {}): EngineContext {
  return {
    home,
    dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'mm-data-')),
    platform: 'linux',
    env: {},
    run: runCommand,
    ...over,
  };
}

/** Copies a fixture home to a temp dir, so fixes never touch the repo's fixtures. */
export function copyFixtureHome(name: string): string {
  const dst = fs.mkdtempSync(path.join(os.tmpdir(), `mm-home-${name}-`));
  fs.cpSync(path.join(CLIENT_FIXTURES, name), dst, { recursive: true });
  return dst;
}

/** A CommandRunner that answers from a recorded table (for process lists of other OSes). */
export function recordedRunner(table: Record<string, { code: number; stdout: string }>): CommandRunner {
  return async (cmd, args) => {
    const hit = table[[cmd, ...args].join(' ')];
    return hit ? { ...hit, stderr: '', error: null } : { code: null, stdout: '', stderr: '', error: 'not-found' };
  };
}

/**
 * The real runner, except that the process list is empty: for tests of what a fix writes, so they do not depend on
 * what else runs on the machine (a developer's own Claws Mail, or the real-client test running beside them). The
 * running-client guard itself is tested with real processes.
 */
export const noClientsRunning: CommandRunner = async (cmd, args, opts) =>
  cmd === 'ps' || cmd === 'tasklist' ? { code: 0, stdout: '', stderr: '', error: null } : runCommand(cmd, args, opts);
