import type { Cause, Report } from '../contract/report.ts';
import type { Finding } from '../core/finding.ts';
import { formatMigration } from './migration.ts';

const MARK: Record<Finding['severity'], string> = { error: '✖', warning: '!', info: 'i' };

/**
 * The human face of a report: a verdict, then one block per cause, most serious first — what is wrong, why, the one
 * next step — with the findings that prove it indented beneath. A report without causes lists its findings.
 */
export function formatReport(report: Report): string {
  const lines: string[] = [];
  const problems = report.causes ? report.causes.filter((c) => c.severity !== 'info') : report.findings.filter((f) => f.severity !== 'info');
  lines.push(
    problems.length === 0
      ? `MailMedic ${report.command}: no problems found.`
      : `MailMedic ${report.command}: ${problems.length} problem${problems.length === 1 ? '' : 's'} found.`,
  );
  if (report.smtp) lines.push('', ...formatSmtp(report.smtp));
  for (const s of report.smtpHosts ?? []) lines.push('', ...formatSmtp(s));
  if (report.accounts) {
    lines.push('', `Accounts (${report.accounts.length}):`);
    for (const a of report.accounts) {
      const o = a.outgoing;
      lines.push(`  ${a.client}  ${a.email ?? a.name ?? a.id}  →  ${o?.host ?? '?'}:${o?.port ?? '?'} ${o?.security ?? ''}`.trimEnd());
    }
  }
  if (report.pst) {
    lines.push('', `Data files (${report.pst.files.length}):`);
    for (const f of report.pst.files) {
      const c = f.counts;
      lines.push(`  ${f.status.padEnd(10)} ${f.path}  (${c.folders} folders, ${c.messages} messages, ${c.damagedItems} damaged)`);
    }
    if (report.pst.migration) lines.push('', ...formatMigration(report.pst));
  }
  if (report.explain) {
    for (const e of report.explain.explanations) {
      lines.push('', `${e.match}: ${e.meaning}`, `  Likely cause: ${e.likelyCause}`);
      for (const s of e.nextSteps) lines.push(`  - ${s}`);
      lines.push(`  Source: ${e.source}`);
    }
  }
  // `explain` already printed each explanation in full; its findings would say the same again.
  const findings = report.explain && report.explain.explanations.length > 0 ? [] : report.findings;
  if (findings.length === 0) return lines.join('\n') + '\n';
  if (!report.causes) {
    lines.push('', 'Findings:');
    for (const f of findings) lines.push(...formatFinding(f, 2));
    return lines.join('\n') + '\n';
  }
  for (const c of report.causes) lines.push('', ...formatCause(c, report.findings));
  return lines.join('\n') + '\n';
}

/** One cause: its title, why, the one next step (and any other fix), then its findings indented beneath. */
function formatCause(c: Cause, all: Finding[]): string[] {
  const findings = c.findingIndexes.map((i) => all[i]).filter((f): f is Finding => f !== undefined);
  const titles = new Map(findings.flatMap((f) => f.fixes.map((x) => [x.id, x.title] as const)));
  const lines = [`${MARK[c.severity]} ${c.title}`];
  if (c.summary) lines.push(...wrap(c.summary, 2));
  c.fixes.forEach((id, i) => lines.push(`  ${i === 0 ? 'Next step' : 'Or'}: ${titles.get(id) ?? id}   (mailmedic fix ${id})`));
  // The cause lists every fix of its findings; beneath it the findings say only what they saw. A cause that is one
  // finding has already said all of it.
  const beneath = findings.filter((f) => f.title !== c.title || f.detail !== c.summary);
  if (beneath.length > 0) lines.push('  Details:');
  for (const f of beneath) lines.push(...formatFinding(f, 4, false));
  return lines;
}

function formatFinding(f: Finding, indent: number, withFixes = true): string[] {
  const pad = ' '.repeat(indent);
  const lines = [`${pad}${MARK[f.severity]} ${f.title}`];
  if (f.detail) lines.push(...wrap(f.detail, indent + 2));
  if (withFixes) for (const fix of f.fixes) lines.push(`${pad}  fix: ${fix.title}   (mailmedic fix ${fix.id})`);
  return lines;
}

function formatSmtp(s: NonNullable<Report['smtp']>): string[] {
  const lines = [`SMTP ${s.host}${s.address ? ` (${s.address})` : ''}:`];
  for (const p of s.ports) {
    const reply = p.reply ? `  ${p.reply.code}${p.reply.enhanced ? ' ' + p.reply.enhanced : ''} ${p.reply.text}` : '';
    lines.push(`  ${String(p.port).padStart(5)} ${p.security.padEnd(8)} ${p.outcome.padEnd(11)} at ${p.phase.padEnd(8)} ${Math.round(p.ms)} ms${reply}`);
  }
  if (s.recommended) lines.push(`  Recommended: port ${s.recommended.port} with ${s.recommended.security}`);
  return lines;
}

function wrap(text: string, indent: number, width = 100): string[] {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(/\s+/)) {
      if (line && line.length + word.length + 1 > width - indent) {
        out.push(' '.repeat(indent) + line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    if (line) out.push(' '.repeat(indent) + line);
  }
  return out;
}
