import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Where `npm run build` puts what the code loads from files (scripts/build.mjs): the PST worker, sql.js's wasm, the
// UI. Every built script sits exactly one folder below out/ (out/cli, out/main, out/chunks, out/pst; the build fails
// otherwise), so wherever the bundler put this module, out/ is the parent of its own folder: the installed
// command's, the packaged app's. Run from the TypeScript sources (vitest, tsx) this file is electron/core/built.ts,
// and out/ is the checkout's, built by `npm run build`.

/** True when this runs from the TypeScript sources (tests, tsx), false in the build. */
export const FROM_SOURCE = import.meta.url.endsWith('.ts');

/** The build's folder (see above). */
export const OUT_DIR = fileURLToPath(new URL(FROM_SOURCE ? '../../out/' : '../', import.meta.url));

/** A file of the build, by its path under out/ (e.g. 'pst/pst-scan-worker.mjs', 'renderer'). */
export function builtFile(rel: string): string {
  return path.join(OUT_DIR, rel);
}

/**
 * Run from the sources, why the checkout's out/ cannot stand in for them: not built, or a file it was built from
 * changed since (out/meta.json, written last, lists them). Null when it can, and always in the build itself.
 */
export function staleBuild(): string | null {
  if (!FROM_SOURCE) return null;
  const meta = builtFile('meta.json');
  const builtAt = statSync(meta, { throwIfNoEntry: false })?.mtimeMs;
  if (builtAt === undefined) return 'out/ is not built';
  const root = path.dirname(OUT_DIR);
  const { inputs } = JSON.parse(readFileSync(meta, 'utf8')) as { inputs: Record<string, unknown> };
  for (const input of Object.keys(inputs)) {
    const changed = statSync(path.join(root, input), { throwIfNoEntry: false })?.mtimeMs;
    if (changed === undefined || changed > builtAt) return `${input} changed after the last build`;
  }
  return null;
}
