import { useId, useState } from 'react';
import type { Client } from '../api/bridge.ts';
import { useCall } from '../api/use-call.ts';
import { ProgressBar } from '../components/ProgressBar.tsx';
import { FindingList } from '../components/FindingCard.tsx';
import { PstFileCard } from '../components/PstFileCard.tsx';
import { DownloadButton } from '../components/DownloadButton.tsx';
import { PstImportPlan } from '../components/PstImportPlan.tsx';
import { errorText } from '../format.ts';
import { ScreenTitle } from './ScreenTitle.tsx';

const MAX_PATHS = 1000;

export function Pst({ client, onFix }: { client: Client; onFix: (id: string) => void }) {
  const [text, setText] = useState('');
  const [deep, setDeep] = useState(false);
  const [migration, setMigration] = useState(false);
  const { state: scan, start, cancel } = useCall(client, 'pstScan');
  const [note, setNote] = useState<string | null>(null);
  // The paths the last scan was given: the import mapping CSV names each file's folder below them.
  const [scanned, setScanned] = useState<string[]>([]);
  const ids = useId();
  const paths = text.split('\n').map((l) => l.trim()).filter(Boolean);

  const addPaths = (more: string[]) => setText((t) => [...new Set([...t.split('\n').map((l) => l.trim()).filter(Boolean), ...more])].join('\n'));

  const findMine = async () => {
    setNote('Looking in your mail accounts…');
    try {
      const r = await client.accounts({});
      const files = [...new Set((r.accounts ?? []).flatMap((a) => a.dataFiles).filter((f) => /\.(pst|ost)$/i.test(f)))];
      addPaths(files);
      setNote(files.length ? `Found ${files.length} data file${files.length === 1 ? '' : 's'}.` : 'No Outlook data files are listed in your accounts. Type a file or folder instead.');
    } catch (e) {
      setNote(`Could not look: ${errorText(e)}`);
    }
  };

  const pick = async (kind: 'files' | 'folder') => {
    try {
      addPaths((await client.pickPaths({ kind })).paths);
    } catch (e) {
      setNote(errorText(e));
    }
  };

  const run = () => {
    if (paths.length === 0) return;
    const sent = paths.slice(0, MAX_PATHS);
    setScanned(sent);
    void start({ paths: sent, deep, ...(migration ? { migration: 'm365' as const } : {}) });
  };

  const cancelled = scan.kind === 'error' && scan.error.kind === 'cancelled';
  const section = scan.kind === 'done' ? scan.result.pst : undefined;
  return (
    <section aria-labelledby="pst-title">
      <ScreenTitle id="pst-title" intro="Checks Outlook data files (.pst, .ost) for damage without changing them, lists the damaged items, saves what can be read, and repairs a damaged file into a new one.">
        PST files
      </ScreenTitle>
      <div className="card form">
        <div className="field">
          <label htmlFor={`${ids}-paths`}>Files or folders to check (one per line)</label>
          <textarea id={`${ids}-paths`} rows={4} value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} aria-describedby={`${ids}-paths-hint`} />
          <p id={`${ids}-paths-hint`} className="hint">
            Folders are searched for .pst and .ost files.
          </p>
        </div>
        <div className="actions">
          <button type="button" onClick={findMine}>
            Find my Outlook data files
          </button>
          {client.desktop && (
            <>
              <button type="button" onClick={() => pick('files')}>
                Choose files…
              </button>
              <button type="button" onClick={() => pick('folder')}>
                Choose a folder…
              </button>
            </>
          )}
        </div>
        {note && <p aria-live="polite">{note}</p>}
        <label className="check">
          <input type="checkbox" checked={deep} onChange={(e) => setDeep(e.target.checked)} /> Deep scan (reads every message; slower)
        </label>
        <label className="check">
          <input type="checkbox" checked={migration} onChange={(e) => setMigration(e.target.checked)} /> Check readiness for a Microsoft 365 import (owners,
          duplicates, import rules)
        </label>
        <div className="actions">
          <button type="button" className="primary" onClick={run} disabled={paths.length === 0 || scan.kind === 'running'}>
            Scan
          </button>
          {scan.kind === 'running' && (
            <button type="button" onClick={cancel}>
              Cancel
            </button>
          )}
        </div>
      </div>
      {scan.kind === 'running' && <ProgressBar progress={scan.progress} label="Scan progress" />}
      {cancelled && <p role="status">The scan was cancelled. Nothing was changed.</p>}
      {scan.kind === 'error' && !cancelled && (
        <p role="alert" className="error-text">
          The scan could not run: {scan.error.message}
        </p>
      )}
      {section && section.files.length === 0 && <p className="empty">No .pst or .ost files were found there.</p>}
      {section && section.files.length > 0 && (
        <>
          <div className="actions">
            <DownloadButton name="mailmedic-pst-report.html" type="text/html" content={async () => (await client.pstExport({ section, format: 'html' })).text}>
              Export report (HTML)
            </DownloadButton>
            <DownloadButton name="mailmedic-pst-report.csv" type="text/csv" content={async () => (await client.pstExport({ section, format: 'csv' })).text}>
              Export report (CSV)
            </DownloadButton>
          </div>
          {section.migration && <PstImportPlan section={{ ...section, migration: section.migration }} scanned={scanned} client={client} />}
          {section.files.map((f) => (
            <PstFileCard key={f.path} file={f} client={client} />
          ))}
        </>
      )}
      {scan.kind === 'done' && scan.result.findings.length > 0 && (
        <>
          <h3 className="section-title">Findings</h3>
          <FindingList findings={scan.result.findings} onFix={onFix} label="PST findings" />
        </>
      )}
    </section>
  );
}
