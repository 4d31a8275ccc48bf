import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeRegFile, formatRegFile, formatRegQuery, parseRegFile, parseRegQuery, regString } from '../../../electron/clients/outlook/regtext.ts';
import type { RegValue } from '../../../electron/core/fix.ts';
import { pathFromEntryId } from '../../../electron/clients/outlook/reader.ts';
import { readAll } from '../../../electron/clients/service.ts';
import { pstFormat } from '../../../electron/clients/datafiles.ts';
import { CLIENT_FIXTURES, fixtureContext } from '../../support/clients/context.ts';
import { outlookEmulator } from '../../support/clients/reg-exe-emulator.ts';
import { RegExeBackend } from '../../../electron/clients/outlook/reg-exe.ts';

const OUT = path.join(CLIENT_FIXTURES, 'outlook');
const text = (f: string) => fs.readFileSync(path.join(OUT, f), 'utf8');
const ACCT = 'HKCU\\Software\\Microsoft\\Office\\16.0\\Outlook\\Profiles\\Outlook\\9375CFF0413111d3B88A00104B2A6676\\00000002';


describe('registry text formats', () => {
  it('parses recorded `reg query /s` output: REG_BINARY UTF-16LE, REG_SZ, REG_DWORD', () => {
    const keys = parseRegQuery(text('reg-query-office16.txt'));
    const acct = keys.find((k) => k.path === ACCT)!;
    expect(regString(acct.values.get('SMTP Server'))).toBe('smtp.example.com');
    expect(acct.values.get('SMTP Port')).toEqual({ type: 'REG_DWORD', data: 465 });
    expect(regString(acct.values.get('clsid'))).toBe('{ED475412-B0D6-11D2-8C3B-00104B2A6676}');
  });

  it('a .reg export (UTF-16LE, BOM, CRLF, wrapped hex) gives the same values as reg query', () => {
    const reg = parseRegFile(decodeRegFile(fs.readFileSync(path.join(OUT, 'export-imap-account.reg'))));
    expect(reg).toHaveLength(1);
    const q = parseRegQuery(text('reg-query-office16.txt')).find((k) => k.path === ACCT)!;
    q.values.delete('IMAP Password'); // the export leaves passwords out
    expect(reg[0]!.path).toBe(ACCT);
    expect(new Map([...reg[0]!.values].sort())).toEqual(new Map([...q.values].sort()));
  });

  it('reads .reg string escapes, hex(2)/hex(7)/hex(b) and skips deletions', () => {
    const src = 'Windows Registry Editor Version 5.00\r\n\r\n[HKEY_CURRENT_USER\\X]\r\n"a"="C:\\\\p \\"q\\""\r\n"b"=hex(2):25,00,41,00,00,00\r\n"c"=hex(7):61,00,00,00,62,00,00,00,00,00\r\n"d"=hex(b):01,00,00,00,00,00,00,00\r\n"e"=-\r\n@="def"\r\n[-HKEY_CURRENT_USER\\Y]\r\n"z"="ignored"\r\n';
    const [k] = parseRegFile(src);
    expect(Object.fromEntries(k!.values)).toEqual({
      a: { type: 'REG_SZ', data: 'C:\\p "q"' },
      b: { type: 'REG_EXPAND_SZ', data: '%A' },
      c: { type: 'REG_MULTI_SZ', data: 'a\0b' },
      d: { type: 'REG_QWORD', data: 1 },
      '': { type: 'REG_SZ', data: 'def' },
    });
  });

  it('format → parse round-trips, for reg query text and .reg files (every value type)', () => {
    const keys = parseRegQuery(text('reg-query-office16.txt'));
    expect(parseRegQuery(formatRegQuery(keys))).toEqual(keys);
    expect(parseRegFile(decodeRegFile(formatRegFile(keys)))).toEqual(keys);
    const odd = [{ path: 'HKCU\\X\\Büro', values: new Map<string, RegValue>([
      ['', { type: 'REG_SZ', data: 'C:\\a "b"' }], ['e', { type: 'REG_EXPAND_SZ', data: '%USERPROFILE%\\x' }],
      ['m', { type: 'REG_MULTI_SZ', data: 'a\0b' }], ['q', { type: 'REG_QWORD', data: 2 ** 40 }], ['n', { type: 'REG_NONE', data: Buffer.from([1]) }],
    ]) }];
    expect(parseRegFile(decodeRegFile(formatRegFile(odd)))).toEqual(odd);
  });

  it('finds the OST/PST path inside a store EntryID', () => {
    const blob = parseRegQuery(text('reg-query-office16.txt')).find((k) => k.path === ACCT)!.values.get('Delivery Store EntryID')!.data as Buffer;
    expect(pathFromEntryId(blob)).toBe('C:\\Users\\jane\\AppData\\Local\\Microsoft\\Outlook\\jane@example.com.ost');
  });
});

/** A Windows home on disk: the IMAP OST exists, the archive PST is a sparse 1.9 GB ANSI file, the Exchange OST is gone. */
function windowsHome(): string {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mm-win-'));
  fs.mkdirSync(path.join(home, 'AppData/Local/Microsoft/Outlook'), { recursive: true });
  fs.writeFileSync(path.join(home, 'AppData/Local/Microsoft/Outlook/jane@example.com.ost'), Buffer.from('!BDN'));
  fs.mkdirSync(path.join(home, 'Documents/Outlook Files'), { recursive: true });
  const pst = path.join(home, 'Documents/Outlook Files/archive.pst');
  const header = Buffer.alloc(16);
  header.write('!BDN', 0, 'latin1');
  header.writeUInt16LE(14, 10); // wVer 14 = ANSI
  fs.writeFileSync(pst, header);
  fs.truncateSync(pst, Math.floor(1.9 * 1024 ** 3));
  fs.mkdirSync(path.join(home, 'AppData/Local/Packages/Microsoft.OutlookForWindows_8wekyb3d8bbwe'), { recursive: true });
  return home;
}

describe('Outlook classic accounts through reg.exe', () => {
  it('reads IMAP, POP3 and Exchange accounts of 16.0 and the Windows Messaging Subsystem path', async () => {
    const emu = outlookEmulator();
    const res = await readAll(fixtureContext(windowsHome(), { platform: 'win32', run: emu.run }));
    const ids = res.accounts.map((a) => a.id);
    expect(ids).toEqual([
      'outlook:16.0:Outlook:00000002',
      'outlook:16.0:Outlook:00000003',
      'outlook:16.0:Outlook:00000004',
      'outlook:16.0:Outlook:data-files',
      'outlook:wms:Default_Outlook_Profile:00000002',
    ]);
    const [imap, pop, exch, files, old] = res.accounts;
    expect(imap).toMatchObject({
      client: 'outlook', profile: 'Outlook', name: 'jane@example.com', email: 'jane@example.com',
      incoming: { protocol: 'imap', host: 'imap.example.com', port: 993, security: 'implicit' },
      outgoing: { host: 'smtp.example.com', port: 465, security: 'starttls', auth: true, username: 'jane@example.com' },
      dataFiles: ['C:\\Users\\jane\\AppData\\Local\\Microsoft\\Outlook\\jane@example.com.ost'],
      source: { file: null, registryKey: ACCT },
    });
    expect(pop).toMatchObject({ email: 'home@isp.example.net', outgoing: { port: 25, security: 'none', auth: true, username: 'home' } });
    expect(exch).toMatchObject({ incoming: { protocol: 'exchange' }, outgoing: null });
    expect(files!.dataFiles).toHaveLength(2);
    expect(old).toMatchObject({ name: 'Büro', outgoing: { port: 25, security: 'none', auth: false, username: 'buero@example.de' } });
    expect(imap!.outgoing!.authMethod).toMatchObject({ kind: 'password', mechanisms: ['LOGIN', 'PLAIN'] });
    expect(old!.outgoing!.authMethod).toMatchObject({ kind: 'none', mechanisms: [] });
    // No password value is ever read into the model.
    expect(JSON.stringify(res.accounts)).not.toMatch(/D08C9DDF/i);
    const ids2 = res.findings.map((f) => f.id);
    expect(ids2).toEqual(expect.arrayContaining([
      'accounts.smtp.465-starttls', 'accounts.smtp.25-submission', 'accounts.smtp.plaintext-password', 'accounts.smtp.no-auth',
      'accounts.datafile.network-share', 'accounts.datafile.missing', 'accounts.datafile.ansi-near-limit', 'accounts.new-outlook.detected',
    ]));
    expect(res.findings.find((f) => f.id === 'accounts.datafile.ansi-near-limit')!.evidence).toMatchObject({ format: 'ansi', size: Math.floor(1.9 * 1024 ** 3) });
    expect(res.findings.find((f) => f.id === 'accounts.smtp.465-starttls')!.fixes.map((f) => f.id)).toEqual([
      'outlook:16.0:Outlook:00000002:smtp-587-starttls', 'outlook:16.0:Outlook:00000002:smtp-465-implicit',
    ]);
    // Exchange accounts get no SMTP fix.
    expect(res.fixes.filter((f) => f.id.includes(':00000004:')).map((f) => f.action)).toEqual(['export-settings']);
  });

  it('several profiles: says which one Outlook opens (DefaultProfile)', async () => {
    const emu = outlookEmulator();
    const spare = 'HKCU\\Software\\Microsoft\\Office\\16.0\\Outlook\\Profiles\\Spare\\9375CFF0413111d3B88A00104B2A6676\\00000002';
    emu.keys.set(spare.toLowerCase(), { path: spare, values: new Map([['clsid', { type: 'REG_SZ', data: '{ED475412-B0D6-11D2-8C3B-00104B2A6676}' }], ['IMAP Server', { type: 'REG_SZ', data: 'imap.example.com' }]]) });
    const res = await readAll(fixtureContext(windowsHome(), { platform: 'win32', run: emu.run }));
    expect(res.accounts.some((a) => a.id === 'outlook:16.0:Spare:00000002')).toBe(true);
    expect(res.findings.find((f) => f.id === 'accounts.outlook.several-profiles')).toMatchObject({
      title: 'Outlook has 2 profiles; it starts with "Outlook"',
      evidence: { profiles: ['Outlook', 'Spare'], defaultProfile: 'Outlook' },
    });
  });

  it('a string value is read exactly, not through the console code page (DefaultProfile "Büro – Jürgen")', async () => {
    const emu = outlookEmulator();
    const def = 'HKCU\\Software\\Microsoft\\Office\\16.0\\Outlook';
    emu.keys.get(def.toLowerCase())!.values.set('DefaultProfile', { type: 'REG_SZ', data: 'Büro – Jürgen' });
    const value = await new RegExeBackend(emu.run).getValue(def, 'DefaultProfile');
    expect(value).toEqual({ type: 'REG_SZ', data: 'Büro – Jürgen' });
    // A number needs no second read.
    emu.calls.length = 0;
    expect(await new RegExeBackend(emu.run).getValue(ACCT, 'SMTP Port')).toEqual({ type: 'REG_DWORD', data: 465 });
    expect(emu.calls.map((c) => c[1])).toEqual(['query']);
  });

  it('on a machine without a registry, Outlook is simply not read', async () => {
    const res = await readAll(fixtureContext(windowsHome(), { platform: 'linux' }));
    expect(res.accounts.filter((a) => a.client === 'outlook')).toEqual([]);
  });

  it('knows ANSI from Unicode PST headers', () => {
    const h = Buffer.alloc(16);
    h.write('!BDN', 0, 'latin1');
    h.writeUInt16LE(23, 10);
    expect(pstFormat(h)).toBe('unicode');
    expect(pstFormat(Buffer.from('nope'))).toBe('unknown');
    // Real PSTs from the shared fixtures.
    const pst = path.resolve(import.meta.dirname, '../../../../shared/fixtures/pst');
    const head = (f: string) => fs.readFileSync(path.join(pst, f)).subarray(0, 16);
    expect(pstFormat(head('pstsdk-test_ansi.pst'))).toBe('ansi');
    expect(pstFormat(head('pstsdk-test_unicode.pst'))).toBe('unicode');
  });
});
