// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { Explain } from '../../../renderer/src/screens/Explain.tsx';
import { Fixes } from '../../../renderer/src/screens/Fixes.tsx';
import { FixDialog } from '../../../renderer/src/components/FixDialog.tsx';
import { fakeClient } from './fake-client.ts';
import { FIX_587, report } from './reports.ts';

afterEach(cleanup);

const explanation = {
  match: '421 4.7.0',
  code: 421,
  enhanced: '4.7.0',
  kind: 'transient' as const,
  meaning: 'The server is refusing for now.',
  likelyCause: 'Too many connections or a temporary block.',
  nextSteps: ['Wait 15 minutes', 'Use port 587'],
  source: 'RFC 5321 §4.2.2',
};

describe('Explain an error', () => {
  it('meaning, likely cause and next steps of a pasted error', async () => {
    const client = fakeClient({ explain: (req) => report('explain', [], { explain: { input: req.text, explanations: [explanation] } }) });
    render(<Explain client={client} />);
    fireEvent.change(screen.getByLabelText('Error message'), { target: { value: '421 4.7.0 Try again later' } });
    fireEvent.click(screen.getByRole('button', { name: 'Explain' }));
    const card = await screen.findByRole('article', { name: /421 4.7.0/ });
    expect(within(card).getByText('Temporary — trying again later may work')).toBeTruthy();
    expect(within(card).getByText('The server is refusing for now.')).toBeTruthy();
    expect(within(card).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['Wait 15 minutes', 'Use port 587']);
    expect(within(card).getByText('Source: RFC 5321 §4.2.2')).toBeTruthy();
  });

  it('nothing recognised, and an error', async () => {
    const client = fakeClient({ explain: (req) => (req.text === 'hello' ? report('explain', [], { explain: { input: 'hello', explanations: [] } }) : Promise.reject(new Error('server gone'))) });
    render(<Explain client={client} />);
    expect((screen.getByRole('button', { name: 'Explain' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Error message'), { target: { value: 'hello' } });
    fireEvent.click(screen.getByRole('button', { name: 'Explain' }));
    expect((await screen.findByRole('status')).textContent).toMatch(/No known SMTP code/);
    fireEvent.change(screen.getByLabelText('Error message'), { target: { value: '550' } });
    fireEvent.click(screen.getByRole('button', { name: 'Explain' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Could not explain it: server gone');
  });
});

const preview = { id: FIX_587, title: 'Send on port 587 with STARTTLS', area: 'accounts', preview: '--- a\n+++ b\n-port 25\n+port 587' };

describe('Fix dialog', () => {
  it('preview (the diff) → apply → verify → Undo', async () => {
    let changed = 0;
    const client = fakeClient({
      fixPreview: () => preview,
      fixApply: () => ({ id: FIX_587, journalId: '20261127T100000Z-abcdef', applied: true, message: 'Applied: Send on port 587.', preview: preview.preview }),
      undo: (req) => ({ journalId: req.journalId ?? '', restored: ['/p/prefs.js'], message: 'Undone: Send on port 587.' }),
    });
    render(<FixDialog client={client} fixId={FIX_587} onClose={() => {}} onChanged={() => changed++} verify={async () => ({ ok: true, message: 'Checked again: gone.' })} />);
    const diff = await screen.findByLabelText('Change preview');
    expect(diff.querySelector('.del')?.textContent).toBe('-port 25\n');
    expect(diff.querySelector('.add')?.textContent).toBe('+port 587\n');
    expect(client.calls.map((c) => c.method)).toEqual(['fixPreview']);
    fireEvent.click(screen.getByRole('button', { name: 'Apply fix' }));
    expect(await screen.findByText('Checked again: gone.')).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Send on port 587 with STARTTLS' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Undo' }));
    expect((await screen.findByText('Undone: Send on port 587.')).getAttribute('role')).toBe('status');
    expect(client.calls.at(-1)).toEqual({ method: 'undo', request: { journalId: '20261127T100000Z-abcdef' } });
    expect(changed).toBe(2);
  });

  it('a refused fix (mail program running) is an alert without Undo and without a verify run', async () => {
    let verified = false;
    const client = fakeClient({
      fixPreview: () => preview,
      fixApply: () => ({ id: FIX_587, journalId: null, applied: false, message: 'Thunderbird is running; close it first.', preview: preview.preview }),
    });
    render(<FixDialog client={client} fixId={FIX_587} onClose={() => {}} onChanged={() => {}} verify={async () => ((verified = true), { ok: true, message: '' })} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Apply fix' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Thunderbird is running; close it first.');
    expect(screen.queryByRole('button', { name: 'Undo' })).toBeNull();
    expect(verified).toBe(false);
  });

  it('a preview that fails, and a verify that finds the problem still there', async () => {
    render(<FixDialog client={fakeClient({ fixPreview: () => Promise.reject(new Error('no fix "x" applies here')) })} fixId="x" onClose={() => {}} onChanged={() => {}} />);
    expect((await screen.findByRole('alert')).textContent).toBe('no fix "x" applies here');
    cleanup();
    const client = fakeClient({ fixPreview: () => preview, fixApply: () => ({ id: FIX_587, journalId: 'j', applied: true, message: 'Applied.', preview: '' }) });
    render(<FixDialog client={client} fixId={FIX_587} onClose={() => {}} onChanged={() => {}} verify={async () => ({ ok: false, message: 'Checked again: still seen — Port 25 blocked' })} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Apply fix' }));
    expect((await screen.findByText(/still seen/)).className).toBe('warning-text');
  });
});

describe('Fixes screen', () => {
  it('empty: no fixes apply, no history', async () => {
    render(<Fixes client={fakeClient({ fixList: () => ({ fixes: [] }), fixHistory: () => ({ entries: [] }) })} onFix={() => {}} version={0} onChanged={() => {}} />);
    expect(await screen.findByText('No fixes apply to your settings right now.')).toBeTruthy();
    expect(await screen.findByText('No fixes have been applied yet.')).toBeTruthy();
  });

  it('available fixes open the dialog; history lists applied fixes with Undo', async () => {
    const opened: string[] = [];
    let changed = 0;
    const client = fakeClient({
      fixList: () => ({ fixes: [preview] }),
      fixHistory: () => ({
        entries: [
          { journalId: 'j2', fixId: FIX_587, title: 'Send on port 587', createdAt: '2026-11-27T10:00:00Z', state: 'applied', targets: ['/p/prefs.js'] },
          { journalId: 'j1', fixId: FIX_587, title: 'Send on port 587', createdAt: '2026-11-26T10:00:00Z', state: 'undone', targets: ['/p/prefs.js'] },
        ],
      }),
      undo: () => ({ journalId: 'j2', restored: ['/p/prefs.js'], message: 'Undone: Send on port 587.' }),
    });
    render(<Fixes client={client} onFix={(id) => opened.push(id)} version={0} onChanged={() => changed++} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Preview Send on port 587 with STARTTLS' }));
    expect(opened).toEqual([FIX_587]);
    const table = await screen.findByRole('table', { name: 'Fix history' });
    expect(within(table).getAllByRole('button', { name: /Undo/ })).toHaveLength(1);
    fireEvent.click(within(table).getByRole('button', { name: 'Undo Send on port 587' }));
    expect((await screen.findByRole('status')).textContent).toBe('Undone: Send on port 587.');
    expect(changed).toBe(1);
  });

  it('errors reading the list or the history are shown', async () => {
    const client = fakeClient({ fixList: () => Promise.reject(new Error('EACCES')), fixHistory: () => Promise.reject(new Error('EIO')) });
    render(<Fixes client={client} onFix={() => {}} version={0} onChanged={() => {}} />);
    await waitFor(() => expect(screen.getByText('Could not list the fixes: EACCES')).toBeTruthy());
    expect(await screen.findByText('Could not read the history: EIO')).toBeTruthy();
  });
});
