import { useCallback, useEffect, useState } from 'react';
import type { Client } from '../api/bridge.ts';
import type { ResponseOf } from '../../../electron/contract/api.ts';
import { errorText } from '../format.ts';
import { ScreenTitle } from './ScreenTitle.tsx';

type Load<T> = { kind: 'loading' } | { kind: 'done'; value: T } | { kind: 'error'; message: string };
type History = ResponseOf<'fixHistory'>['entries'];
type Available = ResponseOf<'fixList'>['fixes'];

const STATE_WORDS: Record<History[number]['state'], string> = { applied: 'Applied', undone: 'Undone', failed: 'Failed, nothing changed', pending: 'Interrupted' };

/** Fixes that apply now (each opens the preview → apply → verify dialog) and the history of applied fixes with Undo. */
export function Fixes({ client, onFix, version, onChanged }: { client: Client; onFix: (id: string) => void; version: number; onChanged: () => void }) {
  const [available, setAvailable] = useState<Load<Available>>({ kind: 'loading' });
  const [history, setHistory] = useState<Load<History>>({ kind: 'loading' });
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  const refresh = useCallback(() => {
    client.fixList({}).then(
      (r) => setAvailable({ kind: 'done', value: r.fixes }),
      (e: unknown) => setAvailable({ kind: 'error', message: errorText(e) }),
    );
    client.fixHistory({}).then(
      (r) => setHistory({ kind: 'done', value: r.entries }),
      (e: unknown) => setHistory({ kind: 'error', message: errorText(e) }),
    );
  }, [client]);
  useEffect(refresh, [refresh, version]);

  const undo = async (journalId: string) => {
    try {
      const r = await client.undo({ journalId });
      setMessage({ ok: true, text: r.message });
      onChanged();
    } catch (e) {
      setMessage({ ok: false, text: `Not undone: ${errorText(e)}` });
    }
  };

  return (
    <section aria-labelledby="fixes-title">
      <ScreenTitle id="fixes-title" intro="Every fix shows the exact change first, keeps a backup, and can be undone.">
        Fixes
      </ScreenTitle>
      {message && (
        <p role={message.ok ? 'status' : 'alert'} className={message.ok ? 'ok-text' : 'error-text'}>
          {message.text}
        </p>
      )}
      <h3 className="section-title">Fixes you can apply</h3>
      {available.kind === 'loading' && <p>Looking for fixes…</p>}
      {available.kind === 'error' && <p className="error-text">Could not list the fixes: {available.message}</p>}
      {available.kind === 'done' &&
        (available.value.length === 0 ? (
          <p className="empty">No fixes apply to your settings right now.</p>
        ) : (
          <ul className="plain" aria-label="Fixes you can apply">
            {available.value.map((f) => (
              <li key={f.id} className="row">
                <span>{f.title}</span>
                <button type="button" onClick={() => onFix(f.id)}>
                  Preview<span className="visually-hidden"> {f.title}</span>
                </button>
              </li>
            ))}
          </ul>
        ))}
      <h3 className="section-title">History</h3>
      {history.kind === 'loading' && <p>Reading the history…</p>}
      {history.kind === 'error' && <p className="error-text">Could not read the history: {history.message}</p>}
      {history.kind === 'done' &&
        (history.value.length === 0 ? (
          <p className="empty">No fixes have been applied yet.</p>
        ) : (
          <div className="table-wrap">
            <table aria-label="Fix history">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Fix</th>
                  <th scope="col">Changed</th>
                  <th scope="col">State</th>
                  <th scope="col">
                    <span className="visually-hidden">Action</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {history.value.map((h) => (
                  <tr key={h.journalId}>
                    <td>{new Date(h.createdAt).toLocaleString()}</td>
                    <th scope="row">{h.title}</th>
                    <td>
                      {h.targets.map((t) => (
                        <code key={t} className="block">
                          {t}
                        </code>
                      ))}
                    </td>
                    <td>{STATE_WORDS[h.state]}</td>
                    <td>
                      {(h.state === 'applied' || h.state === 'pending') && (
                        <button type="button" onClick={() => undo(h.journalId)}>
                          Undo<span className="visually-hidden"> {h.title}</span>
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
    </section>
  );
}
