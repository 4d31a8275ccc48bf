import type { FleetSummary } from './merge.ts';
import { csvCell, escapeHtml } from '../../report/escape.ts';

const COLUMNS = ['hostname', 'platform', 'verdict', 'errors', 'warnings', 'port25Blocked', 'pstFiles', 'damagedPsts', 'salvageableMessages', 'topFinding', 'startedAt', 'source', 'migrationReady', 'migrationNeedsAttention', 'migrationBlocked'] as const;

/** One row per host, for a spreadsheet or a CMDB import. */
export function fleetToCsv(s: FleetSummary): string {
  const rows = s.hosts.map((h) => COLUMNS.map((c) => csvCell(h[c] ?? '')).join(','));
  return [COLUMNS.join(','), ...rows].join('\r\n') + '\r\n';
}

/** A self-contained page: totals, hosts by verdict, most common findings, PST migration figures. */
export function fleetToHtml(s: FleetSummary): string {
  const t = s.totals;
  const mb = (b: number) => `${(b / 1048576).toFixed(1)} MB`;
  const hostRows = s.hosts
    .map(
      (h) =>
        `<tr class="${h.verdict}"><td>${escapeHtml(h.hostname)}</td><td>${escapeHtml(h.platform)}</td><td>${h.verdict}</td><td>${h.errors}</td><td>${h.warnings}</td><td>${h.port25Blocked ? 'blocked' : ''}</td><td>${h.damagedPsts}/${h.pstFiles}</td><td>${escapeHtml(h.topFinding ?? '')}</td></tr>`,
    )
    .join('\n');
  const common = s.commonFindings
    .filter((f) => f.severity !== 'info')
    .slice(0, 20)
    .map((f) => `<tr><td>${f.hosts}</td><td>${f.severity}</td><td>${escapeHtml(f.title)}</td><td><code>${escapeHtml(f.id)}</code></td></tr>`)
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>MailMedic fleet summary</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem}table{border-collapse:collapse;margin-bottom:1.5rem}td,th{border:1px solid #999;padding:.3rem .5rem;text-align:left}.problems td:nth-child(3){color:#a00;font-weight:bold}</style></head>
<body><h1>MailMedic fleet summary</h1>
<p>${t.hosts} hosts: ${t.byVerdict.ok} ok, ${t.byVerdict.problems} with problems, ${t.byVerdict.incomplete} incomplete. Generated ${escapeHtml(s.generatedAt)}.</p>
<p>Port 25 blocked on ${t.hostsWithPort25Blocked.length} host(s)${t.hostsWithPort25Blocked.length ? ': ' + escapeHtml(t.hostsWithPort25Blocked.join(', ')) : ''}.</p>
<h2>Outlook data files</h2>
<p>${t.pst.files} files (${mb(t.pst.bytes)}), ${t.pst.damaged} damaged, ${t.pst.unreadable} unreadable, ${t.pst.ost} OST, ${t.pst.passwordProtected} password-protected, ${t.pst.nearAnsiLimit} near the ANSI 2 GB limit. Salvageable: ${t.pst.salvageableMessages} of ${t.pst.messages} messages.</p>
<h2>Hosts</h2>
<table><thead><tr><th>Host</th><th>Platform</th><th>Verdict</th><th>Errors</th><th>Warnings</th><th>Port 25</th><th>Damaged PSTs</th><th>Top finding</th></tr></thead><tbody>
${hostRows}
</tbody></table>
<h2>Most common problems</h2>
<table><thead><tr><th>Hosts</th><th>Severity</th><th>Finding</th><th>Id</th></tr></thead><tbody>
${common}
</tbody></table>
${migrationHtml(s)}
${s.invalid.length ? `<h2>Not merged</h2><ul>${s.invalid.map((i) => `<li>${escapeHtml(i.source)}: ${escapeHtml(i.error)}</li>`).join('')}</ul>` : ''}
</body></html>
`;
}

/** Readiness scans across hosts: totals per verdict, one row per host, and the same file on several hosts. */
function migrationHtml(s: FleetSummary): string {
  const m = s.totals.migration;
  if (m.hosts === 0) return '';
  const gb = (b: number) => `${(b / 1024 ** 3).toFixed(2)} GB`;
  const cell = (t: { files: number; bytes: number }) => `${t.files} (${gb(t.bytes)})`;
  const rows = m.perHost
    .map((h) => `<tr><td>${escapeHtml(h.hostname)}</td><td>${cell(h.byVerdict.ready)}</td><td>${cell(h.byVerdict['needs-attention'])}</td><td>${cell(h.byVerdict.blocked)}</td></tr>`)
    .join('\n');
  const dups = m.duplicatesAcrossHosts
    .slice(0, 200)
    .map((d) => `<li>${gb(d.bytes)}: ${d.copies.map((c) => `${escapeHtml(c.hostname)}:${escapeHtml(c.path)}`).join(' = ')}</li>`)
    .join('');
  return `<h2>Microsoft 365 import readiness</h2>
<p>${m.hosts} host(s): ${cell(m.byVerdict.ready)} ready, ${cell(m.byVerdict['needs-attention'])} need attention, ${cell(m.byVerdict.blocked)} blocked.</p>
<table><thead><tr><th>Host</th><th>Ready</th><th>Needs attention</th><th>Blocked</th></tr></thead><tbody>
${rows}
</tbody></table>
${m.duplicatesAcrossHosts.length ? `<h3>The same file on several hosts (${m.duplicatesAcrossHosts.length})</h3><ul>${dups}</ul>` : ''}`;
}
