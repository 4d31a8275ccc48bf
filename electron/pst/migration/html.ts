import type { PstSection } from '../schema.ts';

// The readiness part of the HTML report (`pst scan --migration m365 --html FILE`): one row per file with its verdict
// colour, size, items, owner and reasons, then the ownerless files, duplicates and renames of the import plan.

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const size = (n: number) => (n >= 1024 ** 3 ? `${(n / 1024 ** 3).toFixed(2)} GB` : `${(n / 1024 ** 2).toFixed(1)} MB`);

export const READINESS_CSS =
  'tr.ready td.verdict{background:#d4edda}tr.needs-attention td.verdict{background:#fff3cd}tr.blocked td.verdict{background:#f8d7da}td.verdict{font-weight:bold}ul.reasons{margin:0;padding-left:1.1rem}';

export function readinessHtml(section: PstSection): string {
  const files = section.files.filter((f) => f.migration);
  if (files.length === 0) return '';
  const s = section.migration;
  const rows = files.map((f) => {
    const m = f.migration!;
    const owner = m.owner.guess ? `${esc(m.owner.guess)} <small>(${esc(m.owner.confidence ?? '')}; ${esc(m.owner.sources.map((x) => x.source).join(', '))})</small>` : '<i>none</i>';
    const reasons = m.reasons.length
      ? `<ul class="reasons">${m.reasons.map((r) => `<li><b>${esc(r.rule)}</b>: ${esc(r.detail)}${r.items?.length ? `<ul>${r.items.map((i) => `<li>${esc(i.folder)}${i.subject !== null ? ` / ${esc(i.subject)}` : ''}${i.bytes !== undefined ? ` (${esc(size(i.bytes))})` : ''}</li>`).join('')}</ul>` : ''}</li>`).join('')}</ul>`
      : '';
    const mailbox = m.mailbox ? esc(m.mailbox.address) : '';
    return `<tr class="${esc(m.verdict)}"><td class="verdict">${esc(m.verdict)}</td><td>${esc(f.path)}</td><td>${esc(size(f.bytes))}</td><td>${f.counts.messages}</td><td>${owner}</td><td>${mailbox}</td><td>${reasons}</td></tr>`;
  });
  const parts = [`<h2>Microsoft 365 import readiness</h2>`];
  if (s) {
    const v = s.verdicts;
    parts.push(`<p>${v.ready.files} ready (${esc(size(v.ready.bytes))}), ${v['needs-attention'].files} need attention (${esc(size(v['needs-attention'].bytes))}), ${v.blocked.files} blocked (${esc(size(v.blocked.bytes))}). Import plan: ${s.importPlan.rows} row(s)${s.importPlan.csvFiles.length ? ` in ${esc(s.importPlan.csvFiles.join(', '))}` : ''}.</p>`);
  }
  parts.push(`<table class="readiness"><thead><tr><th>verdict</th><th>file</th><th>size</th><th>items</th><th>owner</th><th>mailbox</th><th>reasons</th></tr></thead>\n<tbody>${rows.join('\n')}</tbody></table>`);
  if (s?.ownerless.length) parts.push(`<h3>Ownerless files (${s.ownerless.length})</h3><ul>${s.ownerless.map((p) => `<li>${esc(p)}</li>`).join('')}</ul>`);
  if (s?.duplicates.length) parts.push(`<h3>Duplicates</h3><ul>${s.duplicates.map((d) => `<li>${d.paths.map(esc).join(' = ')} <small>(${esc(d.sha256.slice(0, 16))}…)</small></li>`).join('')}</ul>`);
  if (s?.importPlan.renames.length) parts.push(`<h3>Upload under a new name</h3><ul>${s.importPlan.renames.map((r) => `<li>${esc(r.path)} → ${esc(r.as)}</li>`).join('')}</ul>`);
  return parts.join('\n');
}
