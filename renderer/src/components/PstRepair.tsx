import { useId, useState } from 'react';
import type { Client } from '../api/bridge.ts';
import { useCall } from '../api/use-call.ts';
import type { Progress } from '../../../electron/core/progress.ts';
import type { PstFileResult, PstSection } from '../../../electron/pst/schema.ts';
import { ProgressBar } from './ProgressBar.tsx';
import { DownloadButton } from './DownloadButton.tsx';
import { bytes, count, errorText } from '../format.ts';
import { SPLIT_GB, defaultRepairTarget, parseSplitGb, splitPartPath } from '../repair-target.ts';

type RepairResult = NonNullable<PstSection['repair']>;
type RepairItem = RepairResult['items'][number];

const MAX_ITEMS = 500;
/** What a run writes: the target, and the split size in GB (undefined: one file). */
type Plan = { out: string; splitGb: number | undefined };
const planKey = (p: Plan) => `${p.splitGb ?? ''}|${p.out}`;
const PST_FILTERS = [{ name: 'Outlook data file', extensions: ['pst'] }];
const ITEM_WORDS: Record<'partial' | 'lost', string> = { partial: 'Parts missing', lost: 'Lost' };

/** Plain words for the engine's phases: first the same check as a scan, then the copy item by item. */
function progressWords(p: Progress | null, name: string): Progress | null {
  if (!p) return null;
  if (p.phase === 'repair') return { ...p, detail: `Copying into the new file: ${p.done} of ${p.total ?? '?'} items` };
  return { ...p, detail: `Reading ${name} first to find what is damaged…` };
}

/**
 * "Repair into a new file": the target (default beside the source) and what exactly will happen, then progress (with
 * Stop), then the counts, the new file(s), and the items that did not come through whole. The original is only read;
 * an existing target is replaced only after the engine said it exists and the user ticked "Replace the existing file".
 * With a split size the new store is written as parts of at most that size, named like the engine names them.
 */
export function PstRepair({ file: f, client, name }: { file: PstFileResult; client: Client; name: string }) {
  const ids = useId();
  const [open, setOpen] = useState(false);
  const [out, setOut] = useState(() => defaultRepairTarget(f.path));
  const [splitText, setSplitText] = useState('');
  // The plan (target and split) of the last run; the one the engine said already exists; whether the user agreed to
  // replace exactly that.
  const [sent, setSent] = useState<Plan>({ out: '', splitGb: undefined });
  const [existing, setExisting] = useState<string | null>(null);
  const [replace, setReplace] = useState(false);
  const [pickError, setPickError] = useState<string | null>(null);
  const { state: call, start, cancel } = useCall(client, 'pstRepair');
  const target = out.trim();
  const split = parseSplitGb(splitText);
  const splitGb = split === 'invalid' ? undefined : split;
  const plan = planKey({ out: target, splitGb });
  const mayReplace = replace && existing === plan;
  const running = call.kind === 'running';
  const ready = target !== '' && split !== 'invalid';

  const run = async () => {
    if (!ready) return;
    setSent({ out: target, splitGb });
    const result = await start({ file: f.path, out: target, ...(splitGb !== undefined ? { splitGb } : {}), ...(mayReplace ? { force: true } : {}) });
    if (result) {
      setExisting(null);
      setReplace(false);
    }
  };
  const changeTarget = (value: string) => {
    setOut(value);
    setReplace(false);
  };
  const changeSplit = (value: string) => {
    setSplitText(value);
    setReplace(false);
  };
  // The desktop app asks with its own save dialog, starting at the current target; the browser has the field only.
  const saveAs = async () => {
    setPickError(null);
    try {
      const r = await client.pickPaths({ kind: 'save', title: 'Save the repaired file as…', defaultPath: target || defaultRepairTarget(f.path), filters: PST_FILTERS });
      if (r.paths[0]) changeTarget(r.paths[0]);
    } catch (e) {
      setPickError(errorText(e));
    }
  };

  const failed = call.kind === 'error' ? call.error : null;
  const cancelled = failed?.kind === 'cancelled';
  // The engine names this refusal by its kind: the new file's name is taken and replacing it was not asked for.
  const exists = failed?.kind === 'exists';
  // Remembered from the answer (not the field), so editing the name afterwards cannot turn a refusal into consent.
  if (exists && existing !== planKey(sent)) setExisting(planKey(sent));
  const several = splitGb !== undefined;

  return (
    <div className="repair">
      <button type="button" aria-expanded={open} aria-controls={`${ids}-panel`} onClick={() => setOpen(!open)}>
        Repair into a new file<span className="visually-hidden"> {name}</span>
      </button>
      {open && (
        <div id={`${ids}-panel`} className="repair-panel" role="group" aria-label={`Repair ${name} into a new file`}>
          <label htmlFor={`${ids}-out`}>New file</label>
          <div className="inline">
            <input
              id={`${ids}-out`}
              value={out}
              onChange={(e) => changeTarget(e.target.value)}
              readOnly={running}
              spellCheck={false}
              autoComplete="off"
              aria-describedby={`${ids}-preview`}
            />
            {client.desktop && (
              <button type="button" onClick={() => void saveAs()} disabled={running}>
                Save as…
              </button>
            )}
          </div>
          {pickError && (
            <p role="alert" className="error-text">
              Could not open the save dialog: {pickError}
            </p>
          )}
          <label htmlFor={`${ids}-split`} className="repair-split-label">
            Split into files of at most (GB, optional)
          </label>
          <input
            id={`${ids}-split`}
            className="repair-split"
            type="number"
            inputMode="decimal"
            min={SPLIT_GB.min}
            max={SPLIT_GB.max}
            step="any"
            value={splitText}
            onChange={(e) => changeSplit(e.target.value)}
            readOnly={running}
            aria-invalid={split === 'invalid'}
            aria-describedby={`${ids}-split-hint${split === 'invalid' ? ` ${ids}-split-error` : ''}`}
          />
          <p id={`${ids}-split-hint`} className="hint">
            Leave it empty for one file. Split when the file must fit a limit: a Microsoft 365 import takes at most 20 GB per file, and older ANSI files stop at 2
            GB.
          </p>
          {split === 'invalid' && (
            <p id={`${ids}-split-error`} className="error-text">
              Enter a size from {SPLIT_GB.min} to {SPLIT_GB.max} GB, or leave it empty for one file.
            </p>
          )}
          <div id={`${ids}-preview`} className="repair-preview">
            <p>
              This is exactly what will happen: everything that can be read from {name} is copied into{' '}
              {several ? (
                <>
                  new Outlook data files of at most {splitGb} GB each, as many as needed, in the same folder: <code>{splitPartPath(target || '(no file named)', 1)}</code>,{' '}
                  <code>{splitPartPath(target || '(no file named)', 2)}</code>, … (no message is split across files)
                </>
              ) : (
                <>
                  a new Outlook data file, <code>{target || '(no file named)'}</code>
                </>
              )}
              {f.kind === 'ost' ? `, which Outlook can open like any .pst file` : ''}. <strong>The original file is not changed.</strong>
            </p>
            {mayReplace && <p className="warning-text">{several ? 'Files with these names that are already there will be replaced.' : 'The file that is already there will be replaced.'}</p>}
          </div>
          {existing === plan && (
            <label className="check">
              <input type="checkbox" checked={replace} onChange={(e) => setReplace(e.target.checked)} disabled={running} />{' '}
              {several ? 'Replace the existing files' : 'Replace the existing file'}
            </label>
          )}
          <div className="actions">
            <button type="button" className="primary" onClick={() => void run()} disabled={!ready || running}>
              Start the repair<span className="visually-hidden"> of {name}</span>
            </button>
            {running && (
              <button type="button" onClick={cancel}>
                Stop the repair
              </button>
            )}
          </div>
          {running && <ProgressBar progress={progressWords(call.progress, name)} label={`Repair progress of ${name}`} />}
          {cancelled && <p role="status">The repair was stopped. The original file was not changed.</p>}
          {exists && sent.splitGb === undefined && (
            <p role="alert" className="error-text">
              A file named <code>{sent.out}</code> is already there, so nothing was written. Choose another name, or tick “Replace the existing file”.
            </p>
          )}
          {exists && sent.splitGb !== undefined && (
            <p role="alert" className="error-text">
              Files named <code>{splitPartPath(sent.out, 1)}</code>, <code>{splitPartPath(sent.out, 2)}</code>, … are already there, so nothing was written.
              Choose another name, or tick “Replace the existing files”.
            </p>
          )}
          {failed && !cancelled && !exists && (
            <p role="alert" className="error-text">
              The repair could not run: {failed.message}
            </p>
          )}
          {call.kind === 'done' && call.result.pst?.repair && (
            <RepairOutcome repair={call.result.pst.repair} section={call.result.pst} client={client} name={name} />
          )}
        </div>
      )}
    </div>
  );
}

/** A finished repair: counts, the new file(s) with "Show in folder", notes, and the partial and lost items. */
export function RepairOutcome({ repair: r, section, client, name }: { repair: RepairResult; section: PstSection; client: Client; name: string }) {
  const incomplete = r.items.filter((i): i is RepairItem & { status: 'partial' | 'lost' } => i.status === 'partial' || i.status === 'lost');
  const stem = name.replace(/\.(pst|ost)$/i, '');
  return (
    <div className="repair-result">
      <p role="status">
        Repair finished: {r.outputs.length === 1 ? 'a new file was written' : `${r.outputs.length} new files were written`}. The original file was not
        changed.
      </p>
      <dl className="repair-counts" aria-label={`Repair result of ${name}`}>
        <div>
          <dt>Copied whole</dt>
          <dd>{r.counts.kept}</dd>
        </div>
        <div>
          <dt>Copied with parts missing</dt>
          <dd>{r.counts.partial}</dd>
        </div>
        <div>
          <dt>Found again, put in “Lost and Found”</dt>
          <dd>{r.counts.recovered}</dd>
        </div>
        <div>
          <dt>Lost (could not be read)</dt>
          <dd>{r.counts.lost}</dd>
        </div>
      </dl>
      <ul className="plain" aria-label="New files">
        {r.outputs.map((o) => (
          <li key={o.path} className="row">
            <span>
              <code>{o.path}</code> · {bytes(o.bytes)} · {count(o.messages, 'message')} in {count(o.folders, 'folder')}
            </span>
            {client.desktop && (
              <button type="button" className="small" onClick={() => void client.revealPath({ path: o.path }).catch(() => undefined)}>
                Show in folder<span className="visually-hidden"> {o.path}</span>
              </button>
            )}
          </li>
        ))}
      </ul>
      <p className="hint">Open the new file in Outlook (File › Open &amp; Export › Open Outlook Data File) and check your mail there before you remove the old file.</p>
      {r.notes.length > 0 && (
        <details>
          <summary>Notes ({r.notes.length})</summary>
          <ul>
            {r.notes.map((n, i) => (
              <li key={i}>{n}</li>
            ))}
          </ul>
        </details>
      )}
      {incomplete.length > 0 && (
        <details open>
          <summary>Items not copied whole ({incomplete.length})</summary>
          <ul className="damaged-items" tabIndex={0} aria-label={`Items not copied whole from ${name}`}>
            {incomplete.slice(0, MAX_ITEMS).map((it, i) => (
              <li key={`${it.id}-${i}`}>
                <span className={`badge badge-${it.status === 'lost' ? 'error' : 'warning'}`}>{ITEM_WORDS[it.status]}</span> {it.folder} / {it.subject || '(no subject)'}
                {it.sender ? ` · from ${it.sender}` : ''}
                {it.date ? ` · ${it.date}` : ''} <span className="muted">— {it.detail}</span>
              </li>
            ))}
          </ul>
          {incomplete.length > MAX_ITEMS && <p>…and {incomplete.length - MAX_ITEMS} more (see the item list).</p>}
        </details>
      )}
      {r.items.length > 0 && (
        <div className="actions">
          <DownloadButton name={`${stem}-repair-items.csv`} type="text/csv" content={async () => (await client.pstExport({ section, format: 'repair-csv' })).text}>
            Download the item list (CSV)
          </DownloadButton>
        </div>
      )}
    </div>
  );
}
