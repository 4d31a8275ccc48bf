import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hasChromium, launchBrowser } from '../support/e2e/browser.ts';
import { openApp, serve, type Served } from '../support/e2e/serve.ts';
import { seriousViolations } from '../support/e2e/axe.ts';
import { repoRoot, requireBuild } from '../support/paths.ts';

// The IT console: one `mailmedic serve --console` page driving another MailMedic agent through its API
// (CORS for the console's origin only, bearer token), in Chromium.
const shots = path.join(repoRoot, 'test-results', 'screenshots');
const AGENT_TOKEN = 'console-test-agent-token-0123456789';
let consoleServer: Served;
let agent: Served;
let stranger: Served;
const base = (s: Served) => s.openUrl.split('/#')[0].replace(/\/$/, '');

beforeAll(async () => {
  requireBuild();
  if (!hasChromium) throw new Error('Debian chromium is missing: apt-get install chromium (.ci/run installs it)');
  mkdirSync(shots, { recursive: true });
  const tmp = (p: string) => mkdtempSync(path.join(os.tmpdir(), p));
  consoleServer = await serve(['--console', '--home', tmp('mm-console-home-')], { MAILMEDIC_DATA_DIR: tmp('mm-console-data-') });
  const tokenFile = path.join(tmp('mm-agent-token-'), 'token');
  writeFileSync(tokenFile, AGENT_TOKEN + '\n', { mode: 0o600 });
  const agentArgs = ['--listen', '127.0.0.1:0', '--token-file', tokenFile, '--home', tmp('mm-agent-home-')];
  agent = await serve([...agentArgs, '--allow-origin', base(consoleServer)], { MAILMEDIC_DATA_DIR: tmp('mm-agent-data-') });
  stranger = await serve(agentArgs, { MAILMEDIC_DATA_DIR: tmp('mm-agent-data-') });
});
afterAll(async () => {
  await Promise.all([consoleServer?.stop(), agent?.stop(), stranger?.stop()]);
});

describe('IT console in Chromium', () => {
  it('adds an agent, runs a scan there and shows its host name and findings', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.ctx.newPage();
      await openApp(page, consoleServer);
      await page.getByRole('link', { name: 'IT console', exact: true }).click();
      const form = page.getByRole('form', { name: 'Add an agent' });

      // An agent that did not allow this console's origin cannot be added (the browser's CORS check fails).
      await form.getByLabel('Agent address').fill(base(stranger));
      await form.getByLabel('Agent token').fill(AGENT_TOKEN);
      await form.getByRole('button', { name: 'Add agent' }).click();
      await expect(form.getByRole('alert').textContent()).resolves.toMatch(/Cannot reach/);

      await form.getByLabel('Agent address').fill(base(agent));
      await form.getByLabel('Agent token').fill(AGENT_TOKEN);
      await form.getByRole('button', { name: 'Add agent' }).click();
      const row = page.getByRole('listitem', { name: /^Agent / });
      await row.getByRole('button', { name: 'Run scan' }).click();
      await row.getByText(/^Last scan /).waitFor({ timeout: 60_000 });
      await expect(row.getByRole('heading', { level: 3 }).textContent()).resolves.toBe(os.hostname());
      const findings = row.getByRole('list', { name: `Findings on ${os.hostname()}` }).getByRole('listitem');
      expect(await findings.count()).toBeGreaterThan(0);
      await expect(row.textContent()).resolves.toContain('No mail program settings found');
      expect(await seriousViolations(page)).toEqual([]);
      await page.screenshot({ path: path.join(shots, 'console.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  });

  it('the agent still wants its token from the console origin', async () => {
    const res = await fetch(`${base(agent)}/api/v1/scan`, { method: 'POST', headers: { Origin: base(consoleServer) }, body: '{}' });
    expect(res.status).toBe(401);
    expect(res.headers.get('access-control-allow-origin')).toBe(base(consoleServer));
    const other = await fetch(`${base(agent)}/api/v1/scan`, { method: 'POST', headers: { Origin: 'http://evil.example' }, body: '{}' });
    expect(other.status).toBe(403);
  });
});
