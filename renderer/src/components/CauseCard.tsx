import { useContext } from 'react';
import type { Cause, Report } from '../../../electron/contract/report.ts';
import type { Finding } from '../../../electron/core/finding.ts';
import { ApplicableFixes, FindingCard, useFocused } from './FindingCard.tsx';
import { Evidence } from './Evidence.tsx';
import { causesOf } from '../causes.ts';

const LABEL: Record<Cause['severity'], string> = { error: 'Problem', warning: 'Warning', info: 'Note' };

/**
 * One problem as the user would name it: what is wrong, why, and the one next step as the button (or, where the engine
 * cannot apply it here, in words). The findings that prove it fold out under "Details". `focusedId` = a deep-linked finding.
 */
export function CauseCard({ cause, findings, onFix, focusedId = null }: { cause: Cause; findings: Finding[]; onFix: (fixId: string) => void; focusedId?: string | null }) {
  const applicable = useContext(ApplicableFixes);
  const own = cause.findingIndexes.map((i) => findings[i]).filter((f): f is Finding => f !== undefined);
  const titles = new Map(own.flatMap((f) => f.fixes.map((x) => [x.id, x.title] as const)));
  const canApply = (id: string) => !applicable || applicable.has(id);
  const next = cause.fixes[0];
  const button = cause.fixes.find(canApply);
  const advice = next !== undefined && !canApply(next) ? (titles.get(next) ?? next) : null;
  // The other fixes of its findings (another port that works, say), offered once, at the end of the details.
  const others = cause.fixes.filter((id) => id !== button && id !== next && canApply(id));
  const focused = focusedId !== null && cause.findings.includes(focusedId);
  // A cause that is one finding has said all of it; only that finding's evidence folds out, and it is the deep link's target.
  const alone = own.length === 1 && own[0]!.title === cause.title && own[0]!.detail === cause.summary ? own[0]! : null;
  const ref = useFocused(alone !== null && focused);
  return (
    <li
      ref={ref}
      id={alone ? `finding-${alone.id}` : undefined}
      tabIndex={alone && focused ? -1 : undefined}
      className={`finding cause cause-${cause.severity}${alone && focused ? ' finding-focused' : ''}`}
      aria-label={`${LABEL[cause.severity]}: ${cause.title}`}
      data-cause={cause.id}
    >
      <div className="finding-head">
        <span className={`badge badge-${cause.severity}`}>{LABEL[cause.severity]}</span>
        <h4>{cause.title}</h4>
      </div>
      {cause.summary && <p className="finding-detail">{cause.summary}</p>}
      {advice && <p className="advice">What to do: {advice}. Change this in your mail program’s account settings.</p>}
      {button && (
        <div className="fixes">
          <button type="button" className="primary" onClick={() => onFix(button)}>
            Fix it: {titles.get(button) ?? button}
          </button>
        </div>
      )}
      {(!alone || Object.keys(alone.evidence).length > 0 || others.length > 0) && (
      <details className="cause-details" open={focused}>
        <summary>{alone ? 'Details' : `Details (${own.length} findings)`}</summary>
        {alone ? (
          <Evidence evidence={alone.evidence} />
        ) : (
          <ul className="findings" aria-label={`Findings: ${cause.title}`}>
            {own.map((f, k) => (
              <FindingCard key={`${f.id}-${cause.findingIndexes[k]}`} finding={f} onFix={onFix} focused={f.id === focusedId} level={5} withFixes={false} />
            ))}
          </ul>
        )}
        {others.length > 0 && (
          <div className="fixes" role="group" aria-label="Other ways to fix it">
            {others.map((id) => (
              <button key={id} type="button" onClick={() => onFix(id)}>
                Or: {titles.get(id) ?? id}
              </button>
            ))}
          </div>
        )}
      </details>
      )}
    </li>
  );
}

/** A report's causes, most serious first, one card each; or a plain sentence when there is nothing. */
export function CauseList({ report, onFix, labelledBy, focusedId = null }: { report: Pick<Report, 'findings' | 'causes'>; onFix: (id: string) => void; labelledBy: string; focusedId?: string | null }) {
  const causes = causesOf(report);
  if (causes.length === 0) return <p>Nothing to report.</p>;
  return (
    <ul className="findings causes" aria-labelledby={labelledBy}>
      {causes.map((c) => (
        <CauseCard key={c.id} cause={c} findings={report.findings} onFix={onFix} focusedId={focusedId} />
      ))}
    </ul>
  );
}
