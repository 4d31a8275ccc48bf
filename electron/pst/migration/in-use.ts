import { open, readdir, readFile, readlink, realpath } from 'node:fs/promises';
import path from 'node:path';
import type { EngineContext } from '../../core/context.ts';
import { mapLimit } from './each.ts';

// Is a store held open by another process (a running Outlook, a backup, a sync client)? Then a copy taken now may be
// inconsistent. Never writes the file: Linux reads /proc/<pid>/fd links, macOS asks lsof, Windows opens the file
// (read, then read-write without writing) and takes a sharing violation as "open elsewhere". Injectable for tests.

export interface FileHolder {
  pid: number | null;
  /** Process name (comm / lsof command), when known. */
  name: string | null;
}

/** Path (as given) → the processes holding it; paths nobody holds are absent. */
export type InUseProbe = (paths: string[]) => Promise<Map<string, FileHolder[]>>;

/** File descriptors looked at in all (a bound for machines with huge process tables). */
const MAX_LINKS = 1_000_000;

/** Reads every process's open files under `root` (/proc), skipping this process (the scan's own reads). */
export function procfsProbe(root = '/proc', self = process.pid): InUseProbe {
  return async (paths) => {
    const out = new Map<string, FileHolder[]>();
    const wanted = new Map<string, string[]>();
    const reals = await mapLimit(paths, 32, (p) => realpath(p).catch(() => path.resolve(p)));
    paths.forEach((p, i) => {
      const real = reals[i]!;
      const same = wanted.get(real);
      if (same) same.push(p);
      else wanted.set(real, [p]);
    });
    if (wanted.size === 0) return out;
    const pids = (await readdir(root).catch(() => [] as string[])).filter((d) => /^\d+$/.test(d) && Number(d) !== self);
    let links = 0;
    // A few processes at a time, each one's links at once: one round trip per link in turn took ~0.5 s on 130 processes.
    const found = await mapLimit(pids, 16, async (pid) => {
      if (links > MAX_LINKS) return null;
      const dir = path.join(root, pid, 'fd');
      // Other users' processes are unreadable without privileges: those are simply not known.
      const fds = await readdir(dir).catch(() => [] as string[]);
      links += fds.length;
      const targets = await Promise.all(fds.map((fd) => readlink(path.join(dir, fd)).catch(() => null)));
      const hits = new Set(targets.filter((t): t is string => t !== null && wanted.has(t)));
      if (hits.size === 0) return null;
      const name = (await readFile(path.join(root, pid, 'comm'), 'utf8').catch(() => '')).trim() || null;
      return { pid: Number(pid), name, hits };
    });
    for (const h of found) {
      if (!h) continue;
      for (const real of h.hits) for (const p of wanted.get(real)!) out.set(p, [...(out.get(p) ?? []), { pid: h.pid, name: h.name }]);
    }
    return out;
  };
}

/** Windows: a sharing violation (EBUSY) when opening for read, or for read-write (nothing is written), means in use. */
export function windowsOpenProbe(): InUseProbe {
  const busy = async (p: string, flags: 'r' | 'r+'): Promise<boolean> => {
    try {
      await (await open(p, flags)).close();
      return false;
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === 'EBUSY';
    }
  };
  return async (paths) => {
    const out = new Map<string, FileHolder[]>();
    for (const p of paths) if ((await busy(p, 'r')) || (await busy(p, 'r+'))) out.set(p, [{ pid: null, name: null }]);
    return out;
  };
}

/** Pure: `lsof -F pcn` output → path → holders. */
export function parseLsof(out: string): Map<string, FileHolder[]> {
  const res = new Map<string, FileHolder[]>();
  let pid: number | null = null;
  let name: string | null = null;
  for (const line of out.split('\n')) {
    const tag = line[0];
    const v = line.slice(1);
    if (tag === 'p') {
      pid = Number(v);
      name = null;
    } else if (tag === 'c') name = v;
    else if (tag === 'n' && pid !== null) res.set(v, [...(res.get(v) ?? []), { pid, name }]);
  }
  return res;
}

/** macOS (and other systems with lsof): one lsof call per 200 files. */
export function lsofProbe(run: EngineContext['run'], self = process.pid): InUseProbe {
  return async (paths) => {
    const out = new Map<string, FileHolder[]>();
    for (let i = 0; i < paths.length; i += 200) {
      const part = paths.slice(i, i + 200);
      const r = await run('lsof', ['-F', 'pcn', '--', ...part], { timeoutMs: 30_000 });
      for (const [p, holders] of parseLsof(r.stdout)) {
        const others = holders.filter((h) => h.pid !== self);
        if (others.length > 0 && part.includes(p)) out.set(p, others);
      }
    }
    return out;
  };
}

export function defaultInUseProbe(ctx: EngineContext): InUseProbe {
  if (ctx.platform === 'win32') return windowsOpenProbe();
  if (ctx.platform === 'linux') return procfsProbe();
  return lsofProbe(ctx.run);
}
