import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';

// Expands the scan arguments: files are taken as given, folders are searched recursively for .pst/.ost.
// Bounded: depth ≤ 32 and at most 100,000 entries visited; symlinked directories are not followed (no cycles).

const MAX_DEPTH = 32;
const MAX_ENTRIES = 100_000;

export interface Discovered {
  files: string[];
  /** Arguments that could not be used, with the reason. */
  missing: { path: string; reason: string }[];
}

export async function discoverStores(paths: string[]): Promise<Discovered> {
  const out: Discovered = { files: [], missing: [] };
  const seen = new Set<string>();
  let visited = 0;
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (depth > MAX_DEPTH || visited > MAX_ENTRIES) return;
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (e) {
      out.missing.push({ path: dir, reason: (e as NodeJS.ErrnoException).code ?? (e as Error).message });
      return;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      if (++visited > MAX_ENTRIES) return;
      const p = join(dir, e.name);
      if (e.isDirectory()) await walk(p, depth + 1);
      else if (e.isFile() && /\.(pst|ost)$/i.test(e.name) && !seen.has(p)) {
        seen.add(p);
        out.files.push(p);
      }
    }
  };
  for (const raw of paths) {
    const p = resolve(raw);
    try {
      const st = await stat(p);
      if (st.isDirectory()) await walk(p, 0);
      else if (!seen.has(p)) {
        seen.add(p);
        out.files.push(p);
      }
    } catch (e) {
      out.missing.push({ path: p, reason: (e as NodeJS.ErrnoException).code ?? (e as Error).message });
    }
  }
  return out;
}
