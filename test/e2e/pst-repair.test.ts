import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { hasChromium, launchBrowser } from '../support/e2e/browser.ts';
import { openApp, serve, type Served } from '../support/e2e/serve.ts';
import { fixtureHome, pstFolderCopy } from '../support/e2e/home.ts';
import { seriousViolations } from '../support/e2e/axe.ts';
import { repoRoot, requireBuild } from '../support/paths.ts';
// The pst domain's deterministic corruption generator: this damage leaves items partial and one lost.
import { corruptions } from '../support/pst/corrupt.ts';
import { mapStore } from '../support/pst/layout-map.ts';

// PST repair in Chromium over the real server: scan a copied fixture folder, open the damaged file's card, "Repair
// into a new file", read the preview, run it, see the counts and the partial/lost items, and check on disk that the
// new store exists and the source is byte for byte unchanged; a second run to the same file is refused until the
// user ticks "Replace the existing file" (the server is started with --allow-fixes, as `npm start`'s is). A split
// repair writes the parts the preview named, and lists each.
const shots = path.join(repoRoot, 'test-results', 'screenshots');
const DAMAGE = '4 KiB zeroed around the middle allocated block';
let served: Served;
let pstDir: string;
let source: string;

beforeAll(async () => {
  requireBuild();
  if (!hasChromium) throw new Error('Debian chromium is missing: apt-get install chromium (.ci/run installs it)');
  mkdirSync(shots, { recursive: true });
  const { home } = fixtureHome();
  // aspose-Test_part1.pst (2.3 MB) is the smallest fixture that a 0.001 GB split writes as several parts.
  pstDir = pstFolderCopy(['pstsdk-sample1.pst', 'aspose-Test_part1.pst'], path.join(home, 'Documents', 'Outlook Files'));
  const intact = readFileSync(path.resolve(repoRoot, '../shared/fixtures/pst/synthetic-uaslan-150msgs.pst'));
  const damage = corruptions().find((c) => c.name === DAMAGE);
  if (!damage) throw new Error(`the pst corruption generator no longer has "${DAMAGE}"`);
  source = path.join(pstDir, 'damaged-inbox.pst');
  writeFileSync(source, damage.apply(intact, mapStore(intact)));
  served = await serve(['--home', home, '--allow-fixes'], { MAILMEDIC_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'mm-e2e-data-')) });
});
afterAll(async () => served?.stop());

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });

async function expectAccessible(page: Page, what: string) {
  const v = await seriousViolations(page);
  expect(v, `${what}: ${JSON.stringify(v, null, 2)}`).toEqual([]);
}

/** The counts as shown: label → number. */
async function counts(panel: Locator): Promise<Record<string, number>> {
  const rows = panel.getByLabel('Repair result of damaged-inbox.pst').locator('div');
  const out: Record<string, number> = {};
  for (const row of await rows.all()) out[(await row.locator('dt').textContent()) ?? ''] = Number(await row.locator('dd').textContent());
  return out;
}

describe('PST repair in Chromium', () => {
  it('repairs the damaged file into a new one, leaves the original unchanged, and replaces it only when the user agrees', async () => {
    const before = sha256(source);
    const target = path.join(pstDir, 'damaged-inbox-repaired.pst');
    const browser = await launchBrowser();
    try {
      const page = await browser.ctx.newPage();
      await openApp(page, served);
      await page.getByRole('link', { name: 'PST files', exact: true }).click();
      await page.getByLabel('Files or folders to check (one per line)').fill(pstDir);
      await page.getByRole('button', { name: 'Scan' }).click();
      const card = page.getByRole('article', { name: /damaged-inbox\.pst/ });
      await card.waitFor({ timeout: 90_000 });
      expect(await card.getByText('Damaged', { exact: true }).count()).toBe(1);

      // Preview: the target beside the source, and that the original is not changed. Nothing is written yet.
      await card.getByRole('button', { name: 'Repair into a new file damaged-inbox.pst' }).click();
      const panel = card.getByRole('group', { name: 'Repair damaged-inbox.pst into a new file' });
      const field = panel.getByLabel('New file');
      expect(await field.inputValue()).toBe(target);
      const preview = panel.locator(`[id="${await field.getAttribute('aria-describedby')}"]`);
      expect(await preview.textContent()).toBe(
        `This is exactly what will happen: everything that can be read from damaged-inbox.pst is copied into a new Outlook data file, ${target}. The original file is not changed.`,
      );
      expect(() => statSync(target)).toThrow();
      await expectAccessible(page, 'repair preview');
      await shot(page, 'e2e-pst-repair-preview');

      // Run: progress, then the counts, the new file, and the items that did not come through whole.
      const start = panel.getByRole('button', { name: 'Start the repair of damaged-inbox.pst' });
      await start.click();
      const done = panel.getByRole('status');
      await done.waitFor({ timeout: 90_000 });
      expect(await done.textContent()).toBe('Repair finished: a new file was written. The original file was not changed.');
      const c = await counts(panel);
      expect(Object.keys(c)).toEqual(['Copied whole', 'Copied with parts missing', 'Found again, put in “Lost and Found”', 'Lost (could not be read)']);
      expect(c['Copied with parts missing']).toBeGreaterThan(0);
      expect(c['Lost (could not be read)']).toBeGreaterThan(0);
      expect(Object.values(c).reduce((a, b) => a + b, 0)).toBe(150);
      const items = panel.getByRole('list', { name: 'Items not copied whole from damaged-inbox.pst' }).getByRole('listitem');
      expect(await items.count()).toBe(c['Copied with parts missing'] + c['Lost (could not be read)']);
      expect(await items.filter({ hasText: /^Lost / }).count()).toBe(c['Lost (could not be read)']);
      expect(await items.filter({ hasText: /^Parts missing / }).count()).toBe(c['Copied with parts missing']);
      expect(await panel.getByRole('list', { name: 'New files' }).textContent()).toContain(target);

      // On disk: a new PST (its magic), and the source unchanged byte for byte.
      expect(readFileSync(target).subarray(0, 4).toString('latin1')).toBe('!BDN');
      expect(sha256(source)).toBe(before);
      await expectAccessible(page, 'repair result');
      await shot(page, 'e2e-pst-repaired');

      // The item list: the engine's CSV, one row per item.
      const [download] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: 'Download the item list (CSV)' }).click()]);
      expect(download.suggestedFilename()).toBe('damaged-inbox-repair-items.csv');
      const csv = readFileSync((await download.path()) as string, 'utf8').trim().split(/\r?\n/);
      expect(csv[0]).toBe('status,folder,subject,sender,date,detail,id');
      expect(csv).toHaveLength(151);

      // Again to the same file: refused, and the file stays as it was, until "Replace the existing file" is ticked.
      const first = statSync(target);
      const firstSha = sha256(target);
      await start.click();
      const refused = panel.getByRole('alert');
      await refused.waitFor({ timeout: 90_000 });
      expect(await refused.textContent()).toBe(
        `A file named ${target} is already there, so nothing was written. Choose another name, or tick “Replace the existing file”.`,
      );
      expect(sha256(target)).toBe(firstSha);
      const replace = panel.getByLabel('Replace the existing file');
      expect(await replace.isChecked()).toBe(false);
      await expectAccessible(page, 'repair refused');
      await shot(page, 'e2e-pst-repair-exists');

      await replace.check();
      expect(await panel.getByText('The file that is already there will be replaced.').count()).toBe(1);
      await start.click();
      await done.waitFor({ timeout: 90_000 });
      expect(await done.textContent()).toMatch(/^Repair finished/);
      const second = statSync(target);
      expect(second.ino !== first.ino || second.mtimeMs !== first.mtimeMs).toBe(true);
      expect(readFileSync(target).subarray(0, 4).toString('latin1')).toBe('!BDN');
      expect(sha256(source)).toBe(before);

      // The result at 200 % zoom (half the width) in the dark theme: no sideways scrolling, and axe passes.
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.setViewportSize({ width: 550, height: 800 });
      expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
      await expectAccessible(page, 'repair result (dark, 200 %)');
      await shot(page, 'e2e-zoom200-dark-pst-repaired');
    } finally {
      await browser.close();
    }
  });

  it('a split size: the preview names the parts, and the parts written are the ones listed', async () => {
    const file = path.join(pstDir, 'aspose-Test_part1.pst');
    const before = sha256(file);
    const browser = await launchBrowser();
    try {
      const page = await browser.ctx.newPage();
      await openApp(page, served);
      await page.getByRole('link', { name: 'PST files', exact: true }).click();
      await page.getByLabel('Files or folders to check (one per line)').fill(file);
      await page.getByRole('button', { name: 'Scan' }).click();
      const card = page.getByRole('article', { name: /aspose-Test_part1\.pst/ });
      await card.waitFor({ timeout: 90_000 });
      await card.getByRole('button', { name: 'Repair into a new file aspose-Test_part1.pst' }).click();
      const panel = card.getByRole('group', { name: 'Repair aspose-Test_part1.pst into a new file' });
      await panel.getByLabel('Split into files of at most (GB, optional)').fill('0.001');
      const part = (k: number) => path.join(pstDir, `aspose-Test_part1-repaired-${k}.pst`);
      const preview = panel.locator(`[id="${await panel.getByLabel('New file').getAttribute('aria-describedby')}"]`);
      expect(await preview.textContent()).toContain(`new Outlook data files of at most 0.001 GB each, as many as needed, in the same folder: ${part(1)}, ${part(2)}, …`);
      await expectAccessible(page, 'split preview');

      await panel.getByRole('button', { name: 'Start the repair of aspose-Test_part1.pst' }).click();
      const done = panel.getByRole('status');
      await done.waitFor({ timeout: 90_000 });
      const listed = await panel.getByRole('list', { name: 'New files' }).getByRole('listitem').allTextContents();
      expect(listed.length).toBeGreaterThan(1);
      expect(await done.textContent()).toBe(`Repair finished: ${listed.length} new files were written. The original file was not changed.`);
      for (const [i, text] of listed.entries()) {
        expect(text.startsWith(`${part(i + 1)} · `)).toBe(true);
        expect(readFileSync(part(i + 1)).subarray(0, 4).toString('latin1')).toBe('!BDN');
        expect(statSync(part(i + 1)).size).toBeLessThanOrEqual(Math.floor(0.001 * 1024 ** 3));
      }
      expect(() => statSync(part(listed.length + 1))).toThrow();
      expect(sha256(file)).toBe(before);
      await expectAccessible(page, 'split result');
      await shot(page, 'e2e-pst-repair-split');
    } finally {
      await browser.close();
    }
  });
});
