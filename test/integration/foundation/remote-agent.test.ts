import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import https from 'node:https';
import http from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, type RunningServer } from '../../../electron/server/http.ts';
import { AuditLog } from '../../../electron/server/audit.ts';
import { defaultContext } from '../../../electron/engine/defaults.ts';
import { makeTestPki, type TestPki } from '../../support/tls-certs.ts';
import { runMailmedic } from '../../support/cli.ts';

// `mailmedic serve` as a remote agent for IT: TLS, mutual TLS, rate limit, audit log, confined paths.
const TOKEN = 'remote-agent-token-0123456789abcdef';
let pki: TestPki;
const home = mkdtempSync(path.join(os.tmpdir(), 'mm-agent-home-'));
const outside = mkdtempSync(path.join(os.tmpdir(), 'mm-outside-'));
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'mm-agent-data-'));
const ctx = () => defaultContext({ home, dataDir });

interface Res {
  status: number;
  body: string;
}
function call(base: string, pathname: string, body: unknown, opts: https.RequestOptions = {}): Promise<Res> {
  const mod = base.startsWith('https') ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request(
      `${base}${pathname}`,
      { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' }, ...opts },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

beforeAll(() => {
  pki = makeTestPki();
  mkdirSync(path.join(home, 'Documents'));
  writeFileSync(path.join(outside, 'secret.pst'), 'not yours');
  symlinkSync(outside, path.join(home, 'Documents', 'escape'));
});

describe('remote agent', () => {
  it('refuses a non-loopback address without TLS (server and CLI)', async () => {
    await expect(startServer({ ctx: ctx(), token: TOKEN, staticDir: null, host: '0.0.0.0', port: 0 })).rejects.toThrow(/TLS/);
    const r = await runMailmedic(['serve', '--listen', '0.0.0.0:0', '--home', home], { env: { MAILMEDIC_DATA_DIR: dataDir } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--tls-cert/);
    const noToken = await runMailmedic(['serve', '--listen', '0.0.0.0:0', '--tls-cert', 'x', '--tls-key', 'y'], { env: { MAILMEDIC_DATA_DIR: dataDir } });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toMatch(/--token-file/);
  });

  describe('over TLS with client certificates', () => {
    let server: RunningServer;
    const auditFile = path.join(dataDir, 'audit.log');
    beforeAll(async () => {
      server = await startServer({
        ctx: ctx(),
        token: TOKEN,
        staticDir: null,
        tls: { cert: pki.serverCert, key: pki.serverKey, ca: pki.caCert },
        audit: await AuditLog.open(auditFile),
        allowFixes: true,
        rateLimitPerMinute: 40,
      });
    });
    afterAll(async () => server?.close());
    const withCert = () => ({ ca: pki.caCert, cert: pki.clientCert, key: pki.clientKey });

    it('speaks https and requires a client certificate signed by the given CA', async () => {
      expect(server.url).toMatch(/^https:/);
      const ok = await call(server.url, '/api/v1/health', undefined, { method: 'GET', ...withCert() });
      expect(ok.status).toBe(200);
      await expect(call(server.url, '/api/v1/health', undefined, { method: 'GET', ca: pki.caCert })).rejects.toThrow();
    });

    it('PST paths and homes are confined to the allowed roots: no .., no symlink escape', async () => {
      for (const paths of [[path.join(outside, 'secret.pst')], [path.join(home, '..', path.basename(outside), 'secret.pst')], [path.join(home, 'Documents', 'escape', 'secret.pst')], ['relative.pst']]) {
        const r = await call(server.url, '/api/v1/pstScan', { paths }, withCert());
        expect(r.status, paths[0]).toBe(400);
        expect(JSON.parse(r.body).error.message).toMatch(/outside|absolute/);
      }
      const salvage = await call(server.url, '/api/v1/pstSalvage', { file: path.join(home, 'a.pst'), out: path.join(outside, 'out') }, withCert());
      expect(salvage.status).toBe(400);
      const homeEscape = await call(server.url, '/api/v1/accounts', { home: outside }, withCert());
      expect(homeEscape.status).toBe(400);
    });

    it('a fix must have been offered by a recent scan on this server', async () => {
      const r = await call(server.url, '/api/v1/fixApply', { id: 'thunderbird.smtp-port:anything' }, withCert());
      expect(r.status).toBe(409);
    });

    it('writes an append-only audit line per API request, with the client certificate, never a password', async () => {
      await call(server.url, '/api/v1/smtp', { host: '127.0.0.1', ports: [1], timeoutMs: 500, user: 'u', password: 'hunter2-very-secret' }, withCert());
      await call(server.url, '/api/v1/smtp', { host: '127.0.0.1', ports: [1], timeoutMs: 500, user: 'u', oauthToken: 'ya29.audit-very-secret-token' }, withCert());
      await new Promise((r) => setTimeout(r, 100));
      const lines = readFileSync(auditFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      expect(lines.length).toBeGreaterThanOrEqual(4);
      expect(lines.some((l) => l.path === '/api/v1/fixApply' && l.status === 409 && /fix thunderbird/.test(l.detail))).toBe(true);
      expect(lines.every((l) => typeof l.at === 'string' && typeof l.who === 'string')).toBe(true);
      expect(lines.some((l) => /it-console/.test(l.who))).toBe(true);
      expect(readFileSync(auditFile, 'utf8')).not.toContain('hunter2');
      expect(readFileSync(auditFile, 'utf8')).not.toContain('audit-very-secret');
    });

    it('rate-limits each client', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 40; i++) statuses.push((await call(server.url, '/api/v1/health', undefined, { method: 'GET', ...withCert() })).status);
      expect(statuses).toContain(429);
    });
  });
});
