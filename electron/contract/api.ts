import { z } from 'zod';
import { Report } from './report.ts';
import { PstSection } from '../pst/schema.ts';
import { isAddress, MigrationTarget } from '../pst/migration/schema.ts';
import { AuthMechanism } from '../smtp/schema.ts';
import type { MethodName } from './methods.ts';
import { CallId } from './envelope.ts';

// The one typed API contract. Served three ways: Electron IPC (preload + contextBridge), the CLI,
// and the HTTP server (POST /api/v1/<method>). Every request is validated with these schemas at the
// boundary, whatever face it came through.

const Home = z.string().min(1).max(4096).optional();
const Port = z.number().int().min(1).max(65535);
const HostName = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9.:\-[\]_]+$/, 'a host name or IP address');

export const HealthResponse = z.object({ name: z.literal('mailmedic'), version: z.string() });

/** Request limits live here only: every face validates against them, and the domains trust the validated request. */
export const LIMITS = {
  /** SMTP hosts one scan probes: the ones the accounts use plus any asked for, together. */
  scanHosts: 20,
  ports: 16,
  timeoutMs: { min: 100, max: 120_000 },
  /** Microsoft's access tokens run past 2,500 bytes; room to grow. */
  oauthTokenBytes: 16_384,
} as const;

const TOKEN_MECHANISMS: readonly string[] = ['XOAUTH2', 'OAUTHBEARER'];

const Ports = z.array(Port).min(1).max(LIMITS.ports);
const TimeoutMs = z.number().int().min(LIMITS.timeoutMs.min).max(LIMITS.timeoutMs.max);
/** Text that goes into an SMTP command line: no line breaks, angle brackets or NULs (no command injection). */
const SmtpArg = z.string().max(320).regex(/^[^\r\n<>\0]*$/, 'contains characters that cannot go into an SMTP command');

export const ScanRequest = z.object({
  home: Home,
  /** Probe these SMTP hosts in addition to the ones found in the accounts (all of them together at most LIMITS.scanHosts). */
  smtpHosts: z.array(HostName).max(LIMITS.scanHosts).optional(),
  ports: Ports.optional(),
  timeoutMs: TimeoutMs.optional(),
  /** Skip network probes (offline inspection of a mounted disk). */
  offline: z.boolean().optional(),
});

export const SmtpRequest = z
  .object({
    host: HostName,
    ports: Ports.optional(),
    timeoutMs: TimeoutMs.optional(),
    from: SmtpArg.optional(),
    to: SmtpArg.optional(),
    user: SmtpArg.optional(),
    /** Kept in memory for this call only; never logged, stored or echoed. */
    password: z.string().max(1024).optional(),
    /** An OAuth 2.0 access token to test through XOAUTH2 (or OAUTHBEARER): held exactly like the password. */
    oauthToken: z.string().min(1).max(LIMITS.oauthTokenBytes).regex(/^[\x21-\x7e]+$/, 'an access token is printable ASCII without spaces').optional(),
    /** Sign in with this SASL mechanism only (the one the mail program uses); by default the first one offered that fits. */
    authMechanism: AuthMechanism.optional(),
    insecureTlsOk: z.boolean().optional(),
    /** Ports besides 465 that speak TLS from the first byte. */
    implicitPorts: z.array(Port).max(LIMITS.ports).optional(),
    /** The user's address: also look up what the provider publishes (autoconfig, ISPDB, SRV); bounded. */
    email: z.string().max(320).optional(),
  })
  .refine((r) => (r.from === undefined) === (r.to === undefined), { message: '--from and --to go together', path: ['to'] })
  .refine((r) => !(r.password !== undefined && r.oauthToken !== undefined), { message: 'give a password or an OAuth token, not both', path: ['oauthToken'] })
  .refine((r) => (r.user === undefined) === (r.password === undefined && r.oauthToken === undefined), {
    message: 'a user name needs a password or an OAuth token (and the other way round)', path: ['password'],
  })
  .refine((r) => r.authMechanism === undefined || (r.oauthToken !== undefined) === TOKEN_MECHANISMS.includes(r.authMechanism), {
    message: 'XOAUTH2 and OAUTHBEARER sign in with an OAuth token; PLAIN, LOGIN and CRAM-MD5 with a password', path: ['authMechanism'],
  })
  .refine((r) => r.authMechanism === undefined || r.user !== undefined, { message: 'an AUTH mechanism needs a user name', path: ['authMechanism'] });

export const ExplainRequest = z.object({ text: z.string().min(1).max(20_000) });
export const AccountsRequest = z.object({ home: Home });
export const NetworkRequest = z.object({ smtpHost: HostName.optional() });

const FilePath = z.string().min(1).max(4096);
export const PstScanRequest = z
  .object({
    paths: z.array(FilePath).min(1).max(1000),
    deep: z.boolean().optional(),
    jobs: z.number().int().min(1).max(16).optional(),
    /** Readiness for a migration target: a verdict per file against its import rules, owners, the import plan. */
    migration: MigrationTarget.optional(),
    /** The mailbox every file goes to (files the mailbox map names go to theirs). */
    mailbox: z.string().max(320).refine(isAddress, 'not an e-mail address (name@domain)').optional(),
    /** A CSV of `path prefix or file name, mailbox` lines. */
    mailboxMap: FilePath.optional(),
    /** Write the import mapping CSV here (split into FILE-1.csv, FILE-2.csv… beyond 500 rows). */
    importCsv: FilePath.optional(),
  })
  .refine((r) => r.migration !== undefined || (r.mailbox === undefined && r.mailboxMap === undefined && r.importCsv === undefined), {
    message: '--mailbox, --mailbox-map and --import-csv need --migration m365',
    path: ['migration'],
  });
export const PstSalvageRequest = z.object({
  file: z.string().min(1).max(4096),
  out: z.string().min(1).max(4096),
  format: z.enum(['eml', 'mbox']).optional(),
});

/** The largest split part: Microsoft 365 import takes PSTs up to 20 GB; a Unicode PST itself reaches 50 GB by default. */
const MAX_SPLIT_GB = 50;
export const PstRepairRequest = z.object({
  /** The damaged PST or OST: opened read-only, never written, locked or renamed. */
  file: FilePath,
  /** The new Unicode PST (with splitGb: OUT-1.pst, OUT-2.pst, …). */
  out: FilePath,
  /** Parts of at most this many GB each (no message is split across parts). */
  splitGb: z.number().min(0.001).max(MAX_SPLIT_GB).optional(),
  /** Replace an existing OUT (never the source itself). */
  force: z.boolean().optional(),
});

export const FixInfo = z.object({
  id: z.string(),
  title: z.string(),
  area: z.string(),
  /** A readable diff of exactly what would change. */
  preview: z.string(),
});
export const FixListRequest = z.object({ home: Home });
export const FixListResponse = z.object({ fixes: z.array(FixInfo) });
export const FixRequest = z.object({ id: z.string().min(1).max(500), home: Home });
export const FixResult = z.object({
  id: z.string(),
  journalId: z.string().nullable(),
  applied: z.boolean(),
  message: z.string(),
  preview: z.string(),
});
export const UndoRequest = z.object({ journalId: z.string().min(1).max(200).optional(), home: Home });
export const UndoResult = z.object({ journalId: z.string(), restored: z.array(z.string()), message: z.string() });

/** Applied (and undone) fixes, newest first: the UI's history with an Undo per entry. */
export const FixHistoryRequest = z.object({});
export const FixHistoryEntry = z.object({
  journalId: z.string(),
  fixId: z.string(),
  title: z.string(),
  createdAt: z.string(),
  state: z.enum(['pending', 'applied', 'failed', 'undone']),
  /** Files (or registry keys) the fix changed. */
  targets: z.array(z.string()),
});
export const FixHistoryResponse = z.object({ entries: z.array(FixHistoryEntry) });

/** A file type a save dialog offers: its name and extensions without the dot ('*' for any file). */
const DialogFilter = z.object({ name: z.string().min(1).max(100), extensions: z.array(z.string().regex(/^(\*|[A-Za-z0-9]{1,16})$/)).min(1).max(10) });
/**
 * Desktop app only: a native open dialog ('files', 'folder') or save dialog ('save': the path of one file to write).
 * The dialog starts at defaultPath; filters are the file types offered (not for 'folder'). Cancelled → no paths.
 */
export const PickPathsRequest = z.object({
  kind: z.enum(['files', 'folder', 'save']),
  title: z.string().max(200).optional(),
  defaultPath: z.string().max(4096).optional(),
  filters: z.array(DialogFilter).max(10).optional(),
});
export const PickPathsResponse = z.object({ paths: z.array(z.string()) });
/** Desktop app only: show a file or folder in the system file manager. */
export const RevealPathRequest = z.object({ path: z.string().min(1).max(4096) });
export const RevealPathResponse = z.object({ shown: z.boolean() });

/**
 * Desktop app only: stop one running call of the asking window, named by the call id it was started with (a PST
 * scan, a probe); `cancelled` is 1 when that call was still running, else 0. Over HTTP closing the request cancels.
 */
export const CancelRequest = z.object({ callId: CallId });
export const CancelResponse = z.object({ cancelled: z.number().int().min(0).max(1) });

/**
 * A PST scan's results as a CSV or HTML report (the pst domain's writers), for the UI's "Export" buttons;
 * `repair-csv` is a repair's per-item list (the CLI's `pst repair --csv`); `import-csv` is a readiness scan's
 * Microsoft 365 import mapping CSV (the CLI's `--import-csv`), made from the report's files and the paths the scan was
 * given (FilePath is each file's folder below them). Microsoft takes at most 500 rows per CSV: a larger plan is
 * asked for one `part` (1, 2, …) at a time, the parts the CLI writes as OUT-1.csv, OUT-2.csv, ….
 */
export const PstExportRequest = z
  .object({
    section: PstSection,
    format: z.enum(['csv', 'html', 'repair-csv', 'import-csv']),
    paths: z.array(FilePath).min(1).max(1000).optional(),
    part: z.number().int().min(1).max(1000).optional(),
  })
  .refine((r) => r.format === 'import-csv' || (r.paths === undefined && r.part === undefined), {
    message: 'paths and part are for the import-csv format only',
    path: ['format'],
  })
  .refine((r) => r.format !== 'import-csv' || r.paths !== undefined, {
    message: 'import-csv needs the paths the readiness scan was given',
    path: ['paths'],
  });
export const PstExportResponse = z.object({ text: z.string() });

/** method → request/response schemas; `mutates` methods need --allow-fixes on the HTTP server. */
export const api = {
  health: { request: z.object({}), response: HealthResponse, mutates: false },
  scan: { request: ScanRequest, response: Report, mutates: false },
  smtp: { request: SmtpRequest, response: Report, mutates: false },
  explain: { request: ExplainRequest, response: Report, mutates: false },
  accounts: { request: AccountsRequest, response: Report, mutates: false },
  network: { request: NetworkRequest, response: Report, mutates: false },
  pstScan: { request: PstScanRequest, response: Report, mutates: false },
  pstSalvage: { request: PstSalvageRequest, response: Report, mutates: false },
  fixList: { request: FixListRequest, response: FixListResponse, mutates: false },
  fixPreview: { request: FixRequest, response: FixInfo, mutates: false },
  fixApply: { request: FixRequest, response: FixResult, mutates: true },
  undo: { request: UndoRequest, response: UndoResult, mutates: true },
  fixHistory: { request: FixHistoryRequest, response: FixHistoryResponse, mutates: false },
  pickPaths: { request: PickPathsRequest, response: PickPathsResponse, mutates: false },
  revealPath: { request: RevealPathRequest, response: RevealPathResponse, mutates: false },
  cancel: { request: CancelRequest, response: CancelResponse, mutates: false },
  pstExport: { request: PstExportRequest, response: PstExportResponse, mutates: false },
  // Writes only new files (like salvage); replacing an existing one (force) needs --allow-fixes over HTTP.
  pstRepair: { request: PstRepairRequest, response: Report, mutates: false },
} as const satisfies Record<MethodName, { request: z.ZodType; response: z.ZodType; mutates: boolean }>;

export type Api = typeof api;
export type Method = keyof Api;
export type RequestOf<M extends Method> = z.input<Api[M]['request']>;
export type ResponseOf<M extends Method> = z.infer<Api[M]['response']>;

export function isMethod(name: string): name is Method {
  return Object.prototype.hasOwnProperty.call(api, name);
}

/** The client side of the contract: what the renderer and tests call. */
export type ApiClient = { [M in Method]: (req: RequestOf<M>) => Promise<ResponseOf<M>> };
