import type { Report } from '../../electron/contract/report.ts';
import type { Finding } from '../../electron/core/finding.ts';

export interface Verdict {
  tone: 'ok' | 'warning' | 'error' | 'unknown';
  headline: string;
  /** The finding the headline is about (the most serious one), so the screen can offer its fix right there. */
  top: Finding | null;
}

/** One sentence a non-technical user can act on: the most serious finding, or an honest "nothing found". */
export function verdictOf(report: Report): Verdict {
  const top = report.findings[0];
  const problems = report.findings.filter((f) => f.severity !== 'info');
  if (!top || problems.length === 0) {
    const notChecked = report.findings.filter((f) => f.id.endsWith('.not-checked') || f.id.includes('.not-checked.')).length;
    return notChecked > 0
      ? { tone: 'unknown', headline: `No problems found, but ${notChecked} check${notChecked === 1 ? '' : 's'} could not run — see below.`, top: null }
      : { tone: 'ok', headline: 'No problems found: your mail settings look right.', top: null };
  }
  const lead = top.severity === 'error' ? 'Your mail can’t be sent as it is set up: ' : 'Your mail may run into trouble: ';
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length === 2 ? '' : 's'} below)` : '';
  return { tone: top.severity === 'error' ? 'error' : 'warning', headline: `${lead}${top.title}${more}`, top };
}
