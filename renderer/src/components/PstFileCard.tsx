import { useId, useState } from 'react';
import type { Client } from '../api/bridge.ts';
import { useCall } from '../api/use-call.ts';
import type { PstFileResult } from '../../../electron/pst/schema.ts';
import { ProgressBar } from './ProgressBar.tsx';
import { bytes, errorText } from '../format.ts';
import { PstMigration } from './PstMigration.tsx';
import { PstRepair } from './PstRepair.tsx';

const STATUS_WORDS: Record<PstFileResult['status'], string> = { ok: 'No damage found', damaged: 'Damaged', unreadable: 'Cannot be read' };
const MAX_ITEMS = 500;

/** One data file: status, counts, damaged items (folder / subject / date), salvage to a folder, and repair into a new file. */
export function PstFileCard({ file: f, client }: { file: PstFileResult; client: Client }) {
  const ids = useId();
  const [out, setOut] = useState('');
  const { state: call, start } = useCall(client, 'pstSalvage');
  // The folder the last salvage went to, and a picker failure (shown in the salvage's place until the next salvage).
  const [savedTo, setSavedTo] = useState('');
  const [pickError, setPickError] = useState<string | null>(null);
  const salvage = pickError === null ? call : ({ kind: 'error', error: { message: pickError } } as const);
  const items = f.problems.flatMap((p) => p.affects.map((a) => ({ item: a, why: p.detail })));
  const name = f.path.split(/[\\/]/).pop() ?? f.path;

  const runSalvage = () => {
    const dir = out.trim();
    if (!dir) return;
    setPickError(null);
    setSavedTo(dir);
    void start({ file: f.path, out: dir });
  };
  const pickOut = async () => {
    try {
      const r = await client.pickPaths({ kind: 'folder', title: 'Save the salvaged mail to…' });
      if (r.paths[0]) setOut(r.paths[0]);
    } catch (e) {
      setPickError(errorText(e));
    }
  };

  return (
    <article className={`card pst-${f.status}`} aria-labelledby={`${ids}-h`}>
      <h3 id={`${ids}-h`}>
        {name} <span className={`badge badge-${f.status === 'ok' ? 'ok' : 'error'}`}>{STATUS_WORDS[f.status]}</span>
      </h3>
      <p className="meta">
        <code>{f.path}</code> · {bytes(f.bytes)}
        {f.format ? ` · ${f.format === 'ansi' ? 'old ANSI format (2 GB limit)' : 'Unicode format'}` : ''}
        {f.kind ? ` · ${f.kind.toUpperCase()}` : ''}
        {f.passwordProtected ? ' · password protected' : ''}
      </p>
      {client.desktop && (
        <button type="button" className="small" onClick={() => void client.revealPath({ path: f.path }).catch(() => undefined)}>
          Show in folder<span className="visually-hidden"> {name}</span>
        </button>
      )}
      <p>
        {f.counts.folders} folders · {f.counts.messages} messages · {f.counts.attachments} attachments · {f.counts.damagedItems} damaged items
      </p>
      {f.migration && <PstMigration migration={f.migration} name={name} />}
      {items.length > 0 && (
        <details open>
          <summary>Damaged items ({items.length})</summary>
          <ul className="damaged-items" tabIndex={0} aria-label={`Damaged items in ${name}`}>
            {items.slice(0, MAX_ITEMS).map((it, i) => (
              <li key={i}>
                {it.item} <span className="muted">— {it.why}</span>
              </li>
            ))}
          </ul>
          {items.length > MAX_ITEMS && <p>…and {items.length - MAX_ITEMS} more (see the exported report).</p>}
        </details>
      )}
      {f.problems.length > 0 && (
        <details>
          <summary>Technical details ({f.problems.length} problems)</summary>
          <ul>
            {f.problems.map((p, i) => (
              <li key={i}>
                <strong>{p.structure}</strong>
                {p.offset !== null ? ` at byte ${p.offset}` : ''}: {p.detail}
              </li>
            ))}
          </ul>
        </details>
      )}
      {f.status !== 'unreadable' && (
        <div className="salvage">
          <label htmlFor={`${ids}-out`}>Save readable mail to folder</label>
          <div className="inline">
            <input id={`${ids}-out`} value={out} onChange={(e) => setOut(e.target.value)} spellCheck={false} autoComplete="off" />
            {client.desktop && (
              <button type="button" onClick={pickOut}>
                Choose…
              </button>
            )}
            <button type="button" onClick={runSalvage} disabled={!out.trim() || salvage.kind === 'running'}>
              Salvage<span className="visually-hidden"> {name}</span>
            </button>
          </div>
          {salvage.kind === 'running' && <ProgressBar progress={salvage.progress} label={`Salvage progress of ${name}`} />}
          {salvage.kind === 'done' && (
            <>
              <p role="status">
                Saved to {savedTo}. {salvage.result.findings.map((x) => x.title).join(' ')}
              </p>
              {client.desktop && (
                <button type="button" className="small" onClick={() => void client.revealPath({ path: savedTo }).catch(() => undefined)}>
                  Show the saved mail
                </button>
              )}
            </>
          )}
          {salvage.kind === 'error' && (
            <p role="alert" className="error-text">
              Salvage failed: {salvage.error.message}
            </p>
          )}
        </div>
      )}
      {f.status !== 'unreadable' && <PstRepair file={f} client={client} name={name} />}
    </article>
  );
}
