import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { Report } from '../../electron/contract/report.ts';
import { hasChromium, launchBrowser } from '../support/e2e/browser.ts';
import { openApp, serve, type Served } from '../support/e2e/serve.ts';
import { PEER_PASSWORD, PEER_USER, startPeer, type Peer } from '../support/e2e/smtp-peer.ts';
import { makeCerts } from '../support/e2e/certs.ts';
import { fixtureHome } from '../support/e2e/home.ts';
import { seriousViolations } from '../support/e2e/axe.ts';
import { repoRoot, requireBuild } from '../support/paths.ts';

// The whole repair as a user does it: a Thunderbird profile sends on 127.0.0.2:25, where nothing listens;
// a real SMTP server answers on 587 (STARTTLS) and 2525. Check → verdict → preview → apply → verify → Undo.
const shots = path.join(repoRoot, 'test-results', 'screenshots');
let served: Served;
let peer: Peer;
let fx: ReturnType<typeof fixtureHome>;

beforeAll(async () => {
  requireBuild();
  if (!hasChromium) throw new Error('Debian chromium is missing: apt-get install chromium (.ci/run installs it)');
  mkdirSync(shots, { recursive: true });
  const certs = makeCerts('127.0.0.2');
  peer = await startPeer(certs);
  fx = fixtureHome();
  served = await serve(['--home', fx.home, '--allow-fixes'], {
    MAILMEDIC_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'mm-e2e-data-')),
    NODE_EXTRA_CA_CERTS: certs.caFile,
  });
});
afterAll(async () => {
  await served?.stop();
  await peer?.stop();
});

async function noSeriousA11yProblems(page: Page, screen: string) {
  const v = await seriousViolations(page);
  expect(v, `${screen}: ${JSON.stringify(v, null, 2)}`).toEqual([]);
}

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });

const LABEL = { error: 'Problem', warning: 'Warning', info: 'Note' } as const;

/** The report an NDJSON API answer ends with ({progress} lines, then {result}). */
function resultOf(ndjson: string): Report & { causes: NonNullable<Report['causes']> } {
  const last = ndjson.trim().split('\n').map((l) => JSON.parse(l) as { result?: Report }).find((m) => m.result)?.result;
  if (!last?.causes) throw new Error(`no report with causes in: ${ndjson.slice(0, 500)}`);
  return last as Report & { causes: NonNullable<Report['causes']> };
}

describe('Fix flow in Chromium', () => {
  it('check → verdict → preview → apply (prefs.js changes) → verified → account on 587 → Undo (bytes back)', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.ctx.newPage();
      await openApp(page, served);
      const scanned = page.waitForResponse((r) => r.url().endsWith('/api/v1/scan'), { timeout: 90_000 });
      await page.getByRole('button', { name: 'Check my mail' }).click();
      const report = resultOf(await (await scanned).text());
      const verdict = page.locator('.verdict');
      await verdict.waitFor({ timeout: 90_000 });
      expect(await verdict.textContent()).toMatch(/^Your mail can’t be sent as it is set up/);
      // One card per cause, in the report's order; the port-25 story is one card, first.
      const cards = page.getByRole('list', { name: 'What was found' }).locator(':scope > li');
      expect(await cards.evaluateAll((lis) => lis.map((li) => li.getAttribute('aria-label')))).toEqual(
        report.causes.map((c) => `${LABEL[c.severity]}: ${c.title}`),
      );
      const card = cards.first();
      expect(await card.getAttribute('aria-label')).toBe('Problem: sam@mailmedic.test cannot send: port 25 is refused — switch to 587 with STARTTLS');
      const fix = card.getByRole('button', { name: /^Fix it: .*port 587 with STARTTLS/ });
      await fix.waitFor();
      await shot(page, 'e2e-overview-causes');
      await card.getByText(/^Details \(\d+ findings\)$/).click();
      const finding = card.getByRole('listitem', { name: /sends on port 25 with a login/ });
      await finding.getByText('Evidence').click();
      expect(await finding.locator('dl.evidence').textContent()).toContain('127.0.0.2');
      await noSeriousA11yProblems(page, 'overview');
      await shot(page, 'e2e-overview-verdict');
      await page.emulateMedia({ colorScheme: 'dark' });
      await noSeriousA11yProblems(page, 'overview (dark)');
      await shot(page, 'e2e-overview-verdict-dark');
      await page.emulateMedia({ colorScheme: 'light' });

      // The fix flow starts from the cause's one button.
      await fix.click();
      const dialog = page.getByRole('dialog');
      const diff = dialog.getByLabel('Change preview');
      await diff.waitFor();
      expect(await diff.textContent()).toMatch(/587/);
      expect(readFileSync(fx.prefsFile).equals(fx.originalPrefs)).toBe(true);
      await noSeriousA11yProblems(page, 'fix preview');
      await shot(page, 'e2e-fix-preview');

      await dialog.getByRole('button', { name: 'Apply fix' }).click();
      await dialog.getByText(/Checked again: the problem this fix was for is gone/).waitFor({ timeout: 90_000 });
      const changed = readFileSync(fx.prefsFile, 'utf8');
      expect(changed).toContain('user_pref("mail.smtpserver.smtp1.port", 587);');
      await shot(page, 'e2e-fix-applied');
      await dialog.getByRole('button', { name: 'Done' }).click();

      // The verify run refreshed the last check: the account now shows the working port.
      await page.getByRole('link', { name: 'Accounts' }).click();
      const portCell = page.getByTestId('account-port');
      expect(await portCell.textContent()).toBe('587');
      await noSeriousA11yProblems(page, 'accounts');
      await shot(page, 'e2e-accounts-after-fix');

      await page.getByRole('link', { name: 'Sending' }).click();
      await page.getByRole('button', { name: /Show transcript of port 587/ }).click();
      await page.getByRole('region', { name: 'Transcript of port 587' }).waitFor();
      expect(await page.getByRole('region', { name: 'TLS certificate' }).textContent()).toMatch(/Trusted\s*Yes/);
      await noSeriousA11yProblems(page, 'sending');
      await shot(page, 'e2e-sending');

      // Undo from the history: the file is back byte for byte.
      await page.getByRole('link', { name: 'Fixes' }).click();
      const history = page.getByRole('table', { name: 'Fix history' });
      await history.waitFor();
      await history.getByRole('button', { name: /Undo/ }).click();
      await page.getByRole('status').filter({ hasText: /Undone/ }).waitFor();
      expect(readFileSync(fx.prefsFile).equals(fx.originalPrefs)).toBe(true);
      await history.getByText('Undone').waitFor();
      await noSeriousA11yProblems(page, 'fixes');
      await shot(page, 'e2e-fixes-history');
    } finally {
      await browser.close();
    }
  });

  it('Undo straight from the fix dialog restores the file too', async () => {
    const browser = await launchBrowser({ colorScheme: 'dark' });
    try {
      const page = await browser.ctx.newPage();
      await page.goto(served.openUrl);
      await page.getByRole('link', { name: 'Fixes' }).click();
      await page.getByRole('button', { name: /Preview Thunderbird: send through Loopback provider on port 587/ }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByRole('button', { name: 'Apply fix' }).click();
      await dialog.getByRole('button', { name: 'Undo' }).waitFor({ timeout: 90_000 });
      expect(readFileSync(fx.prefsFile, 'utf8')).toContain('"mail.smtpserver.smtp1.port", 587)');
      await dialog.getByText(/Checked again/).waitFor({ timeout: 90_000 });
      await shot(page, 'e2e-fix-dialog-dark');
      await dialog.getByRole('button', { name: 'Undo' }).click();
      await dialog.getByText(/Undone/).waitFor();
      expect(readFileSync(fx.prefsFile).equals(fx.originalPrefs)).toBe(true);
    } finally {
      await browser.close();
    }
  });
});

describe('Sending: test with my password', () => {
  it('a wrong password shows "Sign-in failed", the right one "Works"; the password never stays on the page', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.ctx.newPage();
      await page.goto(served.openUrl);
      await page.getByRole('link', { name: 'Sending' }).click();
      await page.getByLabel('Outgoing server').fill('127.0.0.2');
      await page.getByLabel('User name (optional)').fill(PEER_USER);
      const tries = [
        ['not my password', 'Sign-in failed'],
        [PEER_PASSWORD, 'Works'],
      ] as const;
      for (const [password, outcome] of tries) {
        await page.getByLabel('Password (optional)').fill(password);
        await page.getByRole('button', { name: 'Test with my password' }).click();
        const row = page.getByRole('table', { name: 'Ports tested on 127.0.0.2' }).getByRole('row').filter({ has: page.getByRole('rowheader', { name: '587' }) });
        await row.getByText(outcome).waitFor({ timeout: 60_000 });
        expect(await page.getByLabel('Password (optional)').inputValue()).toBe('');
        await page.getByRole('button', { name: 'Show transcript of port 587' }).click();
        const html = await page.content();
        expect(html).not.toContain(password);
        expect(html).toMatch(/&lt;(credentials|password) hidden&gt;/);
        await page.getByRole('button', { name: 'Hide transcript of port 587' }).click();
      }
      // The peer saw the user name from the form: refused on the first round (every port that tried), accepted on the second.
      expect(new Set(peer.logins.map((l) => l.user))).toEqual(new Set([PEER_USER]));
      const half = peer.logins.length / 2;
      expect(peer.logins.slice(0, half).every((l) => !l.ok)).toBe(true);
      expect(peer.logins.slice(half).every((l) => l.ok)).toBe(true);
      await page.getByRole('button', { name: 'Show transcript of port 587' }).click();
      await noSeriousA11yProblems(page, 'sending with password');
      await shot(page, 'e2e-sending-password');
    } finally {
      await browser.close();
    }
  });
});
