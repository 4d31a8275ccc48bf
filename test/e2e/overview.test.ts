import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hasChromium, launchBrowser } from '../support/e2e/browser.ts';
import { openApp, serve, type Served } from '../support/e2e/serve.ts';
import { repoRoot, requireBuild } from '../support/paths.ts';

// The renderer as a user sees it: built by vite, served by `mailmedic serve`, driven in Debian's Chromium.
const shots = path.join(repoRoot, 'test-results', 'screenshots');
let served: Served;

beforeAll(async () => {
  requireBuild();
  if (!hasChromium) throw new Error('Debian chromium is missing: apt-get install chromium (.ci/run installs it)');
  mkdirSync(shots, { recursive: true });
  served = await serve(['--home', mkdtempSync(path.join(os.tmpdir(), 'mm-home-'))], {
    MAILMEDIC_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'mm-data-')),
  });
});
afterAll(async () => served?.stop());

describe('Overview in Chromium', () => {
  it('"Check my mail" runs a scan and lists its findings with a verdict', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.ctx.newPage();
      await openApp(page, served);
      await page.getByRole('button', { name: 'Check my mail' }).click();
      const verdict = page.locator('.verdict');
      await verdict.waitFor({ timeout: 90_000 });
      expect((await verdict.textContent())?.length).toBeGreaterThan(10);
      const findings = page.getByRole('list', { name: 'Findings' }).getByRole('listitem');
      expect(await findings.count()).toBeGreaterThan(0);
      await page.screenshot({ path: path.join(shots, 'overview-light.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  });

  it('without the token the page says how to get in instead of failing silently', async () => {
    const browser = await launchBrowser({ colorScheme: 'dark' });
    try {
      const page = await browser.ctx.newPage();
      await page.goto(served.base + '/');
      await page.getByRole('button', { name: 'Check my mail' }).click();
      await expect(page.getByRole('alert').textContent()).resolves.toMatch(/token/);
      await page.screenshot({ path: path.join(shots, 'overview-no-token-dark.png') });
    } finally {
      await browser.close();
    }
  });
});
