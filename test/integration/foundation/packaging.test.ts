import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { load } from 'js-yaml';
import { repoRoot } from '../../support/paths.ts';

// The desktop build without the Electron binary: electron-vite bundles main, preload and renderer; the
// electron-builder config ships only the bundle and keeps the security fuses.
describe('desktop build', () => {
  const outDir = mkdtempSync(path.join(os.tmpdir(), 'mm-out-'));

  it('electron-vite builds main (ESM), a sandbox-ready CJS preload and the renderer', () => {
    const r = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules/electron-vite/bin/electron-vite.js'), 'build', '--outDir', outDir], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const preload = readFileSync(path.join(outDir, 'preload/preload.cjs'), 'utf8');
    // A sandboxed preload can require only `electron` (and a few built-ins): everything else must be bundled in.
    const requires = [...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect(new Set(requires)).toEqual(new Set(['electron']));
    expect(preload).not.toMatch(/^\s*import\s/m);
    expect(preload).toContain('exposeInMainWorld');
    expect(existsSync(path.join(outDir, 'main/main.js'))).toBe(true);
    const mainCode = readdirSync(path.join(outDir, 'main'), { recursive: true })
      .filter((f) => String(f).endsWith('.js'))
      .map((f) => readFileSync(path.join(outDir, 'main', String(f)), 'utf8'))
      .join('\n');
    expect(mainCode).not.toMatch(/vitest|test\/support/);
    expect(existsSync(path.join(outDir, 'renderer/index.html'))).toBe(true);
  });

  it('electron-builder ships only the bundle, per-user on Windows, with the security fuses', () => {
    const cfg = load(readFileSync(path.join(repoRoot, 'build/electron-builder.yml'), 'utf8')) as Record<string, unknown>;
    expect(cfg.files).toEqual(expect.arrayContaining(['out/**/*', 'package.json']));
    expect(cfg.asar).toBe(true);
    expect(cfg.protocols).toEqual([{ name: 'MailMedic', schemes: ['mailmedic'] }]);
    expect(cfg.electronFuses).toMatchObject({ runAsNode: false, enableNodeOptionsEnvironmentVariable: false, enableNodeCliInspectArguments: false, onlyLoadAppFromAsar: true });
    expect(cfg.nsis).toMatchObject({ perMachine: false, allowElevation: false });
    expect((cfg.linux as { target: string[] }).target).toEqual(['AppImage', 'deb']);
    expect((cfg.mac as { target: string[] }).target).toEqual(['dmg']);
  });

  it('npm run dist says clearly that it needs the Electron binary', () => {
    const r = spawnSync('npm', ['run', '-s', 'dist'], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, MAILMEDIC_FORCE_DIST: '' } });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/Electron binary is not on this machine/);
  });
});
