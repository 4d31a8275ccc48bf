import path from 'node:path';
import { contentCodePage } from '../../pst/migration/rules.ts';
import type { PstFileResult } from '../../pst/schema.ts';

// The Microsoft 365 import mapping CSV: one row per file that is not blocked, Microsoft's columns in Microsoft's
// order, unique Name values (the import matches them to the uploaded files exactly, case-sensitively), at most 500
// rows per CSV file. Pure: results in, rows and text out.

export const IMPORT_CSV_COLUMNS = ['Workload', 'FilePath', 'Name', 'Mailbox', 'IsArchive', 'TargetRootFolder', 'ContentCodePage', 'SPFileContainer', 'SPManifestContainer', 'SPSiteUrl'] as const;
export type ImportRow = Record<(typeof IMPORT_CSV_COLUMNS)[number], string>;
export const MAX_ROWS_PER_CSV = 500;

/** Files that share a file name (compared case-insensitively, as on the Windows shares PSTs live on): name → paths. */
export function nameClashes(files: PstFileResult[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const f of files) {
    const key = path.basename(f.path).toLowerCase();
    groups.set(key, [...(groups.get(key) ?? []), f.path]);
  }
  for (const [k, v] of groups) if (v.length < 2) groups.delete(k);
  return groups;
}

/**
 * The import Name of every file: its own file name, except that within a clash the first path (in sort order) keeps
 * it and the others get their folder's name in front ("jane-archive.pst"), numbered when that is taken too.
 */
export function importNames(files: PstFileResult[]): Map<string, string> {
  const out = new Map<string, string>();
  const taken = new Set<string>();
  const sorted = [...files].sort((a, b) => a.path.localeCompare(b.path));
  const clashing = new Set([...nameClashes(files).values()].flat());
  for (const f of sorted) {
    if (clashing.has(f.path)) continue;
    out.set(f.path, path.basename(f.path));
    taken.add(path.basename(f.path).toLowerCase());
  }
  for (const paths of [...nameClashes(files).values()].map((p) => [...p].sort((a, b) => a.localeCompare(b)))) {
    for (const [i, p] of paths.entries()) {
      const name = path.basename(p);
      let as = name;
      if (i > 0 || taken.has(name.toLowerCase())) {
        const ext = path.extname(name);
        const stem = name.slice(0, name.length - ext.length);
        const folder = path.basename(path.dirname(p)).replace(/[^\p{L}\p{N}._-]+/gu, '_') || 'file';
        as = `${folder}-${name}`;
        for (let n = 2; taken.has(as.toLowerCase()); n++) as = `${stem} (${n})${ext}`;
      }
      out.set(p, as);
      taken.add(as.toLowerCase());
    }
  }
  return out;
}

/** FilePath: the file's folder below the scanned folder it was found in ('' for a file given directly or at the top). */
export function relativeFolder(file: string, roots: string[]): string {
  const root = roots.filter((r) => file.startsWith(r.endsWith(path.sep) ? r : r + path.sep)).sort((a, b) => b.length - a.length)[0];
  if (!root) return '';
  const rel = path.relative(root, path.dirname(file));
  return rel.split(path.sep).filter(Boolean).join('/');
}

export function importRow(f: PstFileResult, name: string, filePath: string, mailbox: string | null): ImportRow {
  const ccp = f.format === 'ansi' ? contentCodePage(f.inventory?.codepage ?? null) : null;
  return {
    Workload: 'Exchange',
    FilePath: filePath,
    Name: name,
    Mailbox: mailbox ?? '',
    IsArchive: 'FALSE',
    TargetRootFolder: '',
    ContentCodePage: ccp === null ? '' : String(ccp),
    SPFileContainer: '',
    SPManifestContainer: '',
    SPSiteUrl: '',
  };
}

/**
 * The plan's rows from the scanned files: one per file with an import Name (the files not blocked), in the order of
 * the files, with the Name and Mailbox the readiness scan gave it. `roots` are the scanned paths, resolved (FilePath).
 * The report keeps these fields per file, so the rows can be made again from a report: the CLI's --import-csv and the
 * UI's download are the same rows.
 */
export function planRows(files: PstFileResult[], roots: string[]): ImportRow[] {
  return files.flatMap((f) => {
    const name = f.migration?.importName;
    return name ? [importRow(f, name, relativeFolder(f.path, roots), f.migration?.mailbox?.address ?? null)] : [];
  });
}

/** RFC 4180 field, quoted only when needed. Never altered otherwise: Name must match the uploaded file exactly. */
function field(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function importCsvText(rows: ImportRow[]): string {
  return [IMPORT_CSV_COLUMNS.join(','), ...rows.map((r) => IMPORT_CSV_COLUMNS.map((c) => field(r[c])).join(','))].join('\r\n') + '\r\n';
}

/** The CSV files for `out`: OUT itself up to 500 rows, else OUT-1.csv, OUT-2.csv, … of at most 500 rows each. */
export function splitImportCsv(out: string, rows: ImportRow[]): { file: string; text: string; rows: number }[] {
  if (rows.length <= MAX_ROWS_PER_CSV) return [{ file: out, text: importCsvText(rows), rows: rows.length }];
  const ext = path.extname(out) || '.csv';
  const stem = path.extname(out) ? out.slice(0, -ext.length) : out;
  const parts: { file: string; text: string; rows: number }[] = [];
  for (let i = 0; i < rows.length; i += MAX_ROWS_PER_CSV) {
    const part = rows.slice(i, i + MAX_ROWS_PER_CSV);
    parts.push({ file: `${stem}-${parts.length + 1}${ext}`, text: importCsvText(part), rows: part.length });
  }
  return parts;
}
