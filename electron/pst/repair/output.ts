import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { TargetExistsError, UsageError } from '../../core/errors.ts';

// Where a repair writes: TARGET, or TARGET-1.pst, TARGET-2.pst, … when split. Every part is first written under a
// hidden temporary name in the target's folder (same file system, so the final rename is atomic), fsynced by the
// writer, and renamed into place only when the whole run has succeeded; a failed or cancelled run removes every
// temporary file, so it leaves nothing behind.

export class OutputFiles {
  readonly dir: string;
  private readonly stem: string;
  private readonly ext: string;
  private readonly temps: string[] = [];
  private readonly tag = randomBytes(4).toString('hex');

  constructor(
    readonly target: string,
    readonly split: boolean,
    private readonly force: boolean,
    /** The store being repaired (its real path): no output may ever take its name. */
    private readonly source: string,
  ) {
    this.dir = dirname(target);
    this.ext = extname(target);
    this.stem = basename(target, this.ext);
  }

  /** The final name of part `k` (1-based). */
  finalPath(k: number): string {
    return this.split ? join(this.dir, `${this.stem}-${k}${this.ext}`) : this.target;
  }

  /** Existing files this run would replace (the target, or any TARGET-N part). */
  existing(): string[] {
    if (!this.split) return exists(this.target) ? [this.target] : [];
    const re = new RegExp(`^${escapeRe(this.stem)}-\\d+${escapeRe(this.ext)}$`);
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return [];
    }
    return names.filter((n) => re.test(n)).map((n) => join(this.dir, n));
  }

  /** Refuses to run when the output folder is missing, or when an output exists and `force` was not given. */
  check(): void {
    let st;
    try {
      st = statSync(this.dir);
    } catch {
      throw new UsageError(`the output folder ${this.dir} does not exist`);
    }
    if (!st.isDirectory()) throw new UsageError(`${this.dir} is not a folder`);
    const found = this.existing();
    if (found.some((f) => sameFile(f, this.source))) throw new UsageError('the new store must not replace the store being repaired');
    if (found.length > 0 && !this.force) {
      throw new TargetExistsError(found, `${found[0]} already exists; choose another name, or allow replacing it (--force)`);
    }
  }

  /** A fresh temporary name for part `k`. */
  tempPath(k: number): string {
    const p = join(this.dir, `.${this.stem}${this.split ? `-${k}` : ''}${this.ext}.${this.tag}.mailmedic-partial`);
    this.temps.push(p);
    return p;
  }

  /** Renames every part into place (replacing an existing file only with `force`) and syncs the folder. */
  commit(parts: { temp: string; final: string }[]): void {
    for (const p of parts) if (sameFile(p.final, this.source)) throw new UsageError(`${p.final} is the store being repaired; nothing was replaced`);
    if (!this.force) {
      for (const p of parts) if (exists(p.final)) throw new UsageError(`${p.final} appeared while the repair ran; nothing was replaced`);
    }
    for (const p of parts) renameSync(p.temp, p.final);
    this.temps.length = 0;
    try {
      const fd = openSync(this.dir, 'r');
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    } catch {
      // some file systems cannot sync a directory; the files themselves are synced
    }
  }

  /** Removes every temporary file of this run. */
  discard(): void {
    for (const t of this.temps) rmSync(t, { force: true });
    this.temps.length = 0;
  }
}

function exists(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}

function sameFile(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    const x = statSync(a);
    const y = statSync(b);
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
