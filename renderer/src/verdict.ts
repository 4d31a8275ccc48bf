import type { Cause, Report } from '../../electron/contract/report.ts';
import { causesOf } from './causes.ts';

export interface Verdict {
  tone: 'ok' | 'warning' | 'error' | 'unknown';
  headline: string;
  /** The cause to fix first (the most serious one), or null when nothing is wrong. */
  top: Cause | null;
}

/** One sentence a non-technical user can act on: how many problems, most serious first, or an honest "nothing found". */
export function verdictOf(report: Report): Verdict {
  const causes = causesOf(report);
  const problems = causes.filter((c) => c.severity !== 'info');
  const top = problems[0];
  if (!top) {
    const notChecked = report.findings.filter((f) => f.id.endsWith('.not-checked') || f.id.includes('.not-checked.')).length;
    return notChecked > 0
      ? { tone: 'unknown', headline: `No problems found, but ${notChecked} check${notChecked === 1 ? '' : 's'} could not run — see below.`, top: null }
      : { tone: 'ok', headline: 'No problems found: your mail settings look right.', top: null };
  }
  const lead = top.severity === 'error' ? 'Your mail can’t be sent as it is set up' : 'Your mail may run into trouble';
  const count = problems.length === 1 ? '1 problem to fix' : `${problems.length} problems to fix, the most serious first`;
  return { tone: top.severity === 'error' ? 'error' : 'warning', headline: `${lead} — ${count}.`, top };
}
