import os from 'node:os';
import path from 'node:path';
import type { EngineContext } from '../core/context.ts';
import { runCommand } from './run-command.ts';

/** MailMedic's own data folder, by OS convention; MAILMEDIC_DATA_DIR overrides it. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.MAILMEDIC_DATA_DIR) return path.resolve(env.MAILMEDIC_DATA_DIR);
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'), 'MailMedic');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'MailMedic');
  return path.join(env.XDG_DATA_HOME ?? path.join(home, '.local', 'share'), 'mailmedic');
}

/** The real machine: real home, real commands. `home` overrides the home to inspect (`--home DIR`). */
export function defaultContext(overrides: Partial<EngineContext> = {}): EngineContext {
  return {
    home: os.homedir(),
    dataDir: defaultDataDir(),
    platform: process.platform,
    env: process.env,
    run: runCommand,
    ...overrides,
  };
}
