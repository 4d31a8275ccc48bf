import type { Report } from '../../../electron/contract/report.ts';
import { verdictOf } from '../verdict.ts';
import { CauseList } from '../components/CauseCard.tsx';
import { ProgressBar } from '../components/ProgressBar.tsx';
import type { ScanState } from '../scan-state.ts';

interface Props {
  scan: ScanState;
  onCheck: () => void;
  onFix: (fixId: string) => void;
  /** A deep-linked finding (#/finding/<id>). */
  focusedFinding: string | null;
}

export function Overview({ scan, onCheck, onFix, focusedFinding }: Props) {
  return (
    <section aria-labelledby="overview-title" className="overview">
      <h2 id="overview-title" className="visually-hidden" tabIndex={-1}>
        Overview
      </h2>
      <button type="button" className="primary big" onClick={onCheck} disabled={scan.kind === 'running'}>
        {scan.kind === 'running' ? 'Checking…' : 'Check my mail'}
      </button>
      {scan.kind === 'idle' && (
        <p className="intro">One check reads your mail accounts, tests their outgoing servers, and looks at the firewall, VPN and Outlook data files.</p>
      )}
      {scan.kind === 'running' && <ProgressBar progress={scan.progress} label="Check progress" />}
      {scan.kind === 'error' && (
        <p role="alert" className="error-text">
          The check could not run: {scan.error.message}
        </p>
      )}
      {scan.kind === 'done' && <Results report={scan.result} onFix={onFix} focusedFinding={focusedFinding} />}
      {focusedFinding && scan.kind === 'idle' && <p className="note">Run “Check my mail” to see the finding “{focusedFinding}”.</p>}
    </section>
  );
}

function Results({ report, onFix, focusedFinding }: { report: Report; onFix: (id: string) => void; focusedFinding: string | null }) {
  const verdict = verdictOf(report);
  const missing = focusedFinding && !report.findings.some((f) => f.id === focusedFinding);
  return (
    <div className="results">
      <div className={`verdict verdict-${verdict.tone}`}>
        <p role="status" className="verdict-headline">
          {verdict.headline}
        </p>
      </div>
      {missing && <p className="note">The finding “{focusedFinding}” is not in this check any more.</p>}
      <h3 className="section-title" id="causes-title">
        What was found
      </h3>
      {/* One card per problem, the one next step as its button; the findings behind it under "Details". */}
      <CauseList report={report} onFix={onFix} labelledBy="causes-title" focusedId={focusedFinding} />
      <p className="meta">
        Checked in {(report.durationMs / 1000).toFixed(1)} s on {report.host.hostname} · MailMedic {report.tool.version}
      </p>
    </div>
  );
}
