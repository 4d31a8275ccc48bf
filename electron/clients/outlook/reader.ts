import fs from 'node:fs/promises';
import path from 'node:path';
import type { EngineContext } from '../../core/context.ts';
import { finding } from '../../core/finding.ts';
import type { Change, Fix, Guard, RegistryBackend, RegValue } from '../../core/fix.ts';
import type { Account, ConnSecurity } from '../schema.ts';
import type { ClientReadResult } from '../reader-types.ts';
import { formatRegQuery, normKey, regNumber, regString, type RegKey } from './regtext.ts';
import { exportFix } from '../export.ts';
import { outlookAuthMethod } from '../auth-method.ts';
import { SMTP_AUTH_ON, smtpPortAction } from '../../core/fix-id.ts';

/** Profile roots: Office 16.0 (2016–365), 15.0 (2013), and the Windows Messaging Subsystem (2007/2010). */
export const OUTLOOK_ROOTS: ReadonlyArray<{ version: string; root: string; defaultKey: string }> = [
  { version: '16.0', root: 'HKCU\\Software\\Microsoft\\Office\\16.0\\Outlook\\Profiles', defaultKey: 'HKCU\\Software\\Microsoft\\Office\\16.0\\Outlook' },
  { version: '15.0', root: 'HKCU\\Software\\Microsoft\\Office\\15.0\\Outlook\\Profiles', defaultKey: 'HKCU\\Software\\Microsoft\\Office\\15.0\\Outlook' },
  {
    version: 'wms',
    root: 'HKCU\\Software\\Microsoft\\Windows NT\\CurrentVersion\\Windows Messaging Subsystem\\Profiles',
    defaultKey: 'HKCU\\Software\\Microsoft\\Windows NT\\CurrentVersion\\Windows Messaging Subsystem\\Profiles',
  },
];

const ACCOUNTS_GUID = '9375cff0413111d3b88a00104b2a6676';
const CLSID = {
  pop3: '{ed475411-b0d6-11d2-8c3b-00104b2a6676}',
  imap: '{ed475412-b0d6-11d2-8c3b-00104b2a6676}',
  mapi: '{ed475414-b0d6-11d2-8c3b-00104b2a6676}',
  eas: '{4db5cbf0-3b77-4852-bc8e-bb81908861f3}',
};

export const OUTLOOK_GUARD: Guard = {
  kind: 'process-closed',
  client: 'Outlook',
  names: ['outlook'],
  howToClose: 'Close Outlook (File › Exit), check in Task Manager that OUTLOOK.EXE is gone, then run the fix again.',
};

/** Outlook's SMTP security: `SMTP Secure Connection` 0 none, 1 SSL/TLS, 2 STARTTLS, 3 Auto; older `SMTP Use SSL` 1. */
export function outlookSmtpSecurity(values: Map<string, RegValue>): ConnSecurity | null {
  const sc = regNumber(values.get('SMTP Secure Connection'));
  if (sc !== null) return sc === 0 ? 'none' : sc === 1 ? 'implicit' : sc === 2 ? 'starttls' : null;
  const ssl = regNumber(values.get('SMTP Use SSL'));
  return ssl === 1 ? 'implicit' : 'none';
}

/** Pure: a PST/OST path inside a store EntryID blob (UTF-16LE, next to pstprx.dll). */
export function pathFromEntryId(blob: Buffer): string | null {
  for (const start of [0, 1]) {
    const text = blob.subarray(start).toString('utf16le');
    const m = /([A-Za-z]:\\[^\0<>"|?*]+?\.(?:pst|ost)|\\\\[^\0<>"|?*]+?\.(?:pst|ost))/i.exec(text);
    if (m) return m[1]!;
  }
  return null;
}

const slug = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_');

/** Reads classic Outlook profiles through the registry backend. */
export async function readOutlook(ctx: EngineContext, reg: RegistryBackend): Promise<ClientReadResult> {
  const out: ClientReadResult = { accounts: [], findings: [], fixes: [] };
  for (const r of OUTLOOK_ROOTS) {
    const tree = await reg.listTree(r.root);
    if (tree.length === 0) continue;
    const rootNorm = normKey(r.root).toLowerCase();
    const byProfile = new Map<string, RegKey[]>();
    for (const k of tree.slice(0, 100_000)) {
      const p = normKey(k.path);
      if (!p.toLowerCase().startsWith(rootNorm + '\\')) continue;
      const rest = p.slice(rootNorm.length + 1).split('\\');
      byProfile.set(rest[0]!, [...(byProfile.get(rest[0]!) ?? []), k]);
    }
    for (const [profile, keys] of byProfile) readProfile(r.version, profile, keys, reg, out);
    if (byProfile.size > 1) {
      const defaultProfile = regString((await reg.getValue(r.defaultKey, 'DefaultProfile')) ?? undefined);
      out.findings.push(
        finding({
          id: 'accounts.outlook.several-profiles',
          area: 'accounts',
          severity: 'info',
          title: `Outlook has ${byProfile.size} profiles${defaultProfile ? `; it starts with "${defaultProfile}"` : ''}`,
          detail: 'Settings changed in one profile do not affect the others. Make sure the account you fix is in the profile Outlook actually opens (Control Panel › Mail › Show Profiles).',
          evidence: { version: r.version, profiles: [...byProfile.keys()], defaultProfile },
        }),
      );
    }
  }
  await detectNewOutlook(ctx, out);
  return out;
}

function readProfile(version: string, profile: string, keys: RegKey[], reg: RegistryBackend, out: ClientReadResult): void {
  const storePaths = profileStorePaths(keys);
  const claimed = new Set<string>();
  for (const k of keys) {
    const account = accountOf(version, profile, k);
    if (!account) continue;
    for (const store of account.dataFiles) claimed.add(store.toLowerCase());
    out.accounts.push(account);
    const shown = new Map([...k.values].filter(([name]) => !/password/i.test(name)));
    out.fixes.push(exportFix(account, formatRegQuery([{ path: k.path, values: shown }]).trim()));
    if (account.outgoing?.host) out.fixes.push(...outlookFixes(account, k.path, reg));
  }
  const unclaimed = storePaths.filter((p) => !claimed.has(p.toLowerCase()));
  if (unclaimed.length) {
    // Data files of the profile not tied to one POP/IMAP account (Exchange OST, archive PSTs).
    out.accounts.push({
      id: `outlook:${version}:${slug(profile)}:data-files`,
      client: 'outlook',
      profile,
      name: `Data files of profile ${profile}`,
      email: null,
      incoming: null,
      outgoing: null,
      dataFiles: unclaimed,
      source: { file: null, registryKey: keys[0]?.path ?? null },
    });
  }
}

/** Every PST/OST path named in the profile's service/provider sections. */
function profileStorePaths(keys: RegKey[]): string[] {
  const storePaths: string[] = [];
  for (const k of keys) {
    const last = k.path.split('\\').pop()!.toLowerCase();
    if (/^[0-9a-f]{32}$/.test(last) && last !== ACCOUNTS_GUID) {
      // Service/provider sections: PR_PST_PATH_W, PR_PST_PATH (ANSI), PR_PROFILE_OFFLINE_STORE_PATH_W.
      for (const name of ['001f6700', '001f6610']) {
        const s = regString(k.values.get(name));
        if (s) storePaths.push(s);
      }
      const ansi = k.values.get('001e6700');
      if (ansi && Buffer.isBuffer(ansi.data)) storePaths.push(ansi.data.toString('latin1').replace(/\0[\s\S]*$/, ''));
    }
  }
  return storePaths;
}

/** The mail account an account key (…\9375CFF0…\0000000N) describes; null for other keys and for address books, data files, LDAP. */
function accountOf(version: string, profile: string, k: RegKey): Account | null {
  const parts = k.path.split('\\');
  if (parts.length < 2 || parts[parts.length - 2]!.toLowerCase() !== ACCOUNTS_GUID || !/^[0-9A-Fa-f]{8}$/.test(parts[parts.length - 1]!)) return null;
  const v = k.values;
  const clsid = (regString(v.get('clsid')) ?? '').toLowerCase();
  const service = regString(v.get('Service Name'));
  let protocol: 'imap' | 'pop3' | 'exchange' | 'other';
  if (clsid === CLSID.imap || (!clsid && v.has('IMAP Server'))) protocol = 'imap';
  else if (clsid === CLSID.pop3 || (!clsid && v.has('POP3 Server'))) protocol = 'pop3';
  else if (clsid === CLSID.mapi && service === 'MSEMS') protocol = 'exchange';
  else if (clsid === CLSID.eas) protocol = 'other';
  else return null; // address books, PST data-file services, LDAP
  const num = parts[parts.length - 1]!;
  const entry = v.get('Delivery Store EntryID');
  const store = entry && Buffer.isBuffer(entry.data) ? pathFromEntryId(entry.data) : null;
  const inPrefix = protocol === 'imap' ? 'IMAP' : 'POP3';
  const hasSmtp = protocol === 'imap' || protocol === 'pop3';
  const inSsl = regNumber(v.get(`${inPrefix} Use SSL`));
  return {
    id: `outlook:${version}:${slug(profile)}:${num}`,
    client: 'outlook',
    profile,
    name: regString(v.get('Account Name')) ?? regString(v.get('Display Name')),
    email: regString(v.get('Email')),
    incoming: hasSmtp
      ? {
          protocol,
          host: regString(v.get(`${inPrefix} Server`)),
          port: regNumber(v.get(`${inPrefix} Port`)) ?? (protocol === 'imap' ? (inSsl === 1 ? 993 : 143) : inSsl === 1 ? 995 : 110),
          // 0/1 are known; other values mean "encrypted, mode unknown".
          security: inSsl === null || inSsl === 0 ? 'none' : inSsl === 1 ? 'implicit' : null,
        }
      : { protocol, host: null, port: null, security: null },
    outgoing: hasSmtp
      ? {
          host: regString(v.get('SMTP Server')),
          port: regNumber(v.get('SMTP Port')) ?? 25, // absent means Outlook's default, 25
          security: outlookSmtpSecurity(v),
          auth: regNumber(v.get('SMTP Use Auth')) === 1,
          username: regString(v.get('SMTP User')) ?? regString(v.get(`${inPrefix} User`)),
          authMethod: outlookAuthMethod(regNumber(v.get('SMTP Use Auth')), spaValue(v), regNumber(v.get('SMTP Auth Method'))),
        }
      : null,
    dataFiles: store ? [store] : [],
    source: { file: null, registryKey: k.path },
  };
}

/** Secure Password Authentication for SMTP, under either name profiles use for it. */
function spaValue(v: Map<string, RegValue>): { name: string; value: number } | null {
  for (const name of ['SMTP Use SPA', 'SMTP Use Sicily']) {
    const n = regNumber(v.get(name));
    if (n !== null) return { name, value: n };
  }
  return null;
}

const dword = (n: number): RegValue => ({ type: 'REG_DWORD', data: n });

/** A new value keeps the existing value's type (a REG_SZ port stays REG_SZ), as the Outlook writer rule says. */
function keepType(before: RegValue | null, n: number): RegValue {
  return before && (before.type === 'REG_SZ' || before.type === 'REG_EXPAND_SZ') ? { type: before.type, data: String(n) } : dword(n);
}

function sameValue(a: RegValue | null, b: RegValue): boolean {
  return !!a && a.type === b.type && (Buffer.isBuffer(a.data) && Buffer.isBuffer(b.data) ? a.data.equals(b.data) : a.data === b.data);
}

function outlookFixes(a: Account, key: string, reg: RegistryBackend): Fix[] {
  const o = a.outgoing!;
  const label = `${a.name ?? a.email ?? a.id} (${o.host})`;
  const mk = (action: string, title: string, wanted: Array<[string, number, 'always' | 'if-present']>): Fix => ({
    id: `${a.id}:${action}`,
    title,
    area: 'accounts',
    accounts: [a.id],
    action,
    guards: [OUTLOOK_GUARD],
    plan: async (): Promise<Change[]> => {
      const changes: Change[] = [];
      for (const [name, n, when] of wanted) {
        const before = await reg.getValue(key, name);
        if (when === 'if-present' && !before) continue;
        const after = keepType(before, n);
        if (!sameValue(before, after)) changes.push({ kind: 'registry', key, name, before, after });
      }
      return changes;
    },
  });
  const fixes: Fix[] = [];
  // Outlook's values: 587 → Secure Connection 2 (Use SSL stays 0 if present); 465 → 1 and Use SSL 1; auth on.
  if (!(o.port === 587 && o.security === 'starttls')) {
    fixes.push(mk(smtpPortAction({ port: 587, security: 'starttls' }), `Outlook: send through ${label} on port 587 with STARTTLS`, [
      ['SMTP Port', 587, 'always'], ['SMTP Secure Connection', 2, 'always'], ['SMTP Use SSL', 0, 'if-present'], ['SMTP Use Auth', 1, 'always'],
    ]));
  }
  if (!(o.port === 465 && o.security === 'implicit')) {
    fixes.push(mk(smtpPortAction({ port: 465, security: 'implicit' }), `Outlook: send through ${label} on port 465 with SSL/TLS`, [
      ['SMTP Port', 465, 'always'], ['SMTP Secure Connection', 1, 'always'], ['SMTP Use SSL', 1, 'always'], ['SMTP Use Auth', 1, 'always'],
    ]));
  }
  if (!o.auth) fixes.push(mk(SMTP_AUTH_ON, `Outlook: log in to ${label} before sending`, [['SMTP Use Auth', 1, 'always']]));
  return fixes;
}

/** New Outlook and Windows Mail keep settings in the cloud / an encrypted store: guided steps only. */
async function detectNewOutlook(ctx: EngineContext, out: ClientReadResult): Promise<void> {
  const pkgs = path.join(ctx.home, 'AppData', 'Local', 'Packages');
  let names: string[];
  try {
    names = (await fs.readdir(pkgs)).slice(0, 10_000);
  } catch {
    return;
  }
  for (const [prefix, client] of [['Microsoft.OutlookForWindows_', 'the new Outlook'], ['microsoft.windowscommunicationsapps_', 'Windows Mail']] as const) {
    const hit = names.find((n) => n.toLowerCase().startsWith(prefix.toLowerCase()));
    if (!hit) continue;
    out.findings.push(
      finding({
        id: client === 'Windows Mail' ? 'accounts.windows-mail.detected' : 'accounts.new-outlook.detected',
        area: 'accounts',
        severity: 'info',
        title: `${client} is installed: its accounts can only be changed in the app`,
        detail:
          client === 'Windows Mail'
            ? 'Windows Mail stores its settings in an encrypted store and is no longer supported by Microsoft. Open Settings › Manage accounts › the account › Change mailbox sync settings › Advanced mailbox settings, and set the outgoing server and port there.'
            : 'Open Settings (gear) › Accounts › Email accounts › Manage › the account, and check the outgoing (SMTP) server, port and encryption there.',
        evidence: { package: path.join(pkgs, hit) },
      }),
    );
  }
}
