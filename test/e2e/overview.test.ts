import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Report } from '../../electron/contract/report.ts';
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
  it('"Check my mail" runs a scan and shows a verdict and one card per cause, its findings under "Details"', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.ctx.newPage();
      await openApp(page, served);
      const scanned = page.waitForResponse((r) => r.url().endsWith('/api/v1/scan'), { timeout: 90_000 });
      await page.getByRole('button', { name: 'Check my mail' }).click();
      const body = await (await scanned).text();
      const report = body.trim().split('\n').map((l) => JSON.parse(l) as { result?: Report }).find((m) => m.result)?.result;
      const verdict = page.locator('.verdict');
      await verdict.waitFor({ timeout: 90_000 });
      expect((await verdict.textContent())?.length).toBeGreaterThan(10);
      const cards = page.getByRole('list', { name: 'What was found' }).locator(':scope > li');
      expect(report?.causes?.length).toBeGreaterThan(0);
      expect(await cards.count()).toBe(report?.causes?.length);
      // Each card's findings fold out under "Details": as many as the cause names; a cause that is one finding
      // has said it all, and folds out its evidence.
      for (const [i, cause] of (report?.causes ?? []).entries()) {
        const card = cards.nth(i);
        expect(await card.locator('h4').textContent()).toBe(cause.title);
        await card.locator('summary', { hasText: /^Details/ }).click();
        const alone = cause.findings.length === 1 && report?.findings[cause.findingIndexes[0]!]?.title === cause.title;
        if (alone) expect(await card.locator('.cause-details > dl.evidence').count()).toBe(1);
        else expect(await card.locator('.cause-details > ul > li').count()).toBe(cause.findings.length);
      }
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
