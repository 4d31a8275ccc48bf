import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root, whatever the test's working directory. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Shared, read-only reference material beside the repo (CI lays it out the same way). */
export const sharedDir = path.resolve(repoRoot, '../shared');
export const cliBin = path.join(repoRoot, 'bin/mailmedic.mjs');
