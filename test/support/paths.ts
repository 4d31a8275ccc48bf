import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { staleBuild } from '../../electron/core/built.ts';

/** Repository root, whatever the test's working directory. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Shared, read-only reference material beside the repo (CI lays it out the same way). */
export const sharedDir = path.resolve(repoRoot, '../shared');
/** What `npm run build` writes (scripts/build.mjs). */
export const outDir = path.join(repoRoot, 'out');
/** The `mailmedic` command as installed: it runs the built bundle out/cli/mailmedic.mjs, so tests run what ships. */
export const cliBin = path.join(repoRoot, 'bin/mailmedic.mjs');

let checked: string | null | undefined;
/** Tests of the built code fail first, and say why, when out/ is missing or older than a file it was built from. */
export function requireBuild(): void {
  checked ??= staleBuild();
  if (checked) throw new Error(`these tests run the build, but ${checked}: run npm run build`);
}
