import type { Report } from '../../electron/report/model.ts';

export interface Verdict {
  tone: 'ok' | 'warning' | 'error' | 'unknown';
  headline: string;
}

/** One sentence a non-technical user can act on: the most serious finding, or an honest "nothing found". */
export function verdictOf(report: Report): Verdict {
  const top = report.findings[0];
  const problems = report.findings.filter((f) => f.severity !== 'info');
  if (!top || problems.length === 0) {
    const notChecked = report.findings.filter((f) => f.id.endsWith('.not-checked')).length;
    return notChecked > 0
      ? { tone: 'unknown', headline: `No problems found, but ${notChecked} check${notChecked === 1 ? '' : 's'} could not run — see below.` }
      : { tone: 'ok', headline: 'No problems found: your mail settings look right.' };
  }
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length === 2 ? '' : 's'})` : '';
  return { tone: top.severity === 'error' ? 'error' : 'warning', headline: `${top.title}${more}` };
}
