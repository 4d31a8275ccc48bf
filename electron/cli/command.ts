import type { EngineContext } from '../core/context.ts';

/** Exit codes (documented in the README; RMM tools such as Intune key on them). */
export const EXIT = { OK: 0, FINDINGS: 1, CANNOT_RUN: 2 } as const;

export interface CliIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  ctx: EngineContext;
}

/** What main.ts hands a command: where to write, the engine context (for `--home DIR` too), and the exit code. */
export interface Cli {
  io: CliIO;
  /** The engine context, inspecting DIR as the user's home when `--home DIR` was given. */
  ctx: (home?: string) => EngineContext;
  /** Sets the exit code runCli returns (0 unless a command sets another). */
  exit: (code: number) => void;
}
