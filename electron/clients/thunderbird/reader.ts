import fs from 'node:fs/promises';
import path from 'node:path';
import type { EngineContext } from '../../core/context.ts';
import { finding } from '../../core/finding.ts';
import type { Change, Fix } from '../../core/fix.ts';
import type { ClientReadResult } from '../reader-types.ts';
import { readFileIfAny } from '../read-file.ts';
import { parsePrefs, prefMap, setPrefs, type PrefsDoc, type PrefValue } from './prefs.ts';
import { parseProfilesIni, THUNDERBIRD_ROOTS } from './profiles.ts';
import { tbAccounts, tbSecurityCode, type TbProfileData, type TbSmtpServer } from './accounts.ts';
import { exportFix } from '../export.ts';
import { SMTP_AUTH_OAUTH2, SMTP_AUTH_ON, SMTP_AUTH_PASSWORD, smtpPortAction } from '../../core/fix-id.ts';
import { thunderbirdSmtpOAuth2Provider } from './oauth2-hosts.ts';

/** Reads every Thunderbird profile under ctx.home, in every OS layout. */
export async function readThunderbird(ctx: EngineContext): Promise<ClientReadResult> {
  const out: ClientReadResult = { accounts: [], findings: [], fixes: [] };
  const seen = new Set<string>();
  for (const { layout, rel } of THUNDERBIRD_ROOTS) {
    const root = path.join(ctx.home, ...rel.split('/'));
    const ini = await readFileIfAny(path.join(root, 'profiles.ini'));
    if (!ini) continue;
    const installs = await readFileIfAny(path.join(root, 'installs.ini'));
    for (const prof of parseProfilesIni(root, ini, installs ?? undefined)) {
      let id = path.basename(prof.dir);
      if (seen.has(id)) id = `${layout}-${id}`;
      seen.add(id);
      await readProfile(ctx, { id, name: prof.name, dir: prof.dir, isDefault: prof.isDefault }, out);
    }
  }
  return out;
}

type Profile = { id: string; name: string; dir: string; isDefault: boolean };

/** prefs.js and user.js of a profile, and the preferences they set together. */
interface ProfilePrefs {
  prefsDoc: PrefsDoc;
  userDoc: PrefsDoc | null;
  prefs: Map<string, PrefValue>;
}

async function readProfile(ctx: EngineContext, prof: Profile, out: ClientReadResult): Promise<void> {
  const prefsFile = path.join(prof.dir, 'prefs.js');
  const userFile = path.join(prof.dir, 'user.js');
  const pp = await readPrefs(prof, prefsFile, userFile, out);
  if (!pp) return;
  const data = tbAccounts(pp.prefs, { id: prof.id, name: prof.name, dir: prof.dir, prefsFile });
  out.accounts.push(...data.accounts);
  for (const a of data.accounts) out.fixes.push(exportFix(a, accountPrefsText(a.id, pp, data)));
  smtpServerFindings(prof, data, prefsFile, userFile, out);
  duplicateSmtpFindings(prof, data, out);
}

/** Parses prefs.js and user.js (lines Thunderbird cannot read are reported); null, with a finding, when prefs.js is missing. */
async function readPrefs(prof: Profile, prefsFile: string, userFile: string, out: ClientReadResult): Promise<ProfilePrefs | null> {
  const prefsBytes = await readFileIfAny(prefsFile);
  if (!prefsBytes) {
    out.findings.push(
      finding({
        id: 'accounts.thunderbird.profile-missing',
        area: 'accounts',
        severity: prof.isDefault ? 'warning' : 'info',
        title: `Thunderbird profile "${prof.name}" has no prefs.js`,
        detail: 'profiles.ini names a profile whose folder or prefs.js is missing; Thunderbird will create a new, empty profile.',
        evidence: { profile: prof.name, file: prefsFile },
      }),
    );
    return null;
  }
  const prefsDoc = parsePrefs(prefsBytes);
  const userBytes = await readFileIfAny(userFile);
  const userDoc = userBytes ? parsePrefs(userBytes) : null;
  for (const [file, doc] of [[prefsFile, prefsDoc], [userFile, userDoc]] as const) {
    if (doc && doc.errors.length) {
      out.findings.push(
        finding({
          id: 'accounts.thunderbird.prefs-syntax',
          area: 'accounts',
          severity: 'warning',
          title: `${path.basename(file)} has lines Thunderbird cannot read`,
          detail: 'Thunderbird skips a statement it cannot parse, so settings on these lines are ignored.',
          evidence: { file, errors: doc.errors.slice(0, 10) },
        }),
      );
    }
  }
  // user.js is read after prefs.js at every start: its values win.
  const prefs = prefMap(prefsDoc);
  const userPrefs = userDoc ? prefMap(userDoc) : new Map<string, PrefValue>();
  for (const [k, v] of userPrefs) prefs.set(k, v);
  return { prefsDoc, userDoc, prefs };
}

/** The account's own prefs, as written: account, server, identities, outgoing server. */
function accountPrefsText(accountId: string, { prefsDoc, userDoc, prefs }: ProfilePrefs, data: TbProfileData): string {
  const key = accountId.split(':').pop()!;
  const server = prefs.get(`mail.account.${key}.server`);
  const ids = String(prefs.get(`mail.account.${key}.identities`) ?? '').split(',').filter(Boolean);
  const smtp = data.accountSmtp.get(accountId);
  const prefixes = [`mail.account.${key}.`, `mail.server.${server}.`, ...ids.map((i) => `mail.identity.${i.trim()}.`), ...(smtp ? [`mail.smtpserver.${smtp}.`] : [])];
  return [prefsDoc, userDoc]
    .flatMap((d) => (d ? d.entries.filter((e) => prefixes.some((p) => e.name.startsWith(p))).map((e) => Buffer.from(d.text.slice(e.start, e.end), 'latin1').toString('utf8')) : []))
    .join('\n');
}

/** Per SMTP outgoing server: a finding when no identity uses it, and its port fixes. */
function smtpServerFindings(prof: Profile, data: TbProfileData, prefsFile: string, userFile: string, out: ClientReadResult): void {
  const accountsOf = (key: string) => [...data.accountSmtp].filter(([, k]) => k === key).map(([a]) => a);
  for (const s of data.smtpServers) {
    if (s.type === 'ews') continue; // EWS outgoing servers have no port: never offered a port fix
    if (!data.usedSmtpKeys.has(s.key)) {
      out.findings.push(
        finding({
          id: 'accounts.thunderbird.smtp-orphaned',
          area: 'accounts',
          severity: 'info',
          title: `Outgoing server "${s.description ?? s.host ?? s.key}" is not used by any identity`,
          detail: 'An unused outgoing server is harmless, but it is often a leftover of a re-added account; check that each identity uses the one you expect.',
          evidence: { profile: prof.name, smtpKey: s.key, host: s.host, port: s.port },
        }),
      );
    }
    out.fixes.push(...smtpFixes(prof, s, accountsOf(s.key), prefsFile, userFile));
  }
}

/** One finding per host + user name that has more than one SMTP outgoing server. */
function duplicateSmtpFindings(prof: Profile, data: TbProfileData, out: ClientReadResult): void {
  const dupes = new Map<string, TbSmtpServer[]>();
  for (const s of data.smtpServers) {
    if (s.type !== 'smtp' || !s.host) continue;
    const k = `${s.host.toLowerCase()}|${s.username ?? ''}`;
    dupes.set(k, [...(dupes.get(k) ?? []), s]);
  }
  for (const group of dupes.values()) {
    if (group.length < 2) continue;
    out.findings.push(
      finding({
        id: 'accounts.thunderbird.smtp-duplicate',
        area: 'accounts',
        severity: 'warning',
        title: `${group.length} outgoing servers for ${group[0]!.host}${group[0]!.username ? ` (${group[0]!.username})` : ''}`,
        detail: 'Duplicates usually come from re-adding an account. An identity may still use the old one with the wrong port or security.',
        evidence: { profile: prof.name, servers: group.map((s) => ({ key: s.key, port: s.port, security: s.security, used: data.usedSmtpKeys.has(s.key) })) },
      }),
    );
  }
}

type Target = { port: number; security: 'starttls' | 'implicit' };
const TARGETS: ReadonlyArray<Target> = [
  { port: 587, security: 'starttls' },
  { port: 465, security: 'implicit' },
];

function smtpFixes(
  prof: { id: string; name: string; dir: string },
  s: TbSmtpServer,
  accounts: string[],
  prefsFile: string,
  userFile: string,
): Fix[] {
  const fixes: Fix[] = [];
  const base = `thunderbird:${prof.id}:${s.key}`;
  const label = s.description ?? s.host ?? s.key;
  const guards = [{ kind: 'thunderbird-closed' as const, profileDir: prof.dir }];
  const mk = (action: string, title: string, edits: Array<[string, PrefValue]>): Fix => ({
    id: `${base}:${action}`,
    title,
    area: 'accounts',
    accounts,
    action,
    guards,
    plan: () => planPrefsEdit(prefsFile, userFile, edits),
  });
  for (const t of TARGETS) {
    if (s.port === t.port && s.security === t.security) continue;
    const sec = t.security === 'starttls' ? 'STARTTLS' : 'SSL/TLS';
    fixes.push(
      mk(smtpPortAction(t), `Thunderbird: send through ${label} on port ${t.port} with ${sec}`, [
        [`mail.smtpserver.${s.key}.port`, t.port],
        [`mail.smtpserver.${s.key}.try_ssl`, tbSecurityCode(t.security)],
      ]),
    );
  }
  const authPref = `mail.smtpserver.${s.key}.authMethod`;
  if (s.authMethod === 1) {
    fixes.push(mk(SMTP_AUTH_ON, `Thunderbird: log in to ${label} with your password before sending`, [[authPref, 3]]));
  }
  // OAuth2 (nsMsgAuthMethod 10) only where Thunderbird has an OAuth2 provider for the host: elsewhere it cannot sign in.
  const provider = thunderbirdSmtpOAuth2Provider(s.host);
  if (provider && s.authMethod !== 10) {
    fixes.push(mk(SMTP_AUTH_OAUTH2, `Thunderbird: sign in to ${label} with your ${provider} account (OAuth2) instead of a password`, [[authPref, 10]]));
  }
  // Back to the normal password (3, PLAIN/LOGIN) from encrypted password, OAuth2, NTLM, Kerberos or a certificate.
  if (s.authMethod !== 1 && s.authMethod !== 3) {
    fixes.push(mk(SMTP_AUTH_PASSWORD, `Thunderbird: sign in to ${label} with the normal password`, [[authPref, 3]]));
  }
  return fixes;
}

/** The edit goes into prefs.js, and also into user.js when user.js sets the same pref (it would win otherwise). */
async function planPrefsEdit(prefsFile: string, userFile: string, edits: Array<[string, PrefValue]>): Promise<Change[]> {
  const changes: Change[] = [];
  const before = await fs.readFile(prefsFile);
  const after = setPrefs(before, edits);
  if (!after.equals(before)) changes.push({ kind: 'file', path: prefsFile, before, after });
  const user = await readFileIfAny(userFile);
  if (user) {
    const names = new Set(parsePrefs(user).entries.map((e) => e.name));
    const userEdits = edits.filter(([n]) => names.has(n));
    if (userEdits.length) {
      const userAfter = setPrefs(user, userEdits);
      if (!userAfter.equals(user)) changes.push({ kind: 'file', path: userFile, before: user, after: userAfter });
    }
  }
  return changes;
}
