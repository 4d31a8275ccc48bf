import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { Wine } from '../support/windows/wine.ts';

// The rest of the Windows face: the network collectors where PowerShell is only a stand-in (Wine's prints nothing
// and exits 0), `serve` on loopback, and MailMedic's data folder under %LOCALAPPDATA%.

const wine = new Wine(inject('wine'));
const dataDir = () => path.join(wine.profileDir, 'AppData/Local/MailMedic');

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

describe('Windows platform', () => {
  it('network: without a working PowerShell every part is "could not check", with the reason, and nothing is an all-clear', async () => {
    const r = await wine.mailmedic(['network', '--json']);
    expect(r.code === 0 || r.code === 1, r.stderr).toBe(true);
    const report = JSON.parse(r.stdout) as Json;
    expect(report.host.platform).toBe('win32');
    const n = report.network as Json;
    for (const part of [n.firewall, n.vpn, n.proxy, n.route, n.antivirusCheck]) {
      expect(part).toMatchObject({ checked: false, reason: expect.stringMatching(/PowerShell gave no answer/) });
    }
    expect(n.antivirus).toEqual([]);
    const notChecked = (report.findings as Json[]).filter((f) => f.id.startsWith('network.not-checked.')).map((f) => f.id);
    expect(notChecked.sort()).toEqual(['antivirus', 'firewall', 'proxy', 'route', 'vpn'].map((p) => `network.not-checked.${p}`));
  });

  it('serve answers /api/v1/health on 127.0.0.1 and logs the request under %LOCALAPPDATA%\\MailMedic', async () => {
    const port = await freePort();
    const server = wine.start(wine.info.nodeExe, [wine.info.cli, 'serve', '--port', String(port)]);
    try {
      let health: Json | null = null;
      const deadline = Date.now() + 90_000;
      while (!health && Date.now() < deadline) {
        try {
          const res = await fetch(`http://127.0.0.1:${port}/api/v1/health`);
          if (res.ok) health = (await res.json()) as Json;
        } catch {
          await new Promise((r) => setTimeout(r, 500));
        }
      }
      expect(health).toMatchObject({ name: 'mailmedic' });
      expect(readFileSync(server.out, 'utf8')).toContain(`http://127.0.0.1:${port}`);
      const audit = path.join(dataDir(), 'audit.log');
      const until = Date.now() + 10_000;
      while (!(existsSync(audit) && readFileSync(audit, 'utf8').includes('/api/v1/health')) && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
      const entry = JSON.parse(readFileSync(audit, 'utf8').trim().split('\n').at(-1)!) as Json;
      expect(entry).toMatchObject({ method: 'GET', path: '/api/v1/health', status: 200 });
    } finally {
      await wine.stop(server);
    }
  });
});
