import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, type RunningServer } from '../../../electron/server/http.ts';
import { defaultContext } from '../../../electron/engine/defaults.ts';
import { repoRoot } from '../../support/paths.ts';
import { reportValidator } from '../../support/report-schema.ts';

// The HTTP face over a real socket on 127.0.0.1: token, Origin and Host checks, fixes gate, limits.
const TOKEN = 'test-token-0123456789abcdefghijklmnopqrstuv';
let server: RunningServer;
let fixesServer: RunningServer;
const home = mkdtempSync(path.join(os.tmpdir(), 'mm-home-'));

interface Res {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function request(base: string, method: string, pathname: string, opts: { headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<Res> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${pathname}`, { method, headers: opts.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}
const auth = { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' };

beforeAll(async () => {
  const ctx = defaultContext({ home, dataDir: mkdtempSync(path.join(os.tmpdir(), 'mm-data-')) });
  server = await startServer({ ctx, token: TOKEN, staticDir: path.join(repoRoot, 'renderer'), maxBodyBytes: 64 * 1024 });
  fixesServer = await startServer({ ctx, token: TOKEN, staticDir: null, allowFixes: true });
});
afterAll(async () => {
  await server.close();
  await fixesServer.close();
});

describe('mailmedic serve (HTTP face)', () => {
  it('listens on loopback and hands out an open URL with the token in the fragment', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.openUrl).toBe(`${server.url}/#token=${TOKEN}`);
  });

  it('GET /api/v1/health is public and says only name + version', async () => {
    const r = await request(server.url, 'GET', '/api/v1/health');
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ name: 'mailmedic', version: expect.any(String) });
  });

  it('every other route answers 401 without the right bearer token', async () => {
    const variants: Record<string, string>[] = [{}, { Authorization: 'Bearer wrong' }, { Authorization: TOKEN }, { Authorization: `Basic ${TOKEN}` }];
    for (const headers of variants) {
      // no token, wrong token, bare token, wrong scheme
      const r = await request(server.url, 'POST', '/api/v1/explain', { headers, body: '{"text":"421"}' });
      expect(r.status).toBe(401);
      expect(r.headers['www-authenticate']).toBe('Bearer');
    }
  });

  it('refuses other Origins and foreign Host headers (DNS rebinding)', async () => {
    const cross = await request(server.url, 'POST', '/api/v1/scan', { headers: { ...auth, Origin: 'https://evil.example' }, body: '{}' });
    expect(cross.status).toBe(403);
    const rebind = await request(server.url, 'GET', '/api/v1/health', { headers: { Host: 'evil.example' } });
    expect(rebind.status).toBe(421);
  });

  it('fix and undo calls answer 403 unless started with --allow-fixes', async () => {
    const r = await request(server.url, 'POST', '/api/v1/fixApply', { headers: auth, body: '{"id":"x"}' });
    expect(r.status).toBe(403);
    expect(JSON.parse(r.body).error.message).toMatch(/--allow-fixes/);
    const u = await request(server.url, 'POST', '/api/v1/undo', { headers: auth, body: '{}' });
    expect(u.status).toBe(403);
    const allowed = await request(fixesServer.url, 'POST', '/api/v1/fixApply', { headers: auth, body: '{"id":"no.such.fix"}' });
    expect(allowed.status).not.toBe(403);
  });

  it('pstExport takes a report larger than the other calls may send (a readiness scan of a whole share)', async () => {
    const file = { path: '/share/a.pst', bytes: 1, format: 'unicode', kind: 'pst', encryption: 'none', passwordProtected: false, status: 'ok', counts: { folders: 1, messages: 0, attachments: 0, damagedItems: 0 }, problems: [] };
    const files = Array.from({ length: 2000 }, (_, i) => ({ ...file, path: `/share/${'x'.repeat(80)}-${i}.pst` }));
    const body = JSON.stringify({ section: { files }, format: 'csv' });
    expect(body.length).toBeGreaterThan(200 * 1024);
    const r = await request(server.url, 'POST', '/api/v1/pstExport', { headers: auth, body });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body).text.split('\n').length).toBeGreaterThan(2000);
  });

  it('rejects oversized bodies, non-JSON bodies, unknown methods and invalid requests', async () => {
    const big = await request(server.url, 'POST', '/api/v1/explain', { headers: auth, body: Buffer.alloc(200 * 1024, 0x20) });
    expect(big.status).toBe(413);
    const notJson = await request(server.url, 'POST', '/api/v1/explain', { headers: auth, body: '{text:' });
    expect(notJson.status).toBe(400);
    const unknown = await request(server.url, 'POST', '/api/v1/rmRf', { headers: auth, body: '{}' });
    expect(unknown.status).toBe(404);
    const invalid = await request(server.url, 'POST', '/api/v1/smtp', { headers: auth, body: '{"host":"bad host; rm -rf /"}' });
    expect(invalid.status).toBe(400);
    expect(JSON.parse(invalid.body).error.kind).toBe('bad-request');
  });

  it('a scan over HTTP returns a report valid against the JSON Schema', async () => {
    const r = await request(server.url, 'POST', '/api/v1/scan', { headers: auth, body: JSON.stringify({ offline: true }) });
    expect(r.status).toBe(200);
    const report = JSON.parse(r.body);
    expect(reportValidator()(report)).toEqual([]);
    expect(report.command).toBe('scan');
  });

  it('streams progress as NDJSON and ends with the result', async () => {
    const r = await request(server.url, 'POST', '/api/v1/scan', { headers: { ...auth, Accept: 'application/x-ndjson' }, body: '{"offline":true}' });
    const lines = r.body.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.progress).length).toBeGreaterThan(0);
    expect(lines.at(-1).result.schemaVersion).toBe(1);
  });

  it('serves the UI with security headers and never a file outside its folder', async () => {
    const index = await request(server.url, 'GET', '/');
    expect(index.status).toBe(200);
    expect(index.headers['content-security-policy']).toContain("script-src 'self'");
    expect(index.headers['referrer-policy']).toBe('no-referrer');
    expect(index.headers['x-frame-options']).toBe('DENY');
    for (const p of ['/../package.json', '/%2e%2e/package.json', '/..%2fpackage.json', '/%00']) {
      expect((await request(server.url, 'GET', p)).status).toBe(404);
    }
  });
});
