import type { Cause, Report } from '../../electron/contract/report.ts';

/**
 * The report's causes; a report without them (from an older agent, say) reads as one cause per finding, so every
 * screen can show causes alike.
 */
export function causesOf(report: Pick<Report, 'findings' | 'causes'>): Cause[] {
  if (report.causes) return report.causes;
  return report.findings.map((f, i) => ({
    id: `finding:${f.id}#${i}`,
    title: f.title,
    summary: f.detail,
    severity: f.severity,
    findings: [f.id],
    findingIndexes: [i],
    fixes: f.fixes.map((x) => x.id),
  }));
}
