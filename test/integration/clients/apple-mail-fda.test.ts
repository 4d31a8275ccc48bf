import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

// macOS answers EPERM without Full Disk Access. Here the same refusal comes from real permissions: the folders are
// root-only and the reader runs as user "nobody" in a child process. Needs root to switch users.

const isRoot = process.getuid?.() === 0;
if (!isRoot) console.warn('SKIPPED apple-mail-fda: needs root to run the reader as another user');
const repoRoot = path.resolve(import.meta.dirname, '../../..');

describe.skipIf(!isRoot)('Apple Mail without Full Disk Access', () => {
  it('reports the missing permission with the steps to grant it', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mm-mac-'));
    fs.chmodSync(home, 0o755);
    fs.mkdirSync(path.join(home, 'Library/Mail/V10'), { recursive: true });
    fs.mkdirSync(path.join(home, 'Library/Accounts'), { recursive: true });
    fs.chmodSync(path.join(home, 'Library'), 0o755);
    fs.copyFileSync(path.join(repoRoot, 'test/fixtures/clients/apple-mail/Library/Accounts/Accounts4.sqlite'), path.join(home, 'Library/Accounts/Accounts4.sqlite'));
    fs.chmodSync(path.join(home, 'Library/Mail'), 0o700);
    fs.chmodSync(path.join(home, 'Library/Accounts/Accounts4.sqlite'), 0o600);
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'test/support/clients/read-accounts-child.ts', home], {
      cwd: repoRoot,
      uid: 65534,
      gid: 65534,
      encoding: 'utf8',
      timeout: 60_000,
      env: { PATH: process.env.PATH, HOME: '/tmp', TMPDIR: os.tmpdir() },
    });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(out.accounts).toEqual([]);
    expect(out.findings).toContain('accounts.apple-mail.full-disk-access');
  });
});
