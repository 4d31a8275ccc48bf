import { spawn, type ChildProcess } from 'node:child_process';
import { cliBin, repoRoot, requireBuild } from '../paths.ts';

export interface Served {
  openUrl: string;
  base: string;
  token: string;
  stop: () => Promise<void>;
}

/** Starts the real `mailmedic serve` in a child process and waits for the URL it prints. */
export async function serve(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Served> {
  requireBuild();
  const child: ChildProcess = spawn(process.execPath, [cliBin, 'serve', ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += d));
  const openUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${stderr}`)), 30_000);
    child.stdout?.on('data', (d) => {
      out += d;
      const m = /Open: (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (c) => reject(new Error(`serve exited with ${c}:\n${stderr}`)));
  });
  const [base, fragment] = openUrl.split('/#');
  return {
    openUrl,
    base,
    token: fragment?.replace('token=', '') ?? '',
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Opens the served UI and waits until the page has taken the token out of the address bar. */
export async function openApp(page: import('playwright-core').Page, served: Served): Promise<void> {
  await page.goto(served.openUrl);
  await page.waitForFunction(() => !location.hash.includes('token'));
}
