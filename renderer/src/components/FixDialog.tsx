import { useEffect, useRef, useState } from 'react';
import type { Client } from '../api/bridge.ts';
import type { ResponseOf } from '../../../electron/contract/api.ts';
import { errorText } from '../format.ts';

export interface VerifyOutcome {
  ok: boolean;
  message: string;
}

type Check = { kind: 'none' } | { kind: 'running' } | { kind: 'done'; outcome: VerifyOutcome } | { kind: 'failed'; message: string };

type Stage =
  | { kind: 'loading' }
  | { kind: 'preview'; preview: ResponseOf<'fixPreview'> }
  | { kind: 'applying' }
  | { kind: 'applied'; result: ResponseOf<'fixApply'>; check: Check }
  | { kind: 'undone'; message: string }
  | { kind: 'error'; message: string };

interface Props {
  client: Client;
  fixId: string;
  onClose: () => void;
  /** Something was written (apply or undo): the history and the last check are out of date. */
  onChanged: () => void;
  /** Re-runs the relevant check after a fix is applied. */
  verify?: (fixId: string) => Promise<VerifyOutcome>;
}

/** Preview (the exact change) → confirm → apply → verify → done, with Undo. Nothing is written before the user confirms. */
export function FixDialog({ client, fixId, onClose, onChanged, verify }: Props) {
  const [stage, setStage] = useState<Stage>({ kind: 'loading' });
  const [title, setTitle] = useState('Fix');
  const ref = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal?.();
    let live = true;
    client
      .fixPreview({ id: fixId })
      .then((preview) => {
        if (!live) return;
        setTitle(preview.title);
        setStage({ kind: 'preview', preview });
      })
      .catch((e: unknown) => live && setStage({ kind: 'error', message: errorText(e) }));
    return () => {
      live = false;
    };
  }, [client, fixId]);

  const apply = async () => {
    setStage({ kind: 'applying' });
    let result: ResponseOf<'fixApply'>;
    try {
      result = await client.fixApply({ id: fixId });
    } catch (e) {
      setStage({ kind: 'error', message: errorText(e) });
      return;
    }
    onChanged();
    if (!result.applied || !verify) {
      setStage({ kind: 'applied', result, check: { kind: 'none' } });
      return;
    }
    setStage({ kind: 'applied', result, check: { kind: 'running' } });
    try {
      const outcome = await verify(fixId);
      setStage({ kind: 'applied', result, check: { kind: 'done', outcome } });
    } catch (e) {
      setStage({ kind: 'applied', result, check: { kind: 'failed', message: errorText(e) } });
    }
  };

  const undo = async (journalId: string) => {
    try {
      const r = await client.undo({ journalId });
      setStage({ kind: 'undone', message: r.message });
      onChanged();
    } catch (e) {
      setStage({ kind: 'error', message: errorText(e) });
    }
  };

  return (
    <dialog ref={ref} className="fix-dialog" aria-labelledby="fix-title" onClose={onClose}>
      <h2 id="fix-title">{title}</h2>
      {stage.kind === 'loading' && <p>Preparing the change…</p>}
      {stage.kind === 'preview' && (
        <>
          <p>This is exactly what will change. A backup is kept, and you can undo it.</p>
          <Diff text={stage.preview.preview} />
          <div className="actions">
            <button type="button" className="primary" onClick={apply}>
              Apply fix
            </button>
            <button type="button" onClick={onClose}>
              Cancel
            </button>
          </div>
        </>
      )}
      {stage.kind === 'applying' && <p role="status">Applying…</p>}
      {stage.kind === 'applied' && (
        <>
          <p role={stage.result.applied ? 'status' : 'alert'}>{stage.result.message}</p>
          <VerifyLine check={stage.check} />
          <div className="actions">
            {stage.result.applied && stage.result.journalId && (
              <button type="button" onClick={() => undo(stage.result.journalId as string)}>
                Undo
              </button>
            )}
            <button type="button" className="primary" onClick={onClose}>
              Done
            </button>
          </div>
        </>
      )}
      {stage.kind === 'undone' && (
        <>
          <p role="status">{stage.message}</p>
          <button type="button" onClick={onClose}>
            Close
          </button>
        </>
      )}
      {stage.kind === 'error' && (
        <>
          <p role="alert" className="error-text">
            {stage.message}
          </p>
          <button type="button" onClick={onClose}>
            Close
          </button>
        </>
      )}
    </dialog>
  );
}

function VerifyLine({ check }: { check: Check }) {
  if (check.kind === 'none') return null;
  if (check.kind === 'running') return <p aria-live="polite">Checking again to confirm the fix worked…</p>;
  if (check.kind === 'failed') return <p className="error-text">The check after the fix could not run: {check.message}</p>;
  return <p className={check.outcome.ok ? 'ok-text' : 'warning-text'}>{check.outcome.message}</p>;
}

/** The preview with removed/added lines marked, so the change stands out (colour is not the only cue: -/+ stay). */
function Diff({ text }: { text: string }) {
  return (
    <pre className="diff" aria-label="Change preview" tabIndex={0}>
      {text.split('\n').map((line, i) => (
        <span key={i} className={line.startsWith('+') && !line.startsWith('+++') ? 'add' : line.startsWith('-') && !line.startsWith('---') ? 'del' : undefined}>
          {line}
          {'\n'}
        </span>
      ))}
    </pre>
  );
}
