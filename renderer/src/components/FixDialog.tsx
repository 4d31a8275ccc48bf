import { useEffect, useRef, useState } from 'react';
import type { Client } from '../api/bridge.ts';
import type { ResponseOf } from '../../../electron/contract/api.ts';

type Stage =
  | { kind: 'loading' }
  | { kind: 'preview'; preview: ResponseOf<'fixPreview'> }
  | { kind: 'applying' }
  | { kind: 'applied'; result: ResponseOf<'fixApply'> }
  | { kind: 'undone'; message: string }
  | { kind: 'error'; message: string };

/** Preview (the exact change) → confirm → apply → undo. Nothing is written before the user confirms. */
export function FixDialog({ client, fixId, onClose, onChanged }: { client: Client; fixId: string; onClose: () => void; onChanged: () => void }) {
  const [stage, setStage] = useState<Stage>({ kind: 'loading' });
  const ref = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal?.();
    client
      .fixPreview({ id: fixId })
      .then((preview) => setStage({ kind: 'preview', preview }))
      .catch((e: Error) => setStage({ kind: 'error', message: e.message }));
  }, [client, fixId]);

  const apply = async () => {
    setStage({ kind: 'applying' });
    try {
      const result = await client.fixApply({ id: fixId });
      setStage({ kind: 'applied', result });
      onChanged();
    } catch (e) {
      setStage({ kind: 'error', message: (e as Error).message });
    }
  };
  const undo = async (journalId: string) => {
    try {
      const r = await client.undo({ journalId });
      setStage({ kind: 'undone', message: r.message });
      onChanged();
    } catch (e) {
      setStage({ kind: 'error', message: (e as Error).message });
    }
  };

  return (
    <dialog ref={ref} className="fix-dialog" aria-labelledby="fix-title" onClose={onClose}>
      <h2 id="fix-title">{stage.kind === 'preview' ? stage.preview.title : 'Fix'}</h2>
      {stage.kind === 'loading' && <p>Preparing the change…</p>}
      {stage.kind === 'preview' && (
        <>
          <p>This is exactly what will change. A backup is kept, and you can undo it.</p>
          <pre className="diff" aria-label="Change preview">{stage.preview.preview}</pre>
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
          <p role="status">{stage.result.message}</p>
          <div className="actions">
            {stage.result.journalId && (
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
          <p role="alert">{stage.message}</p>
          <button type="button" onClick={onClose}>
            Close
          </button>
        </>
      )}
    </dialog>
  );
}
