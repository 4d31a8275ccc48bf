import type { ChildProcess } from 'node:child_process';

/** True once the process has exited or was killed. */
export const exited = (p: ChildProcess): boolean => p.exitCode !== null || p.signalCode !== null;

/** Kills a still-running detached child's whole process group (a client and its helpers), for afterAll. */
export function killGroup(p: ChildProcess | null): void {
  if (p?.pid && !exited(p)) process.kill(-p.pid, 'SIGKILL');
}
