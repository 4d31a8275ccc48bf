import { readFile, stat } from 'node:fs/promises';
import { UsageError } from '../../core/errors.ts';
import { isAddress } from '../../pst/migration/schema.ts';

// `--mailbox-map FILE.csv`: which mailbox each file goes to. One line per rule, `KEY,MAILBOX` (comma, semicolon or
// tab; fields may be "quoted"); blank lines and lines starting with # are skipped, and a first line naming the
// columns (path,mailbox) is a header. KEY is
//   - an absolute path of a file: that file;
//   - an absolute folder path: every file below it (the longest matching folder wins);
//   - a bare file name (archive.pst): every file of that name;
//   - a relative path (jane/archive.pst, users/jane): files whose path contains it as whole segments.
// Windows paths (C:\…, \\server\share\…) compare without regard to case or slash direction.

export interface MailboxRule {
  line: number;
  key: string;
  mailbox: string;
  kind: 'path' | 'name' | 'segments';
}

const MAX_MAP_BYTES = 16 * 1024 * 1024;
const MAX_RULES = 100_000;

/** Splits one CSV line into fields (RFC 4180 quotes); null when a quote is left open. */
function fields(line: string): string[] | null {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"' && cur.trim() === '') {
      quoted = true;
      cur = '';
    } else if (c === ',' || c === ';' || c === '\t') {
      out.push(cur.trim());
      cur = '';
    } else cur += c;
    i++;
  }
  if (quoted) return null;
  out.push(cur.trim());
  return out;
}

const norm = (p: string) => p.replace(/\\/g, '/').replace(/\/+$/, '');
const isWindowsPath = (p: string) => /^[A-Za-z]:[\\/]/.test(p) || /^(\\\\|\/\/)[^\\/]/.test(p);
const isAbsolute = (p: string) => p.startsWith('/') || isWindowsPath(p);

/** Pure: the map's text → rules; a line that cannot be used is a UsageError naming the file and the line. */
export function parseMailboxMap(text: string, source: string): MailboxRule[] {
  const rules: MailboxRule[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const bad = (n: number, why: string) => new UsageError(`--mailbox-map ${source}, line ${n}: ${why}`);
  for (const [i, raw] of lines.entries()) {
    const n = i + 1;
    if (raw.includes('\0')) throw bad(n, 'not a text file (NUL byte)');
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const f = fields(line);
    if (!f) throw bad(n, 'a quote is not closed');
    if (rules.length === 0 && f.length >= 2 && /^(path|file|folder|prefix|source|pst)/i.test(f[0]!) && /^(mailbox|address|e-?mail|target|user)/i.test(f[1]!)) continue;
    if (f.length < 2 || f[0] === '' || f[1] === '') throw bad(n, `expected "path or file name,mailbox" (got ${JSON.stringify(line.slice(0, 200))})`);
    if (f.slice(2).some((x) => x !== '')) throw bad(n, `more than two fields (got ${JSON.stringify(line.slice(0, 200))})`);
    const [key, mailbox] = f as [string, string];
    if (!isAddress(mailbox)) throw bad(n, `mailbox ${JSON.stringify(mailbox.slice(0, 200))} is not an e-mail address (name@domain)`);
    if (rules.length >= MAX_RULES) throw bad(n, `more than ${MAX_RULES} rules`);
    const kind = isAbsolute(key) ? 'path' : /[\\/]/.test(key) ? 'segments' : 'name';
    rules.push({ line: n, key, mailbox: mailbox.trim().toLowerCase(), kind });
  }
  return rules;
}

/** Reads and parses the map; an unreadable file is a UsageError too (the call could not run: exit 2, HTTP 400). */
export async function loadMailboxMap(file: string): Promise<MailboxRule[]> {
  let text: string;
  try {
    const st = await stat(file);
    if (!st.isFile()) throw new UsageError(`--mailbox-map ${file}: not a file`);
    if (st.size > MAX_MAP_BYTES) throw new UsageError(`--mailbox-map ${file}: larger than ${MAX_MAP_BYTES} bytes`);
    text = await readFile(file, 'utf8');
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`--mailbox-map ${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const rules = parseMailboxMap(text, file);
  if (rules.length === 0) throw new UsageError(`--mailbox-map ${file}: no "path,mailbox" line in it`);
  return rules;
}

/**
 * The rule for `file`: an exact path first, then a file-name rule, then the longest folder or segment match.
 * `caseless`: compare without regard to case (Windows hosts, or Windows paths in the map).
 */
export function ruleFor(file: string, rules: MailboxRule[], caseless: boolean): MailboxRule | null {
  const fold = (s: string, key: string) => (caseless || isWindowsPath(key) ? s.toLowerCase() : s);
  const p = norm(file);
  const name = p.slice(p.lastIndexOf('/') + 1);
  let best: { rule: MailboxRule; score: number } | null = null;
  for (const r of rules) {
    const k = fold(norm(r.key), r.key);
    const path = fold(p, r.key);
    let score = -1;
    if (r.kind === 'path') {
      if (path === k) score = 3e6;
      else if (path.startsWith(k + '/')) score = k.length;
    } else if (r.kind === 'name') {
      if (fold(name, r.key) === k) score = 2e6;
    } else if (path.endsWith('/' + k) || path.includes('/' + k + '/')) score = k.length;
    if (score >= 0 && (!best || score > best.score)) best = { rule: r, score };
  }
  return best?.rule ?? null;
}
