import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../../support/paths.ts';

// `npm start` on a machine without the Electron binary: it says so and serves the same UI on loopback instead.
describe('npm start without Electron', () => {
  it('falls back to the browser UI on 127.0.0.1, with fixes enabled (the local user\'s own app)', async () => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'scripts/start.mjs'), '--home', mkdtempSync(path.join(os.tmpdir(), 'mm-start-'))], {
      cwd: repoRoot,
      env: { ...process.env, MAILMEDIC_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'mm-start-data-')), ELECTRON_OVERRIDE_DIST_PATH: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL printed:\n${out}\n${err}`)), 60_000);
        child.stdout.on('data', (d) => {
          out += d;
          const m = /Open: (http:\/\/127\.0\.0\.1:\d+)\/#token=/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]);
          }
        });
      });
      expect(err).toMatch(/Electron is not available/);
      expect(out).toMatch(/Fixes are enabled/);
      const page = await fetch(url + '/');
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="root">');
    } finally {
      child.kill('SIGTERM');
    }
  });
});
