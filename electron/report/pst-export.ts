import type { PstSection } from '../pst/schema.ts';

const COLUMNS = ['path', 'bytes', 'format', 'kind', 'encryption', 'passwordProtected', 'status', 'folders', 'messages', 'attachments', 'damagedItems', 'problems'] as const;

/** One row per file: what a migration spreadsheet needs. RFC 4180 quoting; formula-looking cells defused. */
export function pstSectionToCsv(section: PstSection): string {
  const rows = section.files.map((f) => [
    f.path,
    f.bytes,
    f.format ?? '',
    f.kind ?? '',
    f.encryption ?? '',
    f.passwordProtected,
    f.status,
    f.counts.folders,
    f.counts.messages,
    f.counts.attachments,
    f.counts.damagedItems,
    f.problems.length,
  ]);
  return [COLUMNS.join(','), ...rows.map((r) => r.map(csvCell).join(','))].join('\r\n') + '\r\n';
}

export function csvCell(v: unknown): string {
  let s = String(v);
  // A cell starting with = + - @ would run as a formula in a spreadsheet.
  if (/^[=+\-@\t\r]/.test(s)) s = "'" + s;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** A self-contained HTML page (no scripts, no remote resources) listing every file and its problems. */
export function pstSectionToHtml(section: PstSection): string {
  const rows = section.files
    .map((f) => {
      const problems = f.problems
        .map((p) => `<li><b>${escapeHtml(p.structure)}</b>${p.offset !== null ? ` @ ${p.offset}` : ''}: ${escapeHtml(p.detail)}${p.affects.length ? ` — affects ${escapeHtml(p.affects.join('; '))}` : ''}</li>`)
        .join('');
      return `<tr class="${f.status}"><td>${escapeHtml(f.path)}</td><td>${f.status}</td><td>${f.format ?? ''}</td><td>${f.counts.folders}</td><td>${f.counts.messages}</td><td>${f.counts.damagedItems}</td><td>${problems ? `<ul>${problems}</ul>` : ''}</td></tr>`;
    })
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>MailMedic PST report</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem}table{border-collapse:collapse}td,th{border:1px solid #999;padding:.3rem .5rem;vertical-align:top}.damaged td:nth-child(2){color:#a00}.unreadable td:nth-child(2){color:#a00;font-weight:bold}</style></head>
<body><h1>Outlook data files</h1><table><thead><tr><th>File</th><th>Status</th><th>Format</th><th>Folders</th><th>Messages</th><th>Damaged items</th><th>Problems</th></tr></thead><tbody>
${rows}
</tbody></table></body></html>
`;
}
