import { cpSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../paths.ts';

/** A throw-away copy of test/fixtures/e2e/home: a Thunderbird profile sending through 127.0.0.2 port 25. */
export function fixtureHome(): { home: string; prefsFile: string; originalPrefs: Buffer } {
  const home = mkdtempSync(path.join(os.tmpdir(), 'mm-e2e-home-'));
  cpSync(path.join(repoRoot, 'test/fixtures/e2e/home'), home, { recursive: true });
  const prefsFile = path.join(home, '.thunderbird/e2etest1.default-release/prefs.js');
  return { home, prefsFile, originalPrefs: readFileSync(prefsFile) };
}

/**
 * A copy of some of the shared PST fixtures in DIR (never scanned in place). The served UI may only name
 * paths under the home, so the e2e tests put the copy inside the fixture home.
 */
export function pstFolderCopy(names: string[], dir: string): string {
  const src = path.resolve(repoRoot, '../shared/fixtures/pst');
  mkdirSync(dir, { recursive: true });
  for (const n of names) cpSync(path.join(src, n), path.join(dir, n));
  return dir;
}
