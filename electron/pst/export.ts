import type { PstSection } from './schema.ts';
import { READINESS_CSS, readinessHtml } from './migration/html.ts';

// Writers for `mailmedic pst scan --csv FILE / --html FILE`: pure functions from the report section to text.
// The CLI (lead) writes the text to the file.

const CSV_COLUMNS = ['path', 'bytes', 'format', 'kind', 'encryption', 'passwordProtected', 'status', 'folders', 'messages', 'attachments', 'damagedItems', 'problems', 'firstProblem', 'affects'] as const;
/** Appended after CSV_COLUMNS for a readiness scan (`--migration`), so existing columns keep their places. */
const MIGRATION_COLUMNS = ['verdict', 'reasons', 'owner', 'ownerConfidence', 'mailbox', 'importName', 'sha256'] as const;

/** RFC 4180 field: quoted when it holds a comma, quote or line break; formula-like text is prefixed so spreadsheets do not execute it. */
export function csvField(v: string | number | boolean | null): string {
  let s = v === null ? '' : String(v);
  if (/^[=+\-@\t\r]/.test(s) && typeof v === 'string') s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One row per file; the first error and the items it affects are included for triage in a spreadsheet. */
export function sectionToCsv(section: PstSection): string {
  const migration = section.files.some((f) => f.migration);
  const lines = [[...CSV_COLUMNS, ...(migration ? MIGRATION_COLUMNS : [])].join(',')];
  for (const f of section.files) {
    const m = f.migration;
    const extra = migration
      ? [m?.verdict ?? '', m?.reasons.map((r) => r.rule).join('; ') ?? '', m?.owner.guess ?? '', m?.owner.confidence ?? '', m?.mailbox?.address ?? '', m?.importName ?? '', f.sha256 ?? '']
      : [];
    const errors = f.problems.filter((p) => p.severity !== 'info' && p.severity !== 'warning');
    const first = errors[0];
    lines.push([
      f.path, f.bytes, f.format, f.kind, f.encryption, f.passwordProtected, f.status,
      f.counts.folders, f.counts.messages, f.counts.attachments, f.counts.damagedItems,
      errors.length, first ? `${first.structure}: ${first.detail}` : '', first ? first.affects.slice(0, 10).join('; ') : '', ...extra,
    ].map(csvField).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

/** A self-contained HTML page (no scripts, no external resources): summary table plus each file's problems. */
export function sectionToHtml(section: PstSection, title = 'MailMedic PST/OST scan'): string {
  const e = escapeHtml;
  const rows = section.files.map((f) => `<tr class="${e(f.status)}"><td>${e(f.path)}</td><td>${e(mb(f.bytes))}</td><td>${e(f.format ?? '?')}</td><td>${e(f.kind ?? '?')}</td><td>${f.passwordProtected ? 'yes' : 'no'}</td><td>${e(f.status)}</td><td>${f.counts.folders}</td><td>${f.counts.messages}</td><td>${f.counts.attachments}</td><td>${f.counts.damagedItems}</td></tr>`);
  const details = section.files
    .filter((f) => f.problems.length > 0)
    .map((f) => {
      const items = f.problems.map((p) => `<li><b>${e(p.severity ?? 'error')}</b> ${e(p.structure)}${p.offset !== null ? ` @ 0x${p.offset.toString(16)}` : ''}: ${e(p.detail)}${p.affects.length ? `<ul>${p.affects.map((a) => `<li>${e(a)}</li>`).join('')}</ul>` : ''}</li>`);
      return `<section><h2>${e(f.path)}</h2><ul>${items.join('')}</ul></section>`;
    });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${e(title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}tr.damaged{background:#fff3cd}tr.unreadable{background:#f8d7da}${READINESS_CSS}</style>
</head><body><h1>${e(title)}</h1>
<table><thead><tr><th>file</th><th>size</th><th>format</th><th>kind</th><th>password</th><th>status</th><th>folders</th><th>messages</th><th>attachments</th><th>damaged items</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>
${readinessHtml(section)}
${details.join('\n')}
</body></html>
`;
}
