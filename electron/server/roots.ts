import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../core/errors.ts';

/**
 * Confines paths given over the API to allowed roots: no `..` tricks, no symlink escapes (the real path
 * must stay inside a root's real path). A path that does not exist yet (a salvage output folder) is checked
 * through its nearest existing parent.
 */
export async function confinePath(given: string, roots: string[]): Promise<string> {
  if (given.includes('\0')) throw new UsageError('path contains a NUL byte');
  if (!path.isAbsolute(given)) throw new UsageError(`path must be absolute: ${given}`);
  const real = await realpathOfNearest(path.resolve(given));
  for (const root of roots) {
    const r = await realpath(root).catch(() => null);
    if (r && (real === r || real.startsWith(r.endsWith(path.sep) ? r : r + path.sep))) return path.resolve(given);
  }
  throw new UsageError(`path is outside the folders this server may read: ${given}`);
}

async function realpathOfNearest(p: string): Promise<string> {
  const rest: string[] = [];
  let cur = p;
  for (let i = 0; i < 4096; i++) {
    try {
      return path.join(await realpath(cur), ...rest.reverse());
    } catch {
      const parent = path.dirname(cur);
      if (parent === cur) break;
      rest.push(path.basename(cur));
      cur = parent;
    }
  }
  throw new UsageError(`cannot resolve path: ${p}`);
}
