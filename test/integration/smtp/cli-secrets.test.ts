import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runMailmedic } from '../../support/cli.ts';
import { reportValidator } from '../../support/report-schema.ts';
import { smtpError, startSmtpServer, type RunningServer } from '../../support/smtp/smtp-server.ts';

// The built `mailmedic smtp` with a password or an OAuth token on stdin, against a Microsoft 365-like tenant on
// 127.0.0.1: the secret is used, and appears nowhere the user or a log can see it (stdout, stderr, --out, data dir).

const TOKEN = 'eyJ0eXAiOiJKV1QiLCJub25jZSI6Ik1haWxNZWRpYy1jbGktdGVzdCJ9.cli-secret-token';
const PASSWORD = 'Cli-Pa55word-secret';
const USER = 'jane@contoso.example';
const b64 = (s: string) => Buffer.from(s).toString('base64');
const validate = reportValidator();

let tenant: RunningServer;
beforeAll(async () => {
  tenant = await startSmtpServer({
    name: 'SN4PR0501CA0056.outlook.office365.com',
    banner: 'Microsoft ESMTP MAIL Service ready',
    hideSTARTTLS: true,
    allowInsecureAuth: true,
    authMethods: ['LOGIN', 'XOAUTH2'],
    onAuth: (auth, _s, cb) => {
      if (auth.method === 'XOAUTH2') return auth.accessToken === TOKEN ? cb(null, { user: auth.username }) : cb(null, { data: { status: '401', schemes: 'bearer' } });
      cb(smtpError(535, '5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.'));
    },
  });
});
afterAll(async () => tenant?.close());

function everywhere(r: { stdout: string; stderr: string }, dirs: string[]): string {
  const files = dirs.flatMap((d) => readdirSync(d, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => readFileSync(path.join(e.parentPath, e.name), 'latin1')));
  return [r.stdout, r.stderr, ...files].join('\n');
}

function expectAbsent(all: string, secret: string): void {
  for (const form of [secret, b64(secret), b64(`\0${USER}\0${secret}`), b64(`user=${USER}\x01auth=Bearer ${secret}\x01\x01`)]) expect(all).not.toContain(form);
}

describe('mailmedic smtp: secrets from stdin stay secret', () => {
  it('--oauth-token-stdin: XOAUTH2 signs in; the token is in no output, no --out file and no data file', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'mm-out-'));
    const data = mkdtempSync(path.join(os.tmpdir(), 'mm-data-'));
    const r = await runMailmedic(['smtp', '127.0.0.1', '--ports', String(tenant.port), '--timeout', '3000', '--user', USER, '--oauth-token-stdin', '--json', '--out', path.join(out, 'report.json')], {
      input: `${TOKEN}\n`, env: { MAILMEDIC_DATA_DIR: data, HOME: mkdtempSync(path.join(os.tmpdir(), 'mm-home-')) },
    });
    const report = JSON.parse(r.stdout);
    expect(validate(report)).toEqual([]);
    expect(report.smtp.ports[0]).toMatchObject({ outcome: 'ok', authMechanism: 'XOAUTH2' });
    expectAbsent(everywhere(r, [out, data]), TOKEN);
  });

  it('--password-stdin refused with 5.7.139: the report says OAuth, never "no port works", and holds no password', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'mm-out-'));
    const r = await runMailmedic(['smtp', '127.0.0.1', '--ports', String(tenant.port), '--timeout', '3000', '--user', USER, '--password-stdin', '--json', '--out', path.join(out, 'report.json')], {
      input: `${PASSWORD}\n`, env: { HOME: mkdtempSync(path.join(os.tmpdir(), 'mm-home-')) },
    });
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    const ids = report.findings.map((f: { id: string }) => f.id);
    expect(ids).toEqual(expect.arrayContaining(['smtp.signin.oauth-required', 'smtp.signin.fails', `smtp.auth-failed.${tenant.port}`]));
    expect(ids).not.toContain('smtp.no-working-port');
    expectAbsent(everywhere(r, [out]), PASSWORD);

    // The human output names the sign-in as well, and holds no password either.
    const human = await runMailmedic(['smtp', '127.0.0.1', '--ports', String(tenant.port), '--timeout', '3000', '--user', USER, '--password-stdin'], { input: `${PASSWORD}\n` });
    expect(human.stdout).toMatch(/wants modern sign-in \(OAuth\)/);
    expect(human.stdout).not.toMatch(/No port of/);
    expectAbsent(human.stdout + human.stderr, PASSWORD);
  });

  it('a bad token request fails (exit 2) without echoing the token; both stdin flags at once are refused', async () => {
    const spaced = 'has a space-secret-token';
    const bad = await runMailmedic(['smtp', '127.0.0.1', '--ports', String(tenant.port), '--user', USER, '--oauth-token-stdin', '--json'], { input: `${spaced}\n` });
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stdout).error.message).toMatch(/access token is printable ASCII/);
    expect(bad.stdout + bad.stderr).not.toContain('secret-token');
    const both = await runMailmedic(['smtp', '127.0.0.1', '--user', USER, '--oauth-token-stdin', '--password-stdin'], { input: `${TOKEN}\n` });
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/not both/);
    expect(both.stdout + both.stderr).not.toContain(TOKEN);
  });
});
