import fs from 'node:fs/promises';
import path from 'node:path';
import initSqlJs from 'sql.js';
import { parseBuffer } from 'bplist-parser';
import { builtFile, FROM_SOURCE } from '../core/built.ts';
import type { EngineContext } from '../core/context.ts';
import { finding } from '../core/finding.ts';
import type { Account, ConnSecurity } from './schema.ts';
import type { ClientReadResult } from './reader-types.ts';
import { exportFix } from './export.ts';
import { MAX_CONFIG_BYTES } from './read-file.ts';

// Apple Mail, read-only: accounts live in the system's Internet Accounts database
// ~/Library/Accounts/Accounts4.sqlite (Core Data: ZACCOUNT, ZACCOUNTTYPE, ZACCOUNTPROPERTY with binary-plist
// values). Read with sql.js (SQLite compiled to WebAssembly: no native module to rebuild for Electron).
// Never written: accountsd owns the database. The property key names are unverified on a real Mac.

const FDA_STEPS =
  'Open System Settings › Privacy & Security › Full Disk Access, add MailMedic (the + button), switch it on, then run the check again.';

type Value = string | number | boolean | Buffer | Value[] | { [k: string]: Value } | null;

function decodeValue(v: unknown): Value {
  if (!(v instanceof Uint8Array)) return (v as Value) ?? null;
  const b = Buffer.from(v);
  if (b.subarray(0, 8).toString('latin1') !== 'bplist00') return b.toString('utf8');
  try {
    return (parseBuffer(b)[0] as Value) ?? null;
  } catch {
    return null;
  }
}

const str = (v: Value | undefined): string | null => (typeof v === 'string' && v ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : null);
const num = (v: Value | undefined): number | null => (typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : null);

/** Apple Mail's "Use TLS/SSL" box means SSL/TLS on 465/993/995 and STARTTLS elsewhere. */
function appleSecurity(ssl: Value | undefined, port: number | null): ConnSecurity {
  if (ssl !== true && ssl !== 1) return 'none';
  return port === 465 || port === 993 || port === 995 ? 'implicit' : 'starttls';
}

async function isDenied(p: string): Promise<boolean> {
  try {
    await fs.readdir(p);
    return false;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'EPERM' || code === 'EACCES';
  }
}

export async function readAppleMail(ctx: EngineContext): Promise<ClientReadResult> {
  const out: ClientReadResult = { accounts: [], findings: [], fixes: [] };
  const dbFile = path.join(ctx.home, 'Library', 'Accounts', 'Accounts4.sqlite');
  const bytes = await readAccountsFile(dbFile, path.join(ctx.home, 'Library', 'Mail'), out);
  if (!bytes) return out;
  // The build copies sql.js's wasm beside its chunks (scripts/build.mjs); from source sql.js finds its own copy.
  const SQL = await initSqlJs(FROM_SOURCE ? undefined : { locateFile: (file) => builtFile(`chunks/${file}`) });
  let db;
  try {
    db = new SQL.Database(bytes);
  } catch (e) {
    out.findings.push(finding({ id: 'accounts.apple-mail.unreadable', area: 'accounts', severity: 'info', title: 'The macOS accounts database could not be opened', detail: 'It may be damaged or in use; Apple Mail accounts are missing from this report.', evidence: { file: dbFile, error: (e as Error).message } }));
    return out;
  }
  try {
    readAccounts(db, dbFile, out);
  } catch (e) {
    out.findings.push(finding({ id: 'accounts.apple-mail.unreadable', area: 'accounts', severity: 'info', title: 'The macOS accounts database has an unexpected layout', detail: 'Apple Mail accounts are missing from this report.', evidence: { file: dbFile, error: (e as Error).message } }));
  } finally {
    db.close();
  }
  if (out.accounts.length) {
    out.findings.push(
      finding({
        id: 'accounts.apple-mail.read-only',
        area: 'accounts',
        severity: 'info',
        title: 'Apple Mail: MailMedic shows the settings but changes them only through your steps',
        detail: 'Its accounts belong to macOS (accountsd). To change the outgoing server: Mail › Settings › Accounts › the account › Server Settings › Outgoing, untick "Automatically manage connection settings", then set the port and TLS.',
        evidence: { file: dbFile, accounts: out.accounts.length },
      }),
    );
  }
  return out;
}

/** The accounts database's bytes; null when it cannot be read, with a finding when macOS privacy protection is why. */
async function readAccountsFile(dbFile: string, mailDir: string, out: ClientReadResult): Promise<Buffer | null> {
  try {
    const st = await fs.stat(dbFile);
    if (st.size > MAX_CONFIG_BYTES) throw new Error('too large');
    return await fs.readFile(dbFile);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EPERM' || code === 'EACCES' || (await isDenied(mailDir))) {
      out.findings.push(
        finding({
          id: 'accounts.apple-mail.full-disk-access',
          area: 'accounts',
          severity: 'warning',
          title: 'Apple Mail settings cannot be read without Full Disk Access',
          detail: `macOS protects ~/Library/Mail and ~/Library/Accounts. ${FDA_STEPS}`,
          evidence: { file: dbFile, error: code ?? String(e) },
        }),
      );
    }
    return null;
  }
}

type Database = InstanceType<Awaited<ReturnType<typeof initSqlJs>>['Database']>;

/** Every IMAP/POP account of the database, with its outgoing (SMTP) account, and an export fix for each. */
function readAccounts(db: Database, dbFile: string, out: ClientReadResult): void {
  const rows = db.exec(
    `SELECT a.Z_PK, a.ZIDENTIFIER, a.ZUSERNAME, a.ZACCOUNTDESCRIPTION, a.ZPARENTACCOUNT, t.ZIDENTIFIER, t.ZACCOUNTTYPEDESCRIPTION
     FROM ZACCOUNT a LEFT JOIN ZACCOUNTTYPE t ON t.Z_PK = a.ZACCOUNTTYPE LIMIT 10000`,
  )[0]?.values ?? [];
  const props = new Map<number, Map<string, Value>>();
  for (const [owner, key, value] of db.exec('SELECT ZOWNER, ZKEY, ZVALUE FROM ZACCOUNTPROPERTY LIMIT 200000')[0]?.values ?? []) {
    if (typeof owner !== 'number' || typeof key !== 'string') continue;
    if (!props.has(owner)) props.set(owner, new Map());
    props.get(owner)!.set(key, decodeValue(value));
  }
  const kind = (r: unknown[]) => `${r[5] ?? ''} ${r[6] ?? ''}`.toUpperCase();
  const smtpRows = rows.filter((r) => /\bSMTP\b/.test(kind(r)));
  for (const r of rows) {
    const k = kind(r);
    const protocol = /\bIMAP\b/.test(k) ? 'imap' : /\bPOP\b/.test(k) ? 'pop3' : null;
    if (!protocol) continue;
    const pk = r[0] as number;
    const p = props.get(pk) ?? new Map<string, Value>();
    // The outgoing server: a child SMTP account, or one named by identifier in a property.
    const smtpId = str(p.get('SMTPIdentifier') ?? p.get('DeliveryAccountIdentifier'));
    const smtp = smtpRows.find((s) => s[4] === pk) ?? smtpRows.find((s) => smtpId !== null && s[1] === smtpId);
    const sp = smtp ? (props.get(smtp[0] as number) ?? new Map<string, Value>()) : null;
    const inPort = num(p.get('PortNumber'));
    const outPort = sp ? num(sp.get('PortNumber')) : null;
    const account: Account = {
      id: `apple-mail:${String(r[1] ?? pk)}`,
      client: 'apple-mail',
      profile: null,
      name: (r[3] as string | null) ?? null,
      email: str(p.get('EmailAddresses')) ?? ((r[2] as string | null)?.includes('@') ? (r[2] as string) : null),
      incoming: { protocol, host: str(p.get('Hostname')), port: inPort, security: appleSecurity(p.get('SSLEnabled'), inPort) },
      outgoing: sp
        ? {
            host: str(sp.get('Hostname')),
            port: outPort,
            security: appleSecurity(sp.get('SSLEnabled'), outPort),
            auth: sp.get('ShouldUseAuthentication') === true,
            username: (smtp![2] as string | null) ?? null,
          }
        : null,
      dataFiles: [],
      source: { file: dbFile, registryKey: null },
    };
    out.accounts.push(account);
    const raw = [...p, ...(sp ?? [])].map(([key, v]) => `${key} = ${JSON.stringify(v)}`).join('\n');
    out.fixes.push(exportFix(account, raw));
  }
}
