import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../support/paths.ts';

// The layering rule: only the shell (electron/app/) may import Electron; the engine and the renderer never do.
// The renderer may import from electron/ only the contract's types and dependency-free modules.

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(repoRoot, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|tsx|mts|cts|js|mjs)$/.test(e.name))
    .map((e) => path.relative(repoRoot, path.join(e.parentPath, e.name)));
}

const IMPORTS_ELECTRON = /(?:from\s+|import\s*\(\s*|require\s*\(\s*|import\s+)['"]electron(?:\/[^'"]*)?['"]/;

describe('layering', () => {
  const engine = sourceFiles('electron');
  const renderer = sourceFiles('renderer/src');

  it('the check itself works: the shell does import electron', () => {
    expect(IMPORTS_ELECTRON.test(readFileSync(path.join(repoRoot, 'electron/app/main.ts'), 'utf8'))).toBe(true);
    expect(IMPORTS_ELECTRON.test(`const { app } = require('electron')`)).toBe(true);
    expect(IMPORTS_ELECTRON.test(`await import("electron")`)).toBe(true);
    expect(IMPORTS_ELECTRON.test(`import './electron-like.ts'`)).toBe(false);
  });

  it('no file outside electron/app/ imports electron', () => {
    const offenders = [...engine, ...renderer]
      .filter((f) => !f.startsWith(`electron${path.sep}app${path.sep}`))
      .filter((f) => IMPORTS_ELECTRON.test(readFileSync(path.join(repoRoot, f), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('the renderer imports only types and dependency-free contract modules from electron/', () => {
    const allowedValueImports = new Set(['electron/contract/methods.ts']);
    const offenders: string[] = [];
    for (const f of renderer) {
      const text = readFileSync(path.join(repoRoot, f), 'utf8');
      for (const m of text.matchAll(/^import\s+(type\s+)?[^'"]*from\s+['"]([^'"]+)['"]/gm)) {
        const target = path.relative(repoRoot, path.resolve(repoRoot, path.dirname(f), m[2]));
        if (!m[2].startsWith('.') || !target.startsWith('electron' + path.sep)) continue;
        if (!m[1] && !allowedValueImports.has(target.split(path.sep).join('/'))) offenders.push(`${f} → ${target}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
