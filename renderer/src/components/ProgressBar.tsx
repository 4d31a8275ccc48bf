import type { Progress } from '../../../electron/core/progress.ts';

/** A labelled progress bar; indeterminate (no aria-valuenow) until the engine reports a total. */
export function ProgressBar({ progress, label }: { progress: Progress | null; label: string }) {
  const pct = progress?.total ? Math.min(100, Math.round((progress.done / progress.total) * 100)) : undefined;
  return (
    <div className="progress">
      <div role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
        <div className="progress-fill" style={{ width: `${pct ?? 10}%` }} />
      </div>
      <p aria-live="polite">{progress?.detail ?? progress?.phase ?? 'Starting…'}</p>
    </div>
  );
}
