import type { RegData, RegKeyModel } from './reg-file.ts';

// Outlook profiles for the Windows suite, in the value layout of test/fixtures/clients/outlook/generate.py (strings
// mostly REG_BINARY UTF-16LE, some REG_SZ; numbers REG_DWORD), for the three places Outlook keeps them:
// Office 16.0 (2016/2019/2021/365), 15.0 (2013) and the Windows Messaging Subsystem (2010).

export const HKCU = 'HKEY_CURRENT_USER';
export const ROOT16 = `${HKCU}\\Software\\Microsoft\\Office\\16.0\\Outlook\\Profiles`;
export const ROOT15 = `${HKCU}\\Software\\Microsoft\\Office\\15.0\\Outlook\\Profiles`;
export const ROOTWMS = `${HKCU}\\Software\\Microsoft\\Windows NT\\CurrentVersion\\Windows Messaging Subsystem\\Profiles`;
const ACCOUNTS = '9375CFF0413111d3B88A00104B2A6676';
const CLSID_POP3 = '{ED475411-B0D6-11D2-8C3B-00104B2A6676}';
const CLSID_IMAP = '{ED475412-B0D6-11D2-8C3B-00104B2A6676}';
const CLSID_MAPI = '{ED475414-B0D6-11D2-8C3B-00104B2A6676}';
/** PST data-file service (MSUPST) and Exchange OST provider sections: any 32-hex key of the profile. */
const PST_SECTION = '8503020000000000c000000000000046';
const OST_SECTION = '13dbb0c8aa05101a9bb000aa002fc45a';

/** A store EntryID: provider header, pstprx.dll, then the path in UTF-16LE. */
function entryId(winPath: string): Buffer {
  return Buffer.concat([
    Buffer.from('0000000038A1BB1005E5101AA1BB08002B2A56C200007073747072782E646C6C00000000004C7E2F01A9B64D4E8C1F3B5A77D0E9120000', 'hex'),
    Buffer.from(winPath + '\0', 'utf16le'),
  ]);
}

export const PROFILE16 = 'Büro – Jürgen';
/** A loopback address of the suite's own SMTP server (127.0.0.1 and .2 belong to other tests' servers). */
export const LOOPBACK_SMTP = '127.0.0.3';
export const PROFILE16B = 'Outlook';
export const PROFILE15 = 'Outlook 2013 Ärzte';
export const PROFILEWMS = 'Standardprofil Outlook 2010';

/** The expected account as `accounts --json` must read it (the fields the suite asserts). */
export interface ExpectedAccount {
  id: string;
  profile: string;
  name: string | null;
  email: string | null;
  incoming: { protocol: string; host: string | null; port: number | null; security: string | null } | null;
  outgoing: { host: string; port: number; security: string | null; auth: boolean; username: string | null } | null;
  dataFiles: string[];
}

export interface OutlookModel {
  keys: RegKeyModel[];
  accounts: ExpectedAccount[];
  /** The PST of the data-file service (exists), and the folder it sits in. */
  pstPath: string;
  pstFolder: string;
  /** The IMAP account with STARTTLS on 465 (the broken state the fix tests change), and its key. */
  brokenImap: { id: string; key: string };
  /** The account that sends through LOOPBACK_SMTP. */
  loopbackId: string;
}

const slug = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_');

/** The whole model for Windows user `user` (C:\Users\<user>\…). */
export function outlookModel(user: string): OutlookModel {
  const docs = `C:\\Users\\${user}\\Documents\\Outlook Files`;
  const local = `C:\\Users\\${user}\\AppData\\Local\\Microsoft\\Outlook`;
  const pstPath = `${docs}\\Archiv 2024 – Jürgen Müller.pst`;
  const popPst = `${docs}\\zuhause@isp.example.net.pst`;
  const imapOst = `${local}\\juergen@example.de.ost`;
  const exchangeOst = `${local}\\j.mueller@corp.example.com.ost`;
  const keys: RegKeyModel[] = [];
  const accounts: ExpectedAccount[] = [];
  const acct = (root: string, profile: string, num: string, values: Array<[string, RegData]>) =>
    keys.push({ path: `${root}\\${profile}\\${ACCOUNTS}\\${num}`, values });
  const id = (version: string, profile: string, num: string) => `outlook:${version}:${slug(profile)}:${num}`;

  // --- Office 16.0, default profile with a non-ASCII name: address book, IMAP (465 + STARTTLS, no login),
  // POP3 (25, no encryption, login), Exchange, an archive PST service and the Exchange OST.
  keys.push({ path: `${HKCU}\\Software\\Microsoft\\Office\\16.0\\Outlook`, values: [['DefaultProfile', { sz: PROFILE16 }]] });
  keys.push({ path: `${ROOT16}\\${PROFILE16}`, values: [] });
  keys.push({
    path: `${ROOT16}\\${PROFILE16}\\${ACCOUNTS}`,
    values: [['NextAccountID', { dword: 5 }], ['{ED475419-B0D6-11D2-8C3B-00104B2A6676}', { bin: Buffer.from('01000000', 'hex') }]],
  });
  acct(ROOT16, PROFILE16, '00000001', [
    ['Account Name', { sz: 'Outlook-Adressbuch' }], ['clsid', { sz: CLSID_MAPI }], ['Service Name', { sz: 'CONTAB' }], ['Mini UID', { dword: 0x5a1c3e07 }],
  ]);
  const brokenKey = `${ROOT16}\\${PROFILE16}\\${ACCOUNTS}\\00000002`;
  acct(ROOT16, PROFILE16, '00000002', [
    ['Account Name', { u16: 'juergen@example.de' }], ['clsid', { sz: CLSID_IMAP }],
    ['Delivery Store EntryID', { bin: entryId(imapOst) }],
    ['Display Name', { u16: 'Jürgen Müller' }], ['Email', { u16: 'juergen@example.de' }],
    ['IMAP Password', { bin: Buffer.from('0201000000D08C9DDF0115D1118C7A00C04FC297EB01000000', 'hex') }],
    ['IMAP Port', { dword: 993 }], ['IMAP Server', { u16: 'imap.example.de' }], ['IMAP Use SSL', { dword: 1 }],
    ['IMAP User', { u16: 'juergen@example.de' }],
    ['SMTP Port', { dword: 465 }], ['SMTP Secure Connection', { dword: 2 }], ['SMTP Server', { u16: 'smtp.example.de' }],
    ['SMTP Use SSL', { dword: 0 }],
  ]);
  accounts.push({
    id: id('16.0', PROFILE16, '00000002'), profile: PROFILE16, name: 'juergen@example.de', email: 'juergen@example.de',
    incoming: { protocol: 'imap', host: 'imap.example.de', port: 993, security: 'implicit' },
    outgoing: { host: 'smtp.example.de', port: 465, security: 'starttls', auth: false, username: 'juergen@example.de' },
    dataFiles: [imapOst],
  });
  acct(ROOT16, PROFILE16, '00000003', [
    ['Account Name', { sz: 'Zuhause – Jürgen' }], ['clsid', { sz: CLSID_POP3 }],
    ['Delivery Store EntryID', { bin: entryId(popPst) }],
    ['Display Name', { sz: 'Jürgen zu Hause' }], ['Email', { sz: 'zuhause@isp.example.net' }],
    ['POP3 Server', { sz: 'pop.isp.example.net' }], ['POP3 Port', { dword: 110 }], ['POP3 Use SSL', { dword: 0 }], ['POP3 User', { sz: 'zuhause' }],
    ['SMTP Server', { u16: 'mail.isp.example.net' }], ['SMTP Port', { dword: 25 }], ['SMTP Secure Connection', { dword: 0 }], ['SMTP Use Auth', { dword: 1 }],
  ]);
  accounts.push({
    id: id('16.0', PROFILE16, '00000003'), profile: PROFILE16, name: 'Zuhause – Jürgen', email: 'zuhause@isp.example.net',
    incoming: { protocol: 'pop3', host: 'pop.isp.example.net', port: 110, security: 'none' },
    outgoing: { host: 'mail.isp.example.net', port: 25, security: 'none', auth: true, username: 'zuhause' },
    dataFiles: [popPst],
  });
  acct(ROOT16, PROFILE16, '00000004', [
    ['Account Name', { u16: 'j.mueller@corp.example.com' }], ['clsid', { sz: CLSID_MAPI }], ['Service Name', { sz: 'MSEMS' }],
    ['Email', { u16: 'j.mueller@corp.example.com' }],
  ]);
  accounts.push({
    id: id('16.0', PROFILE16, '00000004'), profile: PROFILE16, name: 'j.mueller@corp.example.com', email: 'j.mueller@corp.example.com',
    incoming: { protocol: 'exchange', host: null, port: null, security: null }, outgoing: null, dataFiles: [],
  });
  keys.push({ path: `${ROOT16}\\${PROFILE16}\\${OST_SECTION}`, values: [['001f6610', { u16: exchangeOst }]] });
  keys.push({ path: `${ROOT16}\\${PROFILE16}\\${PST_SECTION}`, values: [['001f6700', { u16: pstPath }], ['001f3001', { u16: 'Archiv 2024' }]] });
  accounts.push({
    id: id('16.0', PROFILE16, 'data-files'), profile: PROFILE16, name: `Data files of profile ${PROFILE16}`, email: null,
    incoming: null, outgoing: null, dataFiles: [exchangeOst, pstPath],
  });

  // --- Office 16.0, a second profile: IMAP on 587 with Secure Connection 3 (Auto: security not known).
  acct(ROOT16, PROFILE16B, '00000001', [
    ['Account Name', { u16: 'info@example.org' }], ['clsid', { sz: CLSID_IMAP }], ['Email', { u16: 'info@example.org' }],
    ['IMAP Server', { u16: 'imap.example.org' }], ['IMAP Use SSL', { dword: 1 }],
    ['SMTP Server', { u16: 'smtp.example.org' }], ['SMTP Port', { dword: 587 }], ['SMTP Secure Connection', { dword: 3 }], ['SMTP Use Auth', { dword: 1 }],
    ['SMTP User', { u16: 'info' }],
  ]);
  accounts.push({
    id: id('16.0', PROFILE16B, '00000001'), profile: PROFILE16B, name: 'info@example.org', email: 'info@example.org',
    incoming: { protocol: 'imap', host: 'imap.example.org', port: 993, security: 'implicit' },
    outgoing: { host: 'smtp.example.org', port: 587, security: null, auth: true, username: 'info' },
    dataFiles: [],
  });

  // ... and an IMAP account sending through a loopback server the suite starts (LOOPBACK_SMTP): STARTTLS on 465.
  acct(ROOT16, PROFILE16B, '00000002', [
    ['Account Name', { u16: 'probe@loopback.test' }], ['clsid', { sz: CLSID_IMAP }], ['Email', { u16: 'probe@loopback.test' }],
    ['IMAP Server', { u16: LOOPBACK_SMTP }], ['IMAP Use SSL', { dword: 1 }],
    ['SMTP Server', { u16: LOOPBACK_SMTP }], ['SMTP Port', { dword: 465 }], ['SMTP Secure Connection', { dword: 2 }], ['SMTP Use Auth', { dword: 1 }],
  ]);
  accounts.push({
    id: id('16.0', PROFILE16B, '00000002'), profile: PROFILE16B, name: 'probe@loopback.test', email: 'probe@loopback.test',
    incoming: { protocol: 'imap', host: LOOPBACK_SMTP, port: 993, security: 'implicit' },
    outgoing: { host: LOOPBACK_SMTP, port: 465, security: 'starttls', auth: true, username: null },
    dataFiles: [],
  });

  // --- Office 15.0 (2013): IMAP on 465 with SSL/TLS (Secure Connection 1, right), POP3 on 587 with SSL/TLS (wrong).
  keys.push({ path: `${HKCU}\\Software\\Microsoft\\Office\\15.0\\Outlook`, values: [['DefaultProfile', { sz: PROFILE15 }]] });
  acct(ROOT15, PROFILE15, '00000002', [
    ['Account Name', { u16: 'praxis@example.at' }], ['clsid', { sz: CLSID_IMAP }], ['Email', { u16: 'praxis@example.at' }],
    ['IMAP Server', { u16: 'imap.example.at' }], ['IMAP Port', { dword: 143 }], ['IMAP Use SSL', { dword: 0 }],
    ['SMTP Server', { u16: 'smtp.example.at' }], ['SMTP Port', { dword: 465 }], ['SMTP Secure Connection', { dword: 1 }], ['SMTP Use SSL', { dword: 1 }],
    ['SMTP Use Auth', { dword: 1 }],
  ]);
  accounts.push({
    id: id('15.0', PROFILE15, '00000002'), profile: PROFILE15, name: 'praxis@example.at', email: 'praxis@example.at',
    incoming: { protocol: 'imap', host: 'imap.example.at', port: 143, security: 'none' },
    outgoing: { host: 'smtp.example.at', port: 465, security: 'implicit', auth: true, username: null },
    dataFiles: [],
  });
  acct(ROOT15, PROFILE15, '00000003', [
    ['Account Name', { u16: 'Empfang Ärzte' }], ['clsid', { sz: CLSID_POP3 }], ['Email', { u16: 'empfang@example.at' }],
    ['POP3 Server', { u16: 'pop.example.at' }], ['POP3 Use SSL', { dword: 1 }], ['POP3 User', { u16: 'empfang' }],
    ['SMTP Server', { u16: 'smtp.example.at' }], ['SMTP Port', { dword: 587 }], ['SMTP Secure Connection', { dword: 1 }], ['SMTP Use Auth', { dword: 1 }],
  ]);
  accounts.push({
    id: id('15.0', PROFILE15, '00000003'), profile: PROFILE15, name: 'Empfang Ärzte', email: 'empfang@example.at',
    incoming: { protocol: 'pop3', host: 'pop.example.at', port: 995, security: 'implicit' },
    outgoing: { host: 'smtp.example.at', port: 587, security: 'implicit', auth: true, username: 'empfang' },
    dataFiles: [],
  });

  // --- Windows Messaging Subsystem (2010): POP3 with the older "SMTP Use SSL" (no Secure Connection), no port (25).
  keys.push({ path: ROOTWMS, values: [['DefaultProfile', { sz: PROFILEWMS }]] });
  acct(ROOTWMS, PROFILEWMS, '00000002', [
    ['Account Name', { u16: 'Büro' }], ['clsid', { sz: CLSID_POP3 }], ['Email', { u16: 'buero@example.de' }],
    ['POP3 Server', { u16: 'pop3.example.de' }], ['POP3 Port', { dword: 995 }], ['POP3 Use SSL', { dword: 1 }],
    ['SMTP Server', { u16: 'smtp.example.de' }], ['SMTP Use SSL', { dword: 1 }], ['SMTP User', { u16: 'buero@example.de' }],
  ]);
  accounts.push({
    id: id('wms', PROFILEWMS, '00000002'), profile: PROFILEWMS, name: 'Büro', email: 'buero@example.de',
    incoming: { protocol: 'pop3', host: 'pop3.example.de', port: 995, security: 'implicit' },
    outgoing: { host: 'smtp.example.de', port: 25, security: 'implicit', auth: false, username: 'buero@example.de' },
    dataFiles: [],
  });

  return {
    keys,
    accounts,
    pstPath,
    pstFolder: docs,
    brokenImap: { id: id('16.0', PROFILE16, '00000002'), key: brokenKey },
    loopbackId: id('16.0', PROFILE16B, '00000002'),
  };
}
