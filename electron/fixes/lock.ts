import fs from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../core/errors.ts';

/** True when a process with this pid exists (EPERM: it exists but belongs to someone else). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One fix or undo at a time per data folder (the CLI, the UI and the server may run together). The lock file holds
 * the owner's pid; a lock left by a killed process is taken over.
 */
export async function withFixLock<T>(dataDir: string, fn: () => Promise<T>): Promise<T> {
  await fs.mkdir(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, 'fix.lock');
  for (let attempt = 0; ; attempt++) {
    try {
      const fh = await fs.open(file, 'wx', 0o600);
      await fh.writeFile(String(process.pid));
      await fh.close();
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 3) throw e;
      const owner = Number((await fs.readFile(file, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && alive(owner)) {
        throw new UsageError(`another fix or undo is running (process ${owner}); wait for it to finish`);
      }
      await fs.rm(file, { force: true }); // stale: its owner is gone
    }
  }
  try {
    return await fn();
  } finally {
    await fs.rm(file, { force: true });
  }
}
