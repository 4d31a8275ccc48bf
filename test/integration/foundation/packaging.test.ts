import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { load } from 'js-yaml';
import { outDir, repoRoot, requireBuild } from '../../support/paths.ts';

// The desktop build without the Electron binary: scripts/build.mjs (`npm run build`) bundles main, preload and
// renderer into out/; the electron-builder config ships only that and keeps the security fuses.
describe('desktop build', () => {
  it('out/ holds the main process (ESM), a sandbox-ready CJS preload and the renderer', () => {
    requireBuild();
    const preload = readFileSync(path.join(outDir, 'preload/preload.cjs'), 'utf8');
    // A sandboxed preload can require only `electron` (and a few built-ins): everything else must be bundled in.
    const requires = [...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect(new Set(requires)).toEqual(new Set(['electron']));
    expect(preload).not.toMatch(/^\s*import\s/m);
    expect(preload).toContain('exposeInMainWorld');
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { main: string };
    expect(existsSync(path.join(repoRoot, pkg.main))).toBe(true);
    expect(readFileSync(path.join(repoRoot, pkg.main), 'utf8')).toMatch(/from ["']electron["']/);
    const code = readdirSync(outDir, { recursive: true })
      .filter((f) => /\.(mjs|cjs)$/.test(String(f)))
      .map((f) => readFileSync(path.join(outDir, String(f)), 'utf8'))
      .join('\n');
    expect(code).not.toMatch(/vitest|test\/support/);
    expect(existsSync(path.join(outDir, 'renderer/index.html'))).toBe(true);
  });

  it('electron-builder ships only the bundle, per-user on Windows, with the security fuses', () => {
    const cfg = load(readFileSync(path.join(repoRoot, 'build/electron-builder.yml'), 'utf8')) as Record<string, unknown>;
    expect(cfg.files).toEqual(expect.arrayContaining(['out/**/*', 'package.json', '!out/meta.json']));
    // The worker thread's file stays outside app.asar (electron/pst/worker-source.ts starts that copy).
    expect(cfg.asarUnpack).toEqual(['out/pst/pst-scan-worker.mjs']);
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
