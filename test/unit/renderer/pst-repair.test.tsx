// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { PstFileCard } from '../../../renderer/src/components/PstFileCard.tsx';
import { defaultRepairTarget, parseSplitGb, splitPartPath } from '../../../renderer/src/repair-target.ts';
import { ApiCallError } from '../../../renderer/src/api/bridge.ts';
import { deferred, fakeClient } from './fake-client.ts';
import { damagedPst, report } from './reports.ts';
import type { Report } from '../../../electron/contract/report.ts';
import type { PstSection } from '../../../electron/pst/schema.ts';
import { repairFinding, repairItemsCsv } from '../../../electron/pst/repair.ts';

afterEach(cleanup);

// Items and notes as a real run wrote them (`pst repair` of the corruption generator's "4 KiB zeroed" copy of the
// 150-message fixture), trimmed to a few of each kind; the report is checked against the contract by fakeClient.
const repair: NonNullable<PstSection['repair']> = {
  source: '/data/mail/old.pst',
  sourceFormat: 'unicode',
  sourceKind: 'pst',
  sourceStatus: 'damaged',
  outputs: [{ path: '/data/mail/old-repaired.pst', bytes: 779264, folders: 14, messages: 10 }],
  counts: { kept: 8, partial: 1, recovered: 1, lost: 1 },
  items: [
    { status: 'kept', id: '0x200024', folder: 'Top of Personal Folders/Gelen Kutusu', subject: 'Est possimus', sender: 'Paye Akar', date: '2024-03-12T09:00:00Z', detail: '' },
    {
      status: 'partial',
      id: '0x2008c4',
      folder: 'Top of Personal Folders/Gelen Kutusu',
      subject: 'Laudantium debitis occaecati vitae',
      sender: 'Soykut İlgi Şener Tevetoğlu',
      date: null,
      detail: 'recipient table unreadable: heap signature 0x47 (expected 0xec)',
    },
    {
      status: 'recovered',
      id: '0x2000a4',
      folder: 'Top of Personal Folders/Lost and Found/Gelen Kutusu',
      subject: 'Enim iste amet natus optio',
      sender: 'Paye Akar',
      date: null,
      detail: "not listed in any folder (found through the node B-tree; it belonged to 'Top of Personal Folders/Gelen Kutusu')",
    },
    {
      status: 'lost',
      id: '0x2006a4',
      folder: 'Top of Personal Folders/Gelen Kutusu',
      subject: 'Hic labore voluptate',
      sender: 'Bali Manço <qaksu@example.com>',
      date: null,
      detail: "block CRC mismatch (stored 0x0, computed 0x91c7a05e); subject, sender and date are what its folder's contents table still says",
    },
  ],
  notes: ['1 search folder(s) not copied: search folders are views of other folders, and Outlook rebuilds its own'],
};
const repairReport = (): Report => report('pst repair', [repairFinding(repair, damagedPst)], { pst: { files: [damagedPst], repair } });
const EXISTS = '/data/mail/old-repaired.pst already exists; choose another name, or allow replacing it (--force)';

function openRepair(client: ReturnType<typeof fakeClient>) {
  render(<PstFileCard file={damagedPst} client={client} />);
  const card = screen.getByRole('article', { name: /old\.pst/ });
  const toggle = within(card).getByRole('button', { name: 'Repair into a new file old.pst' });
  expect(toggle.getAttribute('aria-expanded')).toBe('false');
  fireEvent.click(toggle);
  expect(toggle.getAttribute('aria-expanded')).toBe('true');
  return within(card).getByRole('group', { name: 'Repair old.pst into a new file' });
}
const startButton = (panel: HTMLElement) => within(panel).getByRole('button', { name: 'Start the repair of old.pst' }) as HTMLButtonElement;
const targetField = (panel: HTMLElement) => within(panel).getByLabelText('New file') as HTMLInputElement;

describe('PST repair into a new file', () => {
  it('the default target sits beside the source, named <name>-repaired.pst', () => {
    expect(defaultRepairTarget('/data/mail/old.pst')).toBe('/data/mail/old-repaired.pst');
    expect(defaultRepairTarget('C:\\Users\\sam\\Outlook\\sam@contoso.com.ost')).toBe('C:\\Users\\sam\\Outlook\\sam@contoso.com-repaired.pst');
    expect(defaultRepairTarget('archive.PST')).toBe('archive-repaired.pst');
  });

  it('split parts are named as the engine names them: <stem>-N<ext> in the same folder; the size field takes 0.001–50 GB or nothing', () => {
    expect(splitPartPath('/data/mail/old-repaired.pst', 1)).toBe('/data/mail/old-repaired-1.pst');
    expect(splitPartPath('C:\\Users\\sam\\Mail.v2.pst', 12)).toBe('C:\\Users\\sam\\Mail.v2-12.pst');
    expect(splitPartPath('/data/mail/noext', 2)).toBe('/data/mail/noext-2');
    expect(splitPartPath('/data/.hidden', 1)).toBe('/data/.hidden-1');
    expect([' ', '', '2', '0.001', '50', '19.5'].map(parseSplitGb)).toEqual([undefined, undefined, 2, 0.001, 50, 19.5]);
    expect(['0', '0.0009', '50.5', '-1', 'abc', 'Infinity'].map(parseSplitGb)).toEqual(Array(6).fill('invalid'));
  });

  it('preview names the target and says the original is not changed; progress in words; result counts, partial and lost items, CSV', async () => {
    const pending = deferred<Report>();
    const client = fakeClient(
      { pstRepair: () => pending.promise, pstExport: (req) => ({ text: repairItemsCsv(req.section.repair ?? { items: [] }) }) },
      {
        progress: [
          { phase: 'blocks', done: 100, total: 1000, unit: 'bytes' },
          { phase: 'repair', done: 25, total: 100, unit: 'items' },
        ],
      },
    );
    const panel = openRepair(client);
    expect(targetField(panel).value).toBe('/data/mail/old-repaired.pst');
    const preview = targetField(panel).getAttribute('aria-describedby') as string;
    expect(document.getElementById(preview)?.textContent).toBe(
      'This is exactly what will happen: everything that can be read from old.pst is copied into a new Outlook data file, /data/mail/old-repaired.pst. The original file is not changed.',
    );
    // The preview follows the field.
    fireEvent.change(targetField(panel), { target: { value: '/data/fixed/old.pst' } });
    expect(document.getElementById(preview)?.textContent).toContain('a new Outlook data file, /data/fixed/old.pst.');
    fireEvent.change(targetField(panel), { target: { value: '  ' } });
    expect(startButton(panel).disabled).toBe(true);
    fireEvent.change(targetField(panel), { target: { value: '/data/mail/old-repaired.pst' } });
    expect(client.calls).toHaveLength(0);

    fireEvent.click(startButton(panel));
    expect(await within(panel).findByText('Copying into the new file: 25 of 100 items')).toBeTruthy();
    expect(within(panel).getByRole('progressbar', { name: 'Repair progress of old.pst' }).getAttribute('aria-valuenow')).toBe('25');
    expect(startButton(panel).disabled).toBe(true);
    expect(targetField(panel).readOnly).toBe(true);
    expect(client.calls).toEqual([{ method: 'pstRepair', request: { file: '/data/mail/old.pst', out: '/data/mail/old-repaired.pst' } }]);

    pending.resolve(repairReport());
    expect((await within(panel).findByRole('status')).textContent).toBe('Repair finished: a new file was written. The original file was not changed.');
    const counts = within(panel).getByLabelText('Repair result of old.pst');
    expect([...counts.querySelectorAll('div')].map((d) => `${d.querySelector('dt')?.textContent}=${d.querySelector('dd')?.textContent}`)).toEqual([
      'Copied whole=8',
      'Copied with parts missing=1',
      'Found again, put in “Lost and Found”=1',
      'Lost (could not be read)=1',
    ]);
    expect(within(within(panel).getByRole('list', { name: 'New files' })).getByRole('listitem').textContent).toBe(
      '/data/mail/old-repaired.pst · 761.0 KB · 10 messages in 14 folders',
    );
    // Only the items that did not come through whole are listed (kept and recovered ones are in the CSV).
    const items = within(panel).getByRole('list', { name: 'Items not copied whole from old.pst' });
    expect(within(items).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      'Parts missing Top of Personal Folders/Gelen Kutusu / Laudantium debitis occaecati vitae · from Soykut İlgi Şener Tevetoğlu — recipient table unreadable: heap signature 0x47 (expected 0xec)',
      "Lost Top of Personal Folders/Gelen Kutusu / Hic labore voluptate · from Bali Manço <qaksu@example.com> — block CRC mismatch (stored 0x0, computed 0x91c7a05e); subject, sender and date are what its folder's contents table still says",
    ]);
    expect(within(panel).getByText('1 search folder(s) not copied: search folders are views of other folders, and Outlook rebuilds its own')).toBeTruthy();
    // Not the desktop app: no "Show in folder".
    expect(within(panel).queryByRole('button', { name: /Show in folder/ })).toBeNull();
    // Not the desktop app: the path is typed, there is no save dialog.
    expect(within(panel).queryByRole('button', { name: 'Save as…' })).toBeNull();

    // The item list is the engine's CSV of exactly this repair.
    const blobs: Blob[] = [];
    const create = vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => (blobs.push(b as Blob), 'blob:x'));
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
    fireEvent.click(within(panel).getByRole('button', { name: 'Download the item list (CSV)' }));
    await waitFor(() => expect(create).toHaveBeenCalledTimes(1));
    vi.restoreAllMocks();
    const exportCall = client.calls.at(-1) as { method: string; request: { format: string; section: PstSection } };
    expect(exportCall.method).toBe('pstExport');
    expect(exportCall.request.format).toBe('repair-csv');
    expect(exportCall.request.section.repair?.counts).toEqual(repair.counts);
    const csv = (await blobs[0].text()).trim().split(/\r?\n/);
    expect(csv[0]).toBe('status,folder,subject,sender,date,detail,id');
    expect(csv.slice(1).map((l) => l.split(',')[0])).toEqual(['kept', 'partial', 'recovered', 'lost']);
  });

  it('an existing target is not replaced until the user ticks "Replace the existing file"; a new name clears the consent', async () => {
    // The engine's own refusal: without force an existing target is refused, with force it is replaced.
    const client = fakeClient({ pstRepair: (req) => (req.force ? repairReport() : Promise.reject(new ApiCallError('exists', EXISTS, 409))) });
    const panel = openRepair(client);
    expect(within(panel).queryByLabelText('Replace the existing file')).toBeNull();
    fireEvent.click(startButton(panel));
    expect((await within(panel).findByRole('alert')).textContent).toBe(
      'A file named /data/mail/old-repaired.pst is already there, so nothing was written. Choose another name, or tick “Replace the existing file”.',
    );
    const replace = within(panel).getByLabelText('Replace the existing file') as HTMLInputElement;
    expect(replace.checked).toBe(false);
    // Starting again without the tick asks again without force, and is refused again.
    fireEvent.click(startButton(panel));
    await within(panel).findByRole('alert');
    expect(client.calls.map((c) => (c.request as { force?: boolean }).force)).toEqual([undefined, undefined]);

    // Ticking it says so in the preview; another name drops the tick and the box.
    fireEvent.click(replace);
    expect(within(panel).getByText('The file that is already there will be replaced.')).toBeTruthy();
    fireEvent.change(targetField(panel), { target: { value: '/data/mail/other.pst' } });
    expect(within(panel).queryByLabelText('Replace the existing file')).toBeNull();
    expect(within(panel).queryByText('The file that is already there will be replaced.')).toBeNull();
    fireEvent.change(targetField(panel), { target: { value: '/data/mail/old-repaired.pst' } });
    expect((within(panel).getByLabelText('Replace the existing file') as HTMLInputElement).checked).toBe(false);

    fireEvent.click(within(panel).getByLabelText('Replace the existing file'));
    fireEvent.click(startButton(panel));
    expect((await within(panel).findByRole('status')).textContent).toMatch(/^Repair finished/);
    expect(client.calls.at(-1)?.request).toEqual({ file: '/data/mail/old.pst', out: '/data/mail/old-repaired.pst', force: true });
    // The consent was for that one run: the box is gone, a new run asks without force again.
    expect(within(panel).queryByLabelText('Replace the existing file')).toBeNull();
    fireEvent.click(startButton(panel));
    await waitFor(() => expect(client.calls).toHaveLength(4));
    expect(client.calls.at(-1)?.request).toEqual({ file: '/data/mail/old.pst', out: '/data/mail/old-repaired.pst' });
  });

  it('a server that does not allow replacing files says so; other failures are alerts too', async () => {
    const client = fakeClient({
      pstRepair: (req) =>
        Promise.reject(
          req.force
            ? new ApiCallError('http', 'replacing an existing file is disabled on this server (start it with --allow-fixes)', 403)
            : new ApiCallError('exists', EXISTS, 409),
        ),
    });
    const panel = openRepair(client);
    fireEvent.click(startButton(panel));
    fireEvent.click(await within(panel).findByLabelText('Replace the existing file'));
    fireEvent.click(startButton(panel));
    await waitFor(() => expect(within(panel).getByRole('alert').textContent).toMatch(/^The repair could not run: replacing an existing file is disabled/));
  });

  it('"Stop the repair" stops the run and says the original was not changed', async () => {
    let seen: AbortSignal | undefined;
    const client = fakeClient({
      pstRepair: (_req, signal) => {
        seen = signal;
        return new Promise((_res, rej) => signal?.addEventListener('abort', () => rej(new Error('aborted'))));
      },
    });
    const panel = openRepair(client);
    fireEvent.click(startButton(panel));
    fireEvent.click(await within(panel).findByRole('button', { name: 'Stop the repair' }));
    expect((await within(panel).findByRole('status')).textContent).toBe('The repair was stopped. The original file was not changed.');
    expect(seen?.aborted).toBe(true);
    expect(within(panel).queryByRole('button', { name: 'Stop the repair' })).toBeNull();
    expect(startButton(panel).disabled).toBe(false);
  });

  it('in the desktop app "Save as…" opens the save dialog at the current target; each new file has "Show in folder"', async () => {
    const saved = ['/home/sam/Rescued/old-fixed.pst'];
    const client = fakeClient(
      { pickPaths: () => ({ paths: saved.splice(0, 1) }), pstRepair: () => repairReport(), revealPath: () => ({ shown: true }) },
      { desktop: true },
    );
    const panel = openRepair(client);
    expect(within(panel).queryByRole('button', { name: /Choose a folder/ })).toBeNull();
    fireEvent.click(within(panel).getByRole('button', { name: 'Save as…' }));
    await waitFor(() => expect(targetField(panel).value).toBe('/home/sam/Rescued/old-fixed.pst'));
    const dialog = { kind: 'save', title: 'Save the repaired file as…', filters: [{ name: 'Outlook data file', extensions: ['pst'] }] };
    expect(client.calls[0]).toEqual({ method: 'pickPaths', request: { ...dialog, defaultPath: '/data/mail/old-repaired.pst' } });
    // The preview follows the chosen file.
    const preview = document.getElementById(targetField(panel).getAttribute('aria-describedby') as string);
    expect(preview?.textContent).toContain('a new Outlook data file, /home/sam/Rescued/old-fixed.pst.');
    // The next dialog starts at the file chosen last; cancelling it (no paths) keeps the target.
    fireEvent.click(within(panel).getByRole('button', { name: 'Save as…' }));
    await waitFor(() => expect(client.calls).toHaveLength(2));
    expect(client.calls[1]).toEqual({ method: 'pickPaths', request: { ...dialog, defaultPath: '/home/sam/Rescued/old-fixed.pst' } });
    await new Promise((r) => setTimeout(r, 20));
    expect(targetField(panel).value).toBe('/home/sam/Rescued/old-fixed.pst');

    fireEvent.click(startButton(panel));
    await waitFor(() => expect(client.calls[2]).toEqual({ method: 'pstRepair', request: { file: '/data/mail/old.pst', out: '/home/sam/Rescued/old-fixed.pst' } }));
    fireEvent.click(await within(panel).findByRole('button', { name: 'Show in folder /data/mail/old-repaired.pst' }));
    await waitFor(() => expect(client.calls.at(-1)).toEqual({ method: 'revealPath', request: { path: '/data/mail/old-repaired.pst' } }));
  });

  it('a save dialog that fails says so and keeps the target', async () => {
    const client = fakeClient({ pickPaths: () => Promise.reject(new ApiCallError('not-available', 'file and folder pickers are only in the desktop app', 501)) }, { desktop: true });
    const panel = openRepair(client);
    fireEvent.click(within(panel).getByRole('button', { name: 'Save as…' }));
    expect((await within(panel).findByRole('alert')).textContent).toMatch(/^Could not open the save dialog: file and folder pickers/);
    expect(targetField(panel).value).toBe('/data/mail/old-repaired.pst');
  });

  it('a split size: the preview names the parts, the request carries splitGb, every part is listed; a bad size cannot start', async () => {
    const parts = [1, 2, 3].map((k) => ({ path: `/data/mail/old-repaired-${k}.pst`, bytes: 1_048_576, folders: 14, messages: 4 - k }));
    const client = fakeClient({ pstRepair: () => ({ ...repairReport(), pst: { files: [damagedPst], repair: { ...repair, outputs: parts } } }) });
    const panel = openRepair(client);
    const size = within(panel).getByLabelText('Split into files of at most (GB, optional)') as HTMLInputElement;
    expect(size.value).toBe('');
    const hint = document.getElementById((size.getAttribute('aria-describedby') as string).split(' ')[0]!);
    expect(hint?.textContent).toMatch(/Microsoft 365 import takes at most 20 GB per file, and older ANSI files stop at 2 GB\.$/);
    const preview = () => document.getElementById(targetField(panel).getAttribute('aria-describedby') as string)?.textContent;

    fireEvent.change(size, { target: { value: '0' } });
    expect(size.getAttribute('aria-invalid')).toBe('true');
    expect(within(panel).getByText('Enter a size from 0.001 to 50 GB, or leave it empty for one file.').id).toBe(size.getAttribute('aria-describedby')?.split(' ')[1]);
    expect(startButton(panel).disabled).toBe(true);
    fireEvent.change(size, { target: { value: '60' } });
    expect(startButton(panel).disabled).toBe(true);

    fireEvent.change(size, { target: { value: '2' } });
    expect(size.getAttribute('aria-invalid')).toBe('false');
    expect(preview()).toBe(
      'This is exactly what will happen: everything that can be read from old.pst is copied into new Outlook data files of at most 2 GB each, as many as needed, in the same folder: /data/mail/old-repaired-1.pst, /data/mail/old-repaired-2.pst, … (no message is split across files). The original file is not changed.',
    );
    // Emptying the field goes back to one file.
    fireEvent.change(size, { target: { value: '' } });
    expect(preview()).toContain('a new Outlook data file, /data/mail/old-repaired.pst.');
    fireEvent.change(size, { target: { value: '19.5' } });
    fireEvent.click(startButton(panel));
    expect((await within(panel).findByRole('status')).textContent).toBe('Repair finished: 3 new files were written. The original file was not changed.');
    expect(client.calls).toEqual([{ method: 'pstRepair', request: { file: '/data/mail/old.pst', out: '/data/mail/old-repaired.pst', splitGb: 19.5 } }]);
    expect(within(within(panel).getByRole('list', { name: 'New files' })).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      '/data/mail/old-repaired-1.pst · 1.0 MB · 3 messages in 14 folders',
      '/data/mail/old-repaired-2.pst · 1.0 MB · 2 messages in 14 folders',
      '/data/mail/old-repaired-3.pst · 1.0 MB · 1 message in 14 folders',
    ]);
  });

  it('existing parts of a split: "Replace the existing files", and the consent is for that split size only', async () => {
    const client = fakeClient({
      pstRepair: (req) => (req.force ? repairReport() : Promise.reject(new ApiCallError('exists', '/data/mail/old-repaired-2.pst already exists; choose another name, or allow replacing it (--force)', 409))),
    });
    const panel = openRepair(client);
    const size = within(panel).getByLabelText('Split into files of at most (GB, optional)');
    fireEvent.change(size, { target: { value: '1' } });
    fireEvent.click(startButton(panel));
    expect((await within(panel).findByRole('alert')).textContent).toBe(
      'Files named /data/mail/old-repaired-1.pst, /data/mail/old-repaired-2.pst, … are already there, so nothing was written. Choose another name, or tick “Replace the existing files”.',
    );
    fireEvent.click(within(panel).getByLabelText('Replace the existing files'));
    expect(within(panel).getByText('Files with these names that are already there will be replaced.')).toBeTruthy();
    // Another size is another plan: no consent for it.
    fireEvent.change(size, { target: { value: '2' } });
    expect(within(panel).queryByLabelText(/Replace the existing/)).toBeNull();
    fireEvent.change(size, { target: { value: '1' } });
    expect((within(panel).getByLabelText('Replace the existing files') as HTMLInputElement).checked).toBe(false);
    fireEvent.click(within(panel).getByLabelText('Replace the existing files'));
    fireEvent.click(startButton(panel));
    await within(panel).findByRole('status');
    expect(client.calls.at(-1)?.request).toEqual({ file: '/data/mail/old.pst', out: '/data/mail/old-repaired.pst', splitGb: 1, force: true });
  });

  it('an unreadable file has no repair', () => {
    render(<PstFileCard file={{ ...damagedPst, status: 'unreadable' }} client={fakeClient({})} />);
    expect(screen.queryByRole('button', { name: /Repair into a new file/ })).toBeNull();
  });
});
