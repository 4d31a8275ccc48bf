// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { Pst } from '../../../renderer/src/screens/Pst.tsx';
import { deferred, fakeClient } from './fake-client.ts';
import { ApiCallError } from '../../../renderer/src/api/bridge.ts';
import { account, damagedPst, okPst, report } from './reports.ts';
import type { Report } from '../../../electron/contract/report.ts';
import { sectionToCsv, sectionToHtml } from '../../../electron/pst/export.ts';
import { importCsvPart } from '../../../electron/engine/migration/export.ts';
import type { PstFileResult, PstSection } from '../../../electron/pst/schema.ts';

afterEach(cleanup);
const noFix = () => {};
const pathsBox = () => screen.getByLabelText('Files or folders to check (one per line)') as HTMLTextAreaElement;

describe('PST files', () => {
  it('scan with progress → per-file status and the damaged items (folder / subject / date); export links', async () => {
    const pending = deferred<Report>();
    const client = fakeClient(
      // Export is the pst domain's own writer, behind the contract as in the app.
      { pstScan: () => pending.promise, pstExport: (req) => ({ text: req.format === 'csv' ? sectionToCsv(req.section) : sectionToHtml(req.section) }) },
      { progress: [{ phase: 'scan', done: 512, total: 1024, unit: 'bytes', detail: 'old.pst: checking blocks' }] },
    );
    render(<Pst client={client} onFix={noFix} />);
    expect((screen.getByRole('button', { name: 'Scan' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(pathsBox(), { target: { value: '/data/mail\n\n  /data/other.pst  ' } });
    fireEvent.click(screen.getByLabelText(/Deep scan/));
    fireEvent.click(screen.getByRole('button', { name: 'Scan' }));
    expect(await screen.findByText('old.pst: checking blocks')).toBeTruthy();
    expect(screen.getByRole('progressbar', { name: 'Scan progress' }).getAttribute('aria-valuenow')).toBe('50');
    expect(client.calls[0]).toEqual({ method: 'pstScan', request: { paths: ['/data/mail', '/data/other.pst'], deep: true } });
    expect(client.calls).toHaveLength(1);

    pending.resolve(report('pst scan', [], { pst: { files: [damagedPst, okPst] } }));
    const damaged = await screen.findByRole('article', { name: /old\.pst/ });
    expect(within(damaged).getByText('Damaged')).toBeTruthy();
    const items = within(damaged).getByRole('list', { name: 'Damaged items in old.pst' });
    expect(within(items).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      'Inbox/Q3 budget (2024-03-12) — block CRC mismatch',
      'Inbox/Re: lunch (2024-03-13) — block CRC mismatch',
    ]);
    expect(within(screen.getByRole('article', { name: /new\.pst/ })).getByText('No damage found')).toBeTruthy();
    // Export: the file handed to the browser is the pst domain's CSV/HTML of exactly these results.
    const blobs: Blob[] = [];
    const create = vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => (blobs.push(b as Blob), 'blob:x'));
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
    fireEvent.click(screen.getByRole('button', { name: 'Export report (CSV)' }));
    await waitFor(() => expect(create).toHaveBeenCalledTimes(1));
    fireEvent.click(screen.getByRole('button', { name: 'Export report (HTML)' }));
    await waitFor(() => expect(create).toHaveBeenCalledTimes(2));
    const [csv, html] = await Promise.all(blobs.map((b) => b.text()));
    expect(csv.split(/\r?\n/)[1]).toMatch(/^\/data\/mail\/old\.pst,271360,unicode,pst,permute,false,damaged,4,12,2,2,1,/);
    expect(html).toContain('Inbox/Q3 budget (2024-03-12)');
    vi.restoreAllMocks();
    // Not the desktop app: no native pickers, no "show in folder".
    expect(screen.queryByRole('button', { name: /Choose/ })).toBeNull();
    expect(screen.queryByRole('button', { name: /Show in folder/ })).toBeNull();
  });

  it('cancel stops waiting, aborts the request and says nothing was changed', async () => {
    let seen: AbortSignal | undefined;
    const client = fakeClient({
      pstScan: (_req, signal) => {
        seen = signal;
        return new Promise((_res, rej) => signal?.addEventListener('abort', () => rej(new Error('aborted'))));
      },
    });
    render(<Pst client={client} onFix={noFix} />);
    fireEvent.change(pathsBox(), { target: { value: '/data/mail' } });
    fireEvent.click(screen.getByRole('button', { name: 'Scan' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Cancel' }));
    expect((await screen.findByRole('status')).textContent).toBe('The scan was cancelled. Nothing was changed.');
    expect(seen?.aborted).toBe(true);
  });

  it('"find my Outlook data files" fills the list from the accounts; none found says so; errors are alerts', async () => {
    const client = fakeClient({
      accounts: () => report('accounts', [], { accounts: [account, { ...account, id: 'x', dataFiles: ['/home/sam/Outlook/archive.pst', '/home/sam/notes.txt'] }] }),
      pstScan: () => Promise.reject(new Error('no such file: /home/sam/Outlook/archive.pst')),
    });
    render(<Pst client={client} onFix={noFix} />);
    fireEvent.click(screen.getByRole('button', { name: 'Find my Outlook data files' }));
    expect(await screen.findByText('Found 1 data file.')).toBeTruthy();
    expect(pathsBox().value).toBe('/home/sam/Outlook/archive.pst');
    fireEvent.click(screen.getByRole('button', { name: 'Scan' }));
    expect((await screen.findByRole('alert')).textContent).toBe('The scan could not run: no such file: /home/sam/Outlook/archive.pst');

    cleanup();
    render(<Pst client={fakeClient({ accounts: () => report('accounts', [], { accounts: [] }) })} onFix={noFix} />);
    fireEvent.click(screen.getByRole('button', { name: 'Find my Outlook data files' }));
    expect(await screen.findByText(/No Outlook data files are listed/)).toBeTruthy();
  });

  it('a folder without data files is an empty state', async () => {
    render(<Pst client={fakeClient({ pstScan: () => report('pst scan', [], { pst: { files: [] } }) })} onFix={noFix} />);
    fireEvent.change(pathsBox(), { target: { value: '/empty' } });
    fireEvent.click(screen.getByRole('button', { name: 'Scan' }));
    expect(await screen.findByText('No .pst or .ost files were found there.')).toBeTruthy();
  });

  it('salvage to a folder with progress; in the desktop app the pickers fill the fields', async () => {
    const client = fakeClient(
      {
        pstScan: () => report('pst scan', [], { pst: { files: [damagedPst] } }),
        pickPaths: (req) => ({ paths: req.kind === 'folder' ? ['/rescued'] : ['/data/a.pst', '/data/b.ost'] }),
        pstSalvage: () => report('pst salvage', [{ id: 'pst.salvaged', area: 'pst', severity: 'info', title: '10 of 12 messages saved.', detail: '', evidence: {}, fixes: [] }]),
        revealPath: () => ({ shown: true }),
      },
      { desktop: true },
    );
    render(<Pst client={client} onFix={noFix} />);
    fireEvent.click(screen.getByRole('button', { name: 'Choose files…' }));
    await waitFor(() => expect(pathsBox().value).toBe('/data/a.pst\n/data/b.ost'));
    fireEvent.click(screen.getByRole('button', { name: 'Scan' }));
    const card = await screen.findByRole('article', { name: /old\.pst/ });
    fireEvent.click(within(card).getByRole('button', { name: 'Show in folder old.pst' }));
    fireEvent.click(within(card).getByRole('button', { name: 'Choose…' }));
    await waitFor(() => expect((within(card).getByLabelText('Save readable mail to folder') as HTMLInputElement).value).toBe('/rescued'));
    fireEvent.click(within(card).getByRole('button', { name: 'Salvage old.pst' }));
    expect((await within(card).findByRole('status')).textContent).toBe('Saved to /rescued. 10 of 12 messages saved.');
    expect(client.calls.map((c) => c.method)).toEqual(['pickPaths', 'pstScan', 'revealPath', 'pickPaths', 'pstSalvage']);
    expect(client.calls.at(-1)?.request).toEqual({ file: '/data/mail/old.pst', out: '/rescued' });
    fireEvent.click(within(card).getByRole('button', { name: 'Show the saved mail' }));
    await waitFor(() => expect(client.calls.at(-1)).toEqual({ method: 'revealPath', request: { path: '/rescued' } }));
  });
});

describe('PST export errors', () => {
  it('an export that fails says so and leaves the results in place', async () => {
    const client = fakeClient({ pstScan: () => report('pst scan', [], { pst: { files: [okPst] } }), pstExport: () => Promise.reject(new Error('request body too large')) });
    render(<Pst client={client} onFix={noFix} />);
    fireEvent.change(pathsBox(), { target: { value: '/data' } });
    fireEvent.click(screen.getByRole('button', { name: 'Scan' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Export report (HTML)' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Could not export: request body too large');
    expect(screen.getByRole('article', { name: /new\.pst/ })).toBeTruthy();
  });
});

describe('Microsoft 365 import readiness', () => {
  it('the readiness box asks for --migration m365; each card shows the verdict, owner, mailbox, upload name and reasons with items', async () => {
    const attention = {
      ...damagedPst,
      migration: {
        verdict: 'needs-attention' as const,
        reasons: [{ rule: 'item-over-150mb' as const, detail: '1 item(s) over 150 MB will be skipped by the import.', items: [{ folder: 'Inbox', subject: 'video', bytes: 160 * 1024 ** 2 }] }],
        owner: { guess: 'jane@contoso.com', confidence: 'high' as const, sources: [] },
        mailbox: { address: 'jane@contoso.com', source: 'owner' as const },
        importName: 'mail-old.pst',
      },
    };
    const client = fakeClient({ pstScan: () => report('pst scan', [], { pst: { files: [attention, okPst] } }) });
    render(<Pst client={client} onFix={noFix} />);
    fireEvent.change(pathsBox(), { target: { value: '/data/mail' } });
    fireEvent.click(screen.getByLabelText(/Check readiness for a Microsoft 365 import/));
    fireEvent.click(screen.getByRole('button', { name: 'Scan' }));
    const card = await screen.findByRole('article', { name: /old\.pst/ });
    expect(client.calls[0]).toEqual({ method: 'pstScan', request: { paths: ['/data/mail'], deep: false, migration: 'm365' } });
    expect(within(card).getByText('Needs attention')).toBeTruthy();
    expect(within(card).getByText(/owner jane@contoso\.com \(high confidence\) · goes to jane@contoso\.com · upload it as mail-old\.pst/)).toBeTruthy();
    const reasons = within(card).getByRole('list', { name: 'Import readiness of old.pst' });
    expect(reasons.textContent).toBe('item-over-150mb: 1 item(s) over 150 MB will be skipped by the import.Inbox / video (160.0 MB)');
    // A plain scan's cards have no readiness part.
    expect(within(screen.getByRole('article', { name: /new\.pst/ })).queryByText(/Microsoft 365 import/)).toBeNull();
  });

  // A readiness scan's files and summary as the engine writes them; the mapping CSV comes from the engine's own export.
  const ready = (f: PstFileResult, importName: string | null, mailbox: string | null): PstFileResult => ({
    ...f,
    migration: {
      verdict: importName ? 'ready' : 'blocked',
      reasons: importName ? [] : [{ rule: 'ost', detail: 'An OST cannot be imported.' }],
      owner: { guess: mailbox, confidence: mailbox ? 'high' : null, sources: [] },
      mailbox: mailbox ? { address: mailbox, source: 'owner' } : null,
      importName,
    },
  });
  const readinessReport = (files: PstFileResult[], plan: Partial<NonNullable<PstSection['migration']>['importPlan']> = {}): Report => {
    const rows = files.filter((f) => f.migration?.importName).length;
    const blocked = files.length - rows;
    return report('pst scan', [], {
      pst: {
        files,
        migration: {
          target: 'm365',
          verdicts: { ready: { files: rows, bytes: 0 }, 'needs-attention': { files: 0, bytes: 0 }, blocked: { files: blocked, bytes: 0 } },
          ownerless: [],
          duplicates: [],
          nameClashes: [],
          importPlan: { rows, csvFiles: [], renames: [], withoutMailbox: [], ...plan },
        },
      },
    });
  };
  const exportClient = (r: Report) =>
    fakeClient({ pstScan: () => r, pstExport: (req) => ({ text: importCsvPart(req.section, req.paths ?? [], req.part) }) });
  async function scanForReadiness(client: ReturnType<typeof fakeClient>, paths: string) {
    render(<Pst client={client} onFix={noFix} />);
    fireEvent.change(pathsBox(), { target: { value: paths } });
    fireEvent.click(screen.getByLabelText(/Check readiness for a Microsoft 365 import/));
    fireEvent.click(screen.getByRole('button', { name: 'Scan' }));
    return screen.findByRole('region', { name: 'Microsoft 365 import plan' });
  }
  /** Clicks a download button; returns the file name and text the browser was handed. */
  async function download(button: HTMLElement): Promise<{ name: string; text: string }> {
    let blob: Blob | undefined;
    let name = '';
    vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => ((blob = b as Blob), 'blob:x'));
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      name = this.download;
    });
    fireEvent.click(button);
    await waitFor(() => expect(blob).toBeDefined());
    vi.restoreAllMocks();
    return { name, text: await blob!.text() };
  }

  it('the import plan: what is missing, and the mapping CSV of exactly the scanned paths', async () => {
    const files = [
      ready({ ...damagedPst, path: '/data/mail/jane/old.pst' }, 'jane-old.pst', 'jane@contoso.com'),
      ready({ ...okPst, path: '/data/mail/new.pst' }, 'new.pst', null),
      ready({ ...okPst, path: '/data/mail/cache.ost', kind: 'ost' }, null, null),
    ];
    const client = exportClient(readinessReport(files, { renames: [{ path: '/data/mail/jane/old.pst', name: 'old.pst', as: 'jane-old.pst' }], withoutMailbox: ['/data/mail/new.pst'] }));
    const plan = await scanForReadiness(client, '/data/mail');
    expect([...plan.querySelectorAll('p')].map((p) => p.textContent)).toEqual([
      '2 files go into the import plan; 1 cannot be imported as it is. The mapping CSV tells the import which file goes to which mailbox.',
      '1 row has no mailbox: fill in the Mailbox column before you submit the CSV.',
      'Upload 1 file under a new name (another file has the same name): see “upload it as” on its card.',
      'FilePath is each file’s folder below the folder you scanned: upload the files keeping those folders.',
    ]);
    const csv = await download(within(plan).getByRole('button', { name: 'Download the import mapping CSV' }));
    expect(client.calls.at(-1)).toMatchObject({ method: 'pstExport', request: { format: 'import-csv', paths: ['/data/mail'] } });
    expect(csv.name).toBe('mailmedic-m365-import.csv');
    expect(csv.text.split('\r\n')).toEqual([
      'Workload,FilePath,Name,Mailbox,IsArchive,TargetRootFolder,ContentCodePage,SPFileContainer,SPManifestContainer,SPSiteUrl',
      'Exchange,jane,jane-old.pst,jane@contoso.com,FALSE,,,,,',
      'Exchange,,new.pst,,FALSE,,,,,',
      '',
    ]);
  });

  it('more than 500 rows: one download per part of at most 500 rows, named as the CLI names them', async () => {
    const files = Array.from({ length: 501 }, (_, i) => ready({ ...okPst, path: `/share/u${Math.floor(i / 100)}/p${i}.pst` }, `p${i}.pst`, 'it@contoso.com'));
    const client = exportClient(readinessReport(files));
    const plan = await scanForReadiness(client, '/share');
    expect(plan.querySelector('p')?.textContent).toBe('501 files go into the import plan. The mapping CSV tells the import which file goes to which mailbox.');
    expect(within(plan).getByText('Microsoft takes at most 500 rows per mapping CSV, so the plan comes in 2 files; each one is its own import job.')).toBeTruthy();
    const buttons = within(within(plan).getByRole('list', { name: 'Import mapping CSV files' })).getAllByRole('button');
    expect(buttons.map((b) => b.textContent)).toEqual(['Download part 1 of 2 (rows 1–500)', 'Download part 2 of 2 (rows 501–501)']);
    expect(within(plan).queryByRole('button', { name: 'Download the import mapping CSV' })).toBeNull();
    const second = await download(buttons[1]!);
    expect(client.calls.at(-1)).toMatchObject({ method: 'pstExport', request: { format: 'import-csv', paths: ['/share'], part: 2 } });
    expect(second.name).toBe('mailmedic-m365-import-2.csv');
    expect(second.text.split('\r\n').slice(1)).toEqual(['Exchange,u5,p500.pst,it@contoso.com,FALSE,,,,,', '']);
    const first = await download(buttons[0]!);
    expect(first.name).toBe('mailmedic-m365-import-1.csv');
    expect(first.text.trim().split('\r\n')).toHaveLength(501);
  });

  it('a report too large for the local server to take: the CLI that writes the same files is named', async () => {
    const r = readinessReport([ready({ ...okPst, path: '/data/new.pst' }, 'new.pst', null)]);
    const client = fakeClient({ pstScan: () => r, pstExport: () => Promise.reject(new ApiCallError('bad-request', 'request body too large', 413)) });
    const plan = await scanForReadiness(client, '/data');
    fireEvent.click(within(plan).getByRole('button', { name: 'Download the import mapping CSV' }));
    expect((await within(plan).findByRole('alert')).textContent).toMatch(
      /^Could not export: this scan is too large to send to the local server\. In a terminal, run the same scan with --import-csv FILE\.csv/,
    );
  });

  it('a plan with no rows offers no CSV; a plain scan has no import plan', async () => {
    const client = exportClient(readinessReport([ready({ ...okPst, path: '/data/cache.ost', kind: 'ost' }, null, null)]));
    const plan = await scanForReadiness(client, '/data');
    expect(within(plan).getByText('There is nothing to import yet, so there is no mapping CSV.')).toBeTruthy();
    expect(within(plan).queryByRole('button')).toBeNull();
    cleanup();
    render(<Pst client={fakeClient({ pstScan: () => report('pst scan', [], { pst: { files: [okPst] } }) })} onFix={noFix} />);
    fireEvent.change(pathsBox(), { target: { value: '/data' } });
    fireEvent.click(screen.getByRole('button', { name: 'Scan' }));
    await screen.findByRole('article', { name: /new\.pst/ });
    expect(screen.queryByRole('region', { name: 'Microsoft 365 import plan' })).toBeNull();
  });
});
