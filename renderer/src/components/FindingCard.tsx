import type { Finding } from '../../../electron/report/finding.ts';

const LABEL: Record<Finding['severity'], string> = { error: 'Problem', warning: 'Warning', info: 'Note' };

export function FindingCard({ finding, onFix }: { finding: Finding; onFix: (fixId: string) => void }) {
  const hasEvidence = Object.keys(finding.evidence).length > 0;
  return (
    <li className={`finding finding-${finding.severity}`} aria-label={`${LABEL[finding.severity]}: ${finding.title}`}>
      <div className="finding-head">
        <span className={`badge badge-${finding.severity}`}>{LABEL[finding.severity]}</span>
        <h3>{finding.title}</h3>
      </div>
      {finding.detail && <p className="finding-detail">{finding.detail}</p>}
      {hasEvidence && (
        <details>
          <summary>Evidence</summary>
          <pre>{JSON.stringify(finding.evidence, null, 2)}</pre>
        </details>
      )}
      {finding.fixes.length > 0 && (
        <div className="fixes">
          {finding.fixes.map((fix) => (
            <button key={fix.id} type="button" onClick={() => onFix(fix.id)}>
              Fix: {fix.title}
            </button>
          ))}
        </div>
      )}
    </li>
  );
}
