import path from 'node:path';
import type { Account, ConnSecurity } from '../schema.ts';
import type { PrefValue } from './prefs.ts';
import { thunderbirdAuthMethod } from '../auth-method.ts';

/** nsMsgSocketType: 0 plain, 1 trySTARTTLS (obsolete), 2 STARTTLS, 3 SSL/TLS. */
export function tbSecurity(code: PrefValue | undefined): ConnSecurity | null {
  if (code === undefined) return 'none'; // mailnews.js default: try_ssl / socketType 0
  if (code === 0) return 'none';
  if (code === 1 || code === 2) return 'starttls';
  if (code === 3) return 'implicit';
  return null;
}

export function tbSecurityCode(s: ConnSecurity): number {
  return s === 'none' ? 0 : s === 'starttls' ? 2 : 3;
}

/** One outgoing server as Thunderbird stores it, with what checks need beyond the Account model. */
export interface TbSmtpServer {
  key: string;
  type: 'smtp' | 'ews';
  host: string | null;
  port: number | null;
  security: ConnSecurity | null;
  /** nsMsgAuthMethod; 1 = no authentication. */
  authMethod: number;
  /** authMethod as set in the prefs; null when unset (Thunderbird's default, 3). */
  authMethodSet: number | null;
  username: string | null;
  description: string | null;
  /** Raw prefs behind it, for evidence. */
  prefs: Record<string, PrefValue>;
}

export interface TbProfileData {
  accounts: Account[];
  smtpServers: TbSmtpServer[];
  /** smtp keys referenced by any identity (or as the default). */
  usedSmtpKeys: Set<string>;
  /** Which account uses which smtp key. */
  accountSmtp: Map<string, string>;
}

const str = (v: PrefValue | undefined): string | null => (typeof v === 'string' && v !== '' ? v : null);
const int = (v: PrefValue | undefined): number | null => (typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : null);
const list = (v: PrefValue | undefined): string[] =>
  typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : [];

/** Caps loops over untrusted pref lists. */
const MAX_ITEMS = 1000;

/**
 * Pure: effective prefs (prefs.js overlaid with user.js) → accounts.
 * `profileId` must be stable per profile (we use the directory name).
 */
export function tbAccounts(prefs: Map<string, PrefValue>, profile: { id: string; name: string; dir: string; prefsFile: string }): TbProfileData {
  const p = (k: string) => prefs.get(k);
  const smtpServers: TbSmtpServer[] = [];
  for (const key of list(p('mail.smtpservers')).slice(0, MAX_ITEMS)) {
    const base = `mail.smtpserver.${key}.`;
    const raw: Record<string, PrefValue> = {};
    for (const [k, v] of prefs) if (k.startsWith(base)) raw[k.slice(base.length)] = v;
    const isEws = raw.type === 'ews';
    const ews = `mail.outgoingserver.${key}.`;
    smtpServers.push({
      key,
      type: isEws ? 'ews' : 'smtp',
      host: isEws ? null : str(raw.hostname),
      port: isEws ? null : int(raw.port),
      security: isEws ? null : tbSecurity(raw.try_ssl),
      authMethod: int(isEws ? p(`${ews}auth_method`) : raw.authMethod) ?? 3,
      authMethodSet: int(isEws ? p(`${ews}auth_method`) : raw.authMethod),
      username: str(isEws ? p(`${ews}username`) : raw.username),
      description: str(isEws ? p(`${ews}description`) : raw.description),
      prefs: raw,
    });
  }
  const defaultSmtp = str(p('mail.smtp.defaultserver'));
  const usedSmtpKeys = new Set<string>();
  const accountSmtp = new Map<string, string>();
  const accounts: Account[] = [];
  for (const acct of list(p('mail.accountmanager.accounts')).slice(0, MAX_ITEMS)) {
    const server = str(p(`mail.account.${acct}.server`));
    const s = (k: string) => (server ? p(`mail.server.${server}.${k}`) : undefined);
    const type = str(s('type'));
    if (!server || !type || ['none', 'rss', 'nntp', 'im'].includes(type)) continue; // Local Folders, feeds, news
    const ids = list(p(`mail.account.${acct}.identities`));
    const id0 = ids[0];
    const ident = (k: string) => (id0 ? p(`mail.identity.${id0}.${k}`) : undefined);
    for (const id of ids.slice(0, MAX_ITEMS)) {
      const k = str(p(`mail.identity.${id}.smtpServer`)) ?? defaultSmtp;
      if (k) usedSmtpKeys.add(k);
    }
    const smtpKey = str(ident('smtpServer')) ?? defaultSmtp;
    const smtp = smtpServers.find((x) => x.key === smtpKey) ?? null;
    const accountId = `thunderbird:${profile.id}:${acct}`;
    if (smtpKey) accountSmtp.set(accountId, smtpKey);
    const protocol = type === 'imap' ? 'imap' : type === 'pop3' ? 'pop3' : type === 'ews' ? 'ews' : type === 'exchange' ? 'exchange' : 'other';
    const dirRel = str(s('directory-rel'));
    const dir = dirRel?.startsWith('[ProfD]') ? path.join(profile.dir, ...dirRel.slice(7).split('/')) : str(s('directory'));
    accounts.push({
      id: accountId,
      client: 'thunderbird',
      profile: profile.name,
      name: str(s('name')) ?? str(ident('fullName')),
      email: str(ident('useremail')),
      incoming: {
        protocol,
        host: str(s('hostname')),
        port: int(s('port')),
        security: tbSecurity(s('socketType')),
      },
      outgoing: smtp
        ? {
            host: smtp.host, port: smtp.port, security: smtp.security, auth: smtp.authMethod !== 1, username: smtp.username,
            // EWS outgoing servers send through Exchange Web Services, not SMTP: no SMTP sign-in to compare.
            authMethod: smtp.type === 'smtp' ? thunderbirdAuthMethod(smtp.authMethodSet, `mail.smtpserver.${smtp.key}.authMethod`) : null,
          }
        : null,
      dataFiles: dir ? [dir] : [],
      source: { file: profile.prefsFile, registryKey: null },
    });
  }
  return { accounts, smtpServers, usedSmtpKeys, accountSmtp };
}
