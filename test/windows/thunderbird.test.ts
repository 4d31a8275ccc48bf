import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { Wine } from '../support/windows/wine.ts';
import { CLIENT_FIXTURES } from '../support/clients/context.ts';

// Thunderbird's Windows layout under %APPDATA%\Thunderbird (profiles.ini, installs.ini, Profiles\…), read and
// changed by the built CLI as a win32 process. Assertions read prefs.js back from the prefix.

const wine = new Wine(inject('wine'));
const tbRoot = () => path.join(wine.profileDir, 'AppData/Roaming/Thunderbird');
const winRoot = () => `C:\\users\\${wine.info.user}\\AppData\\Roaming\\Thunderbird`;
const DEFAULT_DIR = 'q1w2e3r4.default-release';
const SECOND_DIR = 'k5l6m7n8.Büro Jürgen';
const prefsOf = (dir: string) => path.join(tbRoot(), 'Profiles', dir, 'prefs.js');
const FIX = `thunderbird:${DEFAULT_DIR}:smtp1:smtp-465-implicit`;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

beforeAll(() => {
  // The recorded Windows profile, plus what Thunderbird writes beside it: installs.ini and a second profile whose
  // folder name has spaces and non-ASCII letters.
  cpSync(path.join(CLIENT_FIXTURES, 'tb-windows/AppData/Roaming/Thunderbird'), tbRoot(), { recursive: true });
  writeFileSync(path.join(tbRoot(), 'installs.ini'), `[308046B0AF4A39CB]\r\nDefault=Profiles/${DEFAULT_DIR}\r\nLocked=1\r\n`);
  const ini = readFileSync(path.join(tbRoot(), 'profiles.ini'), 'utf8');
  writeFileSync(path.join(tbRoot(), 'profiles.ini'), ini + `\r\n[Profile1]\r\nName=Büro\r\nIsRelative=1\r\nPath=Profiles/${SECOND_DIR}\r\n`);
  mkdirSync(path.dirname(prefsOf(SECOND_DIR)), { recursive: true });
  writeFileSync(
    prefsOf(SECOND_DIR),
    [
      'user_pref("mail.account.account1.identities", "id1");',
      'user_pref("mail.account.account1.server", "server1");',
      'user_pref("mail.accountmanager.accounts", "account1");',
      'user_pref("mail.identity.id1.fullName", "Büro Müller");',
      'user_pref("mail.identity.id1.smtpServer", "smtp1");',
      'user_pref("mail.identity.id1.useremail", "buero@example.at");',
      'user_pref("mail.server.server1.hostname", "imap.example.at");',
      'user_pref("mail.server.server1.port", 993);',
      'user_pref("mail.server.server1.socketType", 3);',
      'user_pref("mail.server.server1.type", "imap");',
      'user_pref("mail.server.server1.userName", "buero@example.at");',
      'user_pref("mail.smtpserver.smtp1.authMethod", 3);',
      'user_pref("mail.smtpserver.smtp1.hostname", "smtp.example.at");',
      'user_pref("mail.smtpserver.smtp1.port", 587);',
      'user_pref("mail.smtpserver.smtp1.try_ssl", 2);',
      'user_pref("mail.smtpservers", "smtp1");',
      '',
    ].join('\r\n'),
  );
});

describe('Thunderbird under %APPDATA% (Windows layout)', () => {
  it('accounts --json reads both profiles, with their files as Windows paths', async () => {
    const report = await wine.mailmedicJson<Json>(['accounts']);
    const tb = (report.accounts as Json[]).filter((a) => a.client === 'thunderbird').sort((a, b) => a.email.localeCompare(b.email));
    expect(tb.map((a) => ({ email: a.email, incoming: a.incoming, outgoing: a.outgoing, file: a.source.file }))).toEqual([
      {
        email: 'buero@example.at',
        incoming: { protocol: 'imap', host: 'imap.example.at', port: 993, security: 'implicit' },
        outgoing: expect.objectContaining({ host: 'smtp.example.at', port: 587, security: 'starttls', auth: true }),
        file: `${winRoot()}\\Profiles\\${SECOND_DIR}\\prefs.js`,
      },
      {
        email: 'juergen@example.de',
        incoming: { protocol: 'pop3', host: 'pop.example.de', port: 995, security: 'implicit' },
        outgoing: expect.objectContaining({ host: 'mail.example.de', port: 465, security: 'starttls', auth: true }),
        file: `${winRoot()}\\Profiles\\${DEFAULT_DIR}\\prefs.js`,
      },
    ]);
    const f = (report.findings as Json[]).find((x) => x.id === 'accounts.smtp.465-starttls');
    expect(f?.fixes.map((x: Json) => x.id)).toContain(FIX);
  });

  it('a running thunderbird.exe with the profile locked makes the fix refuse, and prefs.js stays as it was', async () => {
    const lock = path.join(path.dirname(prefsOf(DEFAULT_DIR)), 'parent.lock');
    writeFileSync(lock, '');
    const tb = await wine.startStandIn('C:\\Program Files\\Mozilla Thunderbird\\thunderbird.exe');
    try {
      const before = readFileSync(prefsOf(DEFAULT_DIR));
      const r = await wine.mailmedicJson<Json>(['fix', FIX, '--yes'], { okCodes: [1] });
      expect(r.applied).toBe(false);
      expect(r.message).toContain(`Thunderbird is running (process ${tb.pid})`);
      expect(readFileSync(prefsOf(DEFAULT_DIR)).equals(before)).toBe(true);
    } finally {
      await wine.stop(tb, tb.pid);
    }
  });

  it('fix changes exactly the one pref in prefs.js, with a backup under %LOCALAPPDATA%\\MailMedic; undo is byte-exact', async () => {
    // Thunderbird has exited: its parent.lock stays behind on Windows and means nothing without the process.
    const before = readFileSync(prefsOf(DEFAULT_DIR));
    const r = await wine.mailmedicJson<Json>(['fix', FIX, '--yes'], { okCodes: [0] });
    expect(r).toMatchObject({ applied: true });
    const after = readFileSync(prefsOf(DEFAULT_DIR));
    const diff = (a: Buffer, b: Buffer) => {
      const la = a.toString('utf8').split(/\r?\n/);
      const lb = b.toString('utf8').split(/\r?\n/);
      return { removed: la.filter((l) => !lb.includes(l)), added: lb.filter((l) => !la.includes(l)) };
    };
    expect(diff(before, after)).toEqual({
      removed: ['user_pref("mail.smtpserver.smtp1.try_ssl", 2);   // STARTTLS on 465: the broken state'],
      added: ['user_pref("mail.smtpserver.smtp1.try_ssl", 3);   // STARTTLS on 465: the broken state'],
    });
    const backups = path.join(wine.profileDir, 'AppData/Local/MailMedic/backups', r.journalId);
    expect(readdirSync(backups).map((f) => readFileSync(path.join(backups, f)).equals(before))).toContain(true);
    await wine.mailmedicJson<Json>(['undo', r.journalId], { okCodes: [0] });
    expect(readFileSync(prefsOf(DEFAULT_DIR)).equals(before)).toBe(true);
  });
});
