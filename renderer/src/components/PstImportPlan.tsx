import { useId } from 'react';
import { ApiCallError, type Client } from '../api/bridge.ts';
import type { PstSection } from '../../../electron/pst/schema.ts';
import { DownloadButton } from './DownloadButton.tsx';

/** Microsoft takes at most this many rows per mapping CSV; the engine splits a larger plan into parts of this size. */
const ROWS_PER_CSV = 500;
const NAME = 'mailmedic-m365-import';
const TOO_LARGE =
  'this scan is too large to send to the local server. In a terminal, run the same scan with --import-csv FILE.csv (mailmedic pst scan PATHS --migration m365 --import-csv FILE.csv): it writes the same CSV files.';

/**
 * A readiness scan's Microsoft 365 import plan across all files: how many rows, what is still missing, and the
 * mapping CSV to download — one file, or one per 500 rows, as the CLI's --import-csv writes them.
 */
export function PstImportPlan({ section, scanned, client }: { section: PstSection & { migration: NonNullable<PstSection['migration']> }; scanned: string[]; client: Client }) {
  const id = useId();
  const { importPlan: plan, verdicts } = section.migration;
  const parts = Math.ceil(plan.rows / ROWS_PER_CSV);
  const csv = (part?: number) => async () => {
    try {
      return (await client.pstExport({ section, format: 'import-csv', paths: scanned, ...(part ? { part } : {}) })).text;
    } catch (e) {
      // The local server takes requests up to a size; the report of a large scan is sent whole and can exceed it.
      if (e instanceof ApiCallError && e.status === 413) throw new Error(TOO_LARGE, { cause: e });
      throw e;
    }
  };
  return (
    <section className="card" aria-labelledby={id}>
      <h3 id={id}>Microsoft 365 import plan</h3>
      <p>
        {plan.rows === 1 ? '1 file goes' : `${plan.rows} files go`} into the import plan
        {verdicts.blocked.files > 0 && `; ${verdicts.blocked.files} cannot be imported as ${verdicts.blocked.files === 1 ? 'it is' : 'they are'}`}. The mapping CSV
        tells the import which file goes to which mailbox.
      </p>
      {plan.rows === 0 && <p>There is nothing to import yet, so there is no mapping CSV.</p>}
      {plan.withoutMailbox.length > 0 && (
        <p className="warning-text">
          {plan.withoutMailbox.length === 1 ? '1 row has' : `${plan.withoutMailbox.length} rows have`} no mailbox: fill in the Mailbox column before you submit
          the CSV.
        </p>
      )}
      {plan.renames.length > 0 && (
        <p>
          Upload {plan.renames.length === 1 ? '1 file' : `${plan.renames.length} files`} under a new name (another file has the same name): see “upload it as”
          on {plan.renames.length === 1 ? 'its card' : 'their cards'}.
        </p>
      )}
      {plan.rows > 0 && (
        <p className="hint">FilePath is each file’s folder below the folder you scanned: upload the files keeping those folders.</p>
      )}
      {parts === 1 && (
        <div className="actions">
          <DownloadButton name={`${NAME}.csv`} type="text/csv" content={csv()}>
            Download the import mapping CSV
          </DownloadButton>
        </div>
      )}
      {parts > 1 && (
        <>
          <p>
            Microsoft takes at most {ROWS_PER_CSV} rows per mapping CSV, so the plan comes in {parts} files; each one is its own import job.
          </p>
          <ul className="plain" aria-label="Import mapping CSV files">
            {Array.from({ length: parts }, (_, i) => i + 1).map((k) => (
              <li key={k} className="row">
                <DownloadButton name={`${NAME}-${k}.csv`} type="text/csv" content={csv(k)}>
                  Download part {k} of {parts} (rows {(k - 1) * ROWS_PER_CSV + 1}–{Math.min(k * ROWS_PER_CSV, plan.rows)})
                </DownloadButton>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
