import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runMailmedic } from '../../support/cli.ts';
import { reportValidator } from '../../support/report-schema.ts';

// The real `mailmedic` command in a child process: help, version, exit codes, JSON on stdout only.
const validate = reportValidator();
const emptyHome = () => mkdtempSync(path.join(os.tmpdir(), 'mm-home-'));
const dataEnv = () => ({ MAILMEDIC_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'mm-data-')) });

describe('mailmedic CLI', () => {
  it('--help lists every subcommand, exit 0', async () => {
    const r = await runMailmedic(['--help']);
    expect(r.code).toBe(0);
    for (const cmd of ['scan', 'smtp', 'explain', 'accounts', 'network', 'pst', 'fix', 'undo', 'serve']) {
      expect(r.stdout).toMatch(new RegExp(`^\\s+${cmd}\\b`, 'm'));
    }
  });

  it('--version prints the package version', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));
    const r = await runMailmedic(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it('bad usage exits 2 with a message on stderr and nothing on stdout', async () => {
    for (const args of [['frobnicate'], ['scan', '--no-such-flag'], ['smtp'], ['smtp', 'example.com', '--ports', '25,abc']]) {
      const r = await runMailmedic(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.length).toBeGreaterThan(0);
      expect(r.stdout).toBe('');
    }
  });

  it('a wrong path is "could not run" (exit 2), not an all clear', async () => {
    for (const args of [['accounts', '--home', '/no/such/home'], ['scan', '--offline', '--home', '/no/such/home'], ['pst', 'scan', '/no/such/file.pst']]) {
      const r = await runMailmedic(args, { env: dataEnv() });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/no such (folder|file)/);
      expect(r.stdout).toBe('');
    }
  });

  it('scan --json prints exactly one report document valid against the schema; --out writes the same', async () => {
    const out = path.join(emptyHome(), 'report.json');
    const r = await runMailmedic(['scan', '--offline', '--json', '--home', emptyHome(), '--out', out], { env: dataEnv() });
    expect([0, 1]).toContain(r.code);
    const report = JSON.parse(r.stdout);
    expect(validate(report)).toEqual([]);
    expect(report.command).toBe('scan');
    expect(JSON.parse(readFileSync(out, 'utf8')).startedAt).toBe(report.startedAt);
    // exit code follows the findings: 1 iff a warning or error is present
    expect(r.code).toBe(report.findings.some((f: { severity: string }) => f.severity !== 'info') ? 1 : 0);
  });

  it('human output goes to stdout; no progress bar when stderr is not a terminal', async () => {
    const r = await runMailmedic(['scan', '--offline', '--home', emptyHome()], { env: dataEnv() });
    expect(r.stdout).toMatch(/^MailMedic scan:/);
    expect(r.stderr).not.toMatch(/\r/);
  });

  it('serve prints its URL with a token and answers health', async () => {
    const { spawn } = await import('node:child_process');
    const { cliBin } = await import('../../support/paths.ts');
    const child = spawn(process.execPath, [cliBin, 'serve', '--home', emptyHome()], { env: { ...process.env, ...dataEnv() } });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d) => {
          out += d;
          const m = /Open: (http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+)/.exec(out);
          if (m) resolve(m[1]);
        });
        child.on('exit', (c) => reject(new Error(`serve exited ${c}`)));
      });
      const base = url.split('/#')[0];
      const health = await fetch(`${base}/api/v1/health`);
      expect(await health.json()).toMatchObject({ name: 'mailmedic' });
      expect((await fetch(`${base}/api/v1/scan`, { method: 'POST', body: '{}' })).status).toBe(401);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
