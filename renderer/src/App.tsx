import { useMemo, useState } from 'react';
import { createClient, type Client } from './api/bridge.ts';
import type { Progress } from '../../electron/contract/api.ts';
import type { Report } from '../../electron/report/model.ts';
import { verdictOf } from './verdict.ts';
import { FindingCard } from './components/FindingCard.tsx';
import { FixDialog } from './components/FixDialog.tsx';

type State = { kind: 'idle' } | { kind: 'running'; progress: Progress | null } | { kind: 'done'; report: Report } | { kind: 'error'; message: string };

export function App({ client: given }: { client?: Client }) {
  const client = useMemo(() => given ?? createClient(), [given]);
  const [state, setState] = useState<State>({ kind: 'idle' });
  const [fixId, setFixId] = useState<string | null>(null);

  const check = async () => {
    setState({ kind: 'running', progress: null });
    try {
      const report = await client.withProgress('scan', {}, (progress) => setState({ kind: 'running', progress }));
      setState({ kind: 'done', report });
    } catch (e) {
      setState({ kind: 'error', message: (e as Error).message });
    }
  };

  return (
    <div className="app">
      <header className="app-header">
        <h1>MailMedic</h1>
        <p className="tagline">Finds out why your e-mail will not send — and fixes it safely.</p>
      </header>
      <main>
        <section aria-labelledby="overview-title" className="overview">
          <h2 id="overview-title" className="visually-hidden">
            Overview
          </h2>
          <button type="button" className="primary big" onClick={check} disabled={state.kind === 'running'}>
            {state.kind === 'running' ? 'Checking…' : 'Check my mail'}
          </button>
          {state.kind === 'running' && <ProgressBar progress={state.progress} />}
          {state.kind === 'error' && (
            <p role="alert" className="error-text">
              The check could not run: {state.message}
            </p>
          )}
          {state.kind === 'done' && <Results report={state.report} onFix={setFixId} />}
        </section>
      </main>
      {fixId && <FixDialog client={client} fixId={fixId} onClose={() => setFixId(null)} onChanged={() => {}} />}
    </div>
  );
}

function ProgressBar({ progress }: { progress: Progress | null }) {
  const pct = progress?.total ? Math.round((progress.done / progress.total) * 100) : undefined;
  return (
    <div className="progress">
      <div role="progressbar" aria-label="Check progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
        <div className="progress-fill" style={{ width: `${pct ?? 10}%` }} />
      </div>
      <p aria-live="polite">{progress?.detail ?? 'Starting…'}</p>
    </div>
  );
}

function Results({ report, onFix }: { report: Report; onFix: (id: string) => void }) {
  const verdict = verdictOf(report);
  return (
    <div className="results">
      <p className={`verdict verdict-${verdict.tone}`} role="status">
        {verdict.headline}
      </p>
      <h2>Findings</h2>
      {report.findings.length === 0 ? (
        <p>Nothing to report.</p>
      ) : (
        <ul className="findings" aria-label="Findings">
          {report.findings.map((f, i) => (
            <FindingCard key={`${f.id}-${i}`} finding={f} onFix={onFix} />
          ))}
        </ul>
      )}
      <p className="meta">
        Checked in {(report.durationMs / 1000).toFixed(1)} s on {report.host.hostname} · MailMedic {report.tool.version}
      </p>
    </div>
  );
}
