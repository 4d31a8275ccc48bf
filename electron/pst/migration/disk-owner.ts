import { readFile, stat } from 'node:fs/promises';
import type { EngineContext } from '../../core/context.ts';
import { mapLimit } from './each.ts';

// The owner of each file on disk, one of the owner-guess sources. POSIX: the file's uid through the passwd file
// (then `id -nu` for directory accounts); Windows: the owner in the file's security descriptor, one PowerShell call
// for the whole batch. Best effort: an owner that cannot be read is null. Injectable for tests.

/** Path → account name (null when unknown). */
export type FileOwnerLookup = (paths: string[]) => Promise<Map<string, string | null>>;

/** Pure: passwd lines → uid → name. */
export function parsePasswd(text: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const line of text.split('\n')) {
    const f = line.split(':');
    if (f.length >= 3 && /^\d+$/.test(f[2]!) && !out.has(Number(f[2]))) out.set(Number(f[2]), f[0]!);
  }
  return out;
}

export function posixOwners(ctx: EngineContext, passwd = '/etc/passwd'): FileOwnerLookup {
  return async (paths) => {
    const names = parsePasswd(await readFile(passwd, 'utf8').catch(() => ''));
    const uids = await mapLimit(paths, 32, (p) => stat(p).then((st) => st.uid, () => null));
    for (const uid of new Set(uids)) {
      if (uid === null || names.has(uid)) continue;
      const r = await ctx.run('id', ['-nu', String(uid)], { timeoutMs: 5000 });
      names.set(uid, r.code === 0 && r.stdout.trim() ? r.stdout.trim() : String(uid));
    }
    return new Map(paths.map((p, i) => [p, uids[i] === null ? null : names.get(uids[i]!)!]));
  };
}

/** Reads paths from standard input, prints one owner (DOMAIN\user) or an empty line per path. */
const PS_OWNERS =
  '$input | ForEach-Object { try { [System.IO.File]::GetAccessControl($_).GetOwner([System.Security.Principal.NTAccount]).Value } catch { "" } }';

export function windowsOwners(ctx: EngineContext): FileOwnerLookup {
  return async (paths) => {
    const out = new Map<string, string | null>(paths.map((p) => [p, null]));
    if (paths.length === 0) return out;
    const r = await ctx.run('powershell', ['-NoProfile', '-NonInteractive', '-Command', PS_OWNERS], { input: paths.join('\r\n') + '\r\n', timeoutMs: 60_000 + paths.length * 20 });
    if (r.code !== 0) return out;
    const lines = r.stdout.split(/\r?\n/);
    paths.forEach((p, i) => out.set(p, lines[i]?.trim() || null));
    return out;
  };
}

export function defaultFileOwners(ctx: EngineContext): FileOwnerLookup {
  return ctx.platform === 'win32' ? windowsOwners(ctx) : posixOwners(ctx);
}
