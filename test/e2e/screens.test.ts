import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { hasChromium, launchBrowser } from '../support/e2e/browser.ts';
import { openApp, serve, type Served } from '../support/e2e/serve.ts';
import { fixtureHome, pstFolderCopy } from '../support/e2e/home.ts';
import { seriousViolations } from '../support/e2e/axe.ts';
import { repoRoot, requireBuild } from '../support/paths.ts';
// The pst domain's deterministic corruption generator: damages a copy so the scan has items to attribute.
import { corruptions } from '../support/pst/corrupt.ts';
import { mapStore } from '../support/pst/layout-map.ts';

// The other screens in Chromium: PST scan of a copied fixture folder (with one damaged copy) and salvage,
// Explain an error, Network; keyboard-only navigation, 200 % zoom, dark theme, and axe on each screen.
const shots = path.join(repoRoot, 'test-results', 'screenshots');
let served: Served;
let pstDir: string;
let home: string;

beforeAll(async () => {
  requireBuild();
  if (!hasChromium) throw new Error('Debian chromium is missing: apt-get install chromium (.ci/run installs it)');
  mkdirSync(shots, { recursive: true });
  home = fixtureHome().home;
  pstDir = pstFolderCopy(['pstsdk-sample1.pst', 'aspose-AddingBulkMessages-BADHEADERCRC.pst'], path.join(home, 'Documents', 'Outlook Files'));
  const intact = readFileSync(path.resolve(repoRoot, '../shared/fixtures/pst/synthetic-uaslan-150msgs.pst'));
  const blockHit = corruptions().find((c) => c.name === 'largest data block XORed');
  if (!blockHit) throw new Error('the pst corruption generator no longer has "largest data block XORed"');
  writeFileSync(path.join(pstDir, 'damaged-inbox.pst'), blockHit.apply(intact, mapStore(intact)));
  served = await serve(['--home', home], { MAILMEDIC_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'mm-e2e-data-')) });
});
afterAll(async () => served?.stop());

async function open(page: Page, screen: string) {
  await openApp(page, served);
  await page.getByRole('link', { name: screen, exact: true }).click();
}

async function expectAccessible(page: Page, screen: string) {
  const v = await seriousViolations(page);
  expect(v, `${screen}: ${JSON.stringify(v, null, 2)}`).toEqual([]);
}

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });

describe('Screens in Chromium', () => {
  it('PST: scan a copied fixture folder, see the damaged file and its items, salvage it', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.ctx.newPage();
      await open(page, 'PST files');
      await page.getByLabel('Files or folders to check (one per line)').fill(pstDir);
      await page.getByRole('button', { name: 'Scan' }).click();
      const damaged = page.getByRole('article', { name: /damaged-inbox\.pst/ });
      await damaged.waitFor({ timeout: 90_000 });
      expect(await damaged.getByText('Damaged', { exact: true }).count()).toBe(1);
      const items = damaged.getByRole('list', { name: 'Damaged items in damaged-inbox.pst' }).getByRole('listitem');
      expect(await items.first().textContent()).toMatch(/Gelen Kutusu/);
      expect(await page.getByRole('article', { name: /pstsdk-sample1\.pst/ }).getByText('No damage found').count()).toBe(1);
      expect(await page.getByRole('article', { name: /BADHEADERCRC/ }).getByText('Damaged', { exact: true }).count()).toBe(1);
      await expectAccessible(page, 'pst');
      await shot(page, 'e2e-pst-scan');

      // Export: a real download of the CSV, one row per file.
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export report (CSV)' }).click()]);
      expect(download.suggestedFilename()).toBe('mailmedic-pst-report.csv');
      const csv = readFileSync((await download.path()) as string, 'utf8').trim().split(/\r?\n/);
      expect(csv).toHaveLength(4);
      expect(csv.find((l) => l.includes('damaged-inbox.pst'))).toMatch(/,damaged,/);

      const out = path.join(home, 'Rescued mail');
      await damaged.getByLabel('Save readable mail to folder').fill(out);
      await damaged.getByRole('button', { name: 'Salvage damaged-inbox.pst' }).click();
      const done = damaged.getByRole('status');
      await done.waitFor({ timeout: 90_000 });
      expect(await done.textContent()).toContain(`Saved to ${out}`);
      expect(readdirSync(out, { recursive: true }).length).toBeGreaterThan(0);
      await shot(page, 'e2e-pst-salvaged');
    } finally {
      await browser.close();
    }
  });

  it('PST readiness: the Microsoft 365 import plan, and its mapping CSV downloaded', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.ctx.newPage();
      await open(page, 'PST files');
      await page.getByLabel('Files or folders to check (one per line)').fill(pstDir);
      await page.getByLabel(/Check readiness for a Microsoft 365 import/).check();
      await page.getByRole('button', { name: 'Scan' }).click();
      const plan = page.getByRole('region', { name: 'Microsoft 365 import plan' });
      await plan.waitFor({ timeout: 90_000 });
      const rows = Number((await plan.locator('p').first().textContent())?.match(/^(\d+) files? go/)?.[1]);
      expect(rows).toBeGreaterThan(0);
      await expectAccessible(page, 'pst readiness');
      await shot(page, 'e2e-pst-readiness');
      const [download] = await Promise.all([page.waitForEvent('download'), plan.getByRole('button', { name: 'Download the import mapping CSV' }).click()]);
      expect(download.suggestedFilename()).toBe('mailmedic-m365-import.csv');
      const csv = readFileSync((await download.path()) as string, 'utf8').trim().split(/\r\n/);
      expect(csv[0]).toBe('Workload,FilePath,Name,Mailbox,IsArchive,TargetRootFolder,ContentCodePage,SPFileContainer,SPManifestContainer,SPSiteUrl');
      expect(csv).toHaveLength(rows + 1);
      expect(csv.slice(1).every((l) => l.startsWith('Exchange,,'))).toBe(true);
    } finally {
      await browser.close();
    }
  });

  it('Explain an error: a pasted 421 gets its meaning and next steps', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.ctx.newPage();
      await open(page, 'Explain an error');
      await page.getByLabel('Error message').fill('421 4.7.0 Try again later, closing connection. (EHLO) - gsmtp');
      await page.getByRole('button', { name: 'Explain' }).click();
      const card = page.getByRole('article').first();
      await card.waitFor();
      expect(await card.textContent()).toMatch(/What it means:/);
      expect(await card.getByRole('listitem').count()).toBeGreaterThan(0);
      await expectAccessible(page, 'explain');
      await shot(page, 'e2e-explain');
    } finally {
      await browser.close();
    }
  });

  it('Network: every part is shown, checked or honestly "not checked"', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.ctx.newPage();
      await open(page, 'Network');
      await page.getByRole('button', { name: 'Check the network' }).click();
      for (const part of ['Firewall', 'VPN', 'Antivirus', 'Proxy', 'Route to the server']) {
        await page.getByRole('article', { name: new RegExp(part) }).waitFor({ timeout: 60_000 });
      }
      await expectAccessible(page, 'network');
      await shot(page, 'e2e-network');
    } finally {
      await browser.close();
    }
  });

  it('a deep link #/finding/<id> opens that finding with its evidence after the check', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.ctx.newPage();
      await openApp(page, served);
      await page.evaluate(() => (location.hash = '#/finding/accounts.smtp.25-submission'));
      await page.getByText('Run “Check my mail” to see the finding').waitFor();
      await page.getByRole('button', { name: 'Check my mail' }).click();
      const item = page.locator('[id="finding-accounts.smtp.25-submission"]');
      await item.waitFor({ timeout: 90_000 });
      // The focus moves in an effect after the card is rendered.
      await page.waitForFunction(() => document.activeElement?.id === 'finding-accounts.smtp.25-submission', undefined, { timeout: 10_000 }).catch(() => {});
      expect(await item.evaluate((el) => el === document.activeElement)).toBe(true);
      expect(await item.locator('details').getAttribute('open')).not.toBeNull();
    } finally {
      await browser.close();
    }
  });

  it('keyboard only: Tab reaches the screens, Enter opens one, focus lands on its heading', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.ctx.newPage();
      await openApp(page, served);
      let found = false;
      for (let i = 0; i < 20 && !found; i++) {
        await page.keyboard.press('Tab');
        found = await page.evaluate(() => document.activeElement?.textContent === 'Accounts');
      }
      expect(found).toBe(true);
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.activeElement?.id === 'accounts-title');
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Read my accounts');
      await page.keyboard.press('Enter');
      await page.getByRole('table', { name: 'Sending settings of sam@mailmedic.test' }).waitFor();
    } finally {
      await browser.close();
    }
  });

  it('200 % zoom (half the width) reflows without sideways scrolling; dark theme passes axe too', async () => {
    const browser = await launchBrowser({ colorScheme: 'dark' });
    try {
      const page = await browser.ctx.newPage();
      await page.setViewportSize({ width: 550, height: 800 });
      await page.goto(served.openUrl);
      await page.getByRole('button', { name: 'Check my mail' }).click();
      await page.locator('.verdict').waitFor({ timeout: 90_000 });
      for (const screen of ['Overview', 'Sending', 'Accounts', 'Network', 'PST files', 'Explain an error', 'Fixes']) {
        await page.getByRole('link', { name: screen, exact: true }).click();
        await page.locator('nav a[aria-current="page"]', { hasText: screen }).waitFor();
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow, `${screen} scrolls sideways at 200 %`).toBeLessThanOrEqual(0);
        await expectAccessible(page, `${screen} (dark)`);
        await shot(page, `e2e-zoom200-dark-${screen.toLowerCase().replace(/\W+/g, '-')}`);
      }
    } finally {
      await browser.close();
    }
  });
});
