import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAll } from '../../../electron/clients/service.ts';
import { CLIENT_FIXTURES, copyFixtureHome, fixtureContext } from '../../support/clients/context.ts';

describe('Apple Mail (read-only, Accounts4.sqlite through sql.js)', () => {
  it('reads IMAP and POP accounts with their SMTP child accounts and binary-plist properties', async () => {
    const res = await readAll(fixtureContext(path.join(CLIENT_FIXTURES, 'apple-mail')));
    expect(res.accounts.map((a) => a.id)).toEqual(['apple-mail:6C1A2F8E-5B3D-4E7A-9C21-0D4E5F6A7B8C', 'apple-mail:B1C2D3E4-F5A6-4B7C-9D8E-0F1A2B3C4D5E']);
    const [work, isp] = res.accounts;
    expect(work).toMatchObject({
      client: 'apple-mail', name: 'Work', email: 'ana@example.org',
      incoming: { protocol: 'imap', host: 'imap.example.org', port: 993, security: 'implicit' },
      outgoing: { host: 'smtp.example.org', port: 465, security: 'none', auth: true },
    });
    expect(isp).toMatchObject({ incoming: { protocol: 'pop3', port: 110 }, outgoing: { host: 'mail.isp.example', port: 25, auth: false } });
    // Read-only: only the export "fix", no port fixes; the checks still run.
    expect(new Set(res.fixes.map((f) => f.action))).toEqual(new Set(['export-settings']));
    expect(res.findings.map((f) => f.id)).toEqual(expect.arrayContaining(['accounts.apple-mail.read-only', 'accounts.smtp.plaintext-password', 'accounts.smtp.no-auth']));
  });

  it('the database is never written', async () => {
    const home = copyFixtureHome('apple-mail');
    const db = path.join(home, 'Library/Accounts/Accounts4.sqlite');
    const before = fs.readFileSync(db);
    await readAll(fixtureContext(home));
    expect(fs.readFileSync(db).equals(before)).toBe(true);
  });

  it('a damaged database becomes a finding, not a crash', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mm-mac-'));
    fs.mkdirSync(path.join(home, 'Library/Accounts'), { recursive: true });
    fs.writeFileSync(path.join(home, 'Library/Accounts/Accounts4.sqlite'), Buffer.from('SQLite format 3\0 garbage garbage'));
    const res = await readAll(fixtureContext(home));
    expect(res.findings.map((f) => f.id)).toContain('accounts.apple-mail.unreadable');
  });
});
