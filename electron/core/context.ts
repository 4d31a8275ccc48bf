import type { Progress } from './progress.ts';

/** Result of running an external command; collectors parse `stdout` with pure parsers. */
export interface CommandResult {
  /** null when the command could not be started (see `error`). */
  code: number | null;
  stdout: string;
  stderr: string;
  /** 'not-found' (ENOENT), 'timeout', 'denied' (EACCES) or another errno text. */
  error: string | null;
}

/** Injectable seam for every external command the collectors run (tests pass recorded output). */
export type CommandRunner = (cmd: string, args: string[], opts?: { timeoutMs?: number; input?: string }) => Promise<CommandResult>;

/** Everything an engine call may need from the outside world; all of it injectable. */
export interface EngineContext {
  /** The user's home to inspect (`--home DIR`); defaults to the real home. */
  home: string;
  /** MailMedic's own data folder (journal, backups); MAILMEDIC_DATA_DIR overrides it. */
  dataDir: string;
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  run: CommandRunner;
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
}
