// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { App } from '../../../renderer/src/App.tsx';
import { deferred, fakeClient } from './fake-client.ts';
import { FIX_587, blockedFinding, infoFinding, port25Finding, report } from './reports.ts';
import type { Report } from '../../../electron/contract/report.ts';

afterEach(() => {
  cleanup();
  window.location.hash = '';
});

describe('Overview', () => {
  it('idle → running with progress → verdict and findings in order, evidence one click away', async () => {
    const pending = deferred<Report>();
    const client = fakeClient(
      { scan: () => pending.promise, fixList: () => ({ fixes: [{ id: FIX_587, title: 'x', area: 'accounts', preview: '' }] }) },
      { progress: [{ phase: 'smtp', done: 1, total: 4, unit: 'steps', detail: 'Testing the outgoing mail servers' }] },
    );
    render(<App client={client} />);
    fireEvent.click(screen.getByRole('button', { name: 'Check my mail' }));
    expect(await screen.findByText('Testing the outgoing mail servers')).toBeTruthy();
    expect(screen.getByRole('progressbar', { name: 'Check progress' }).getAttribute('aria-valuenow')).toBe('25');
    expect((screen.getByRole('button', { name: 'Checking…' }) as HTMLButtonElement).disabled).toBe(true);

    pending.resolve(report('scan', [blockedFinding, port25Finding, infoFinding]));
    const verdict = await screen.findByRole('status');
    expect(verdict.textContent).toBe('Your mail can’t be sent as it is set up: Port 25 is blocked on this network (and 1 more problem below)');
    const items = within(screen.getByRole('list', { name: 'Findings' })).getAllByRole('listitem');
    expect(items.map((li) => li.getAttribute('aria-label'))).toEqual([
      'Problem: Port 25 is blocked on this network',
      'Warning: sam@example.com: sends on port 25 with a login',
      'Note: Could not check antivirus products',
    ]);
    const evidence = within(items[1]).getByText('Evidence').closest('details') as HTMLDetailsElement;
    expect(evidence.open).toBe(false);
    expect(within(evidence).getByText('smtp.example.com')).toBeTruthy();
    // A list of strings reads as lines, not as JSON.
    expect(within(evidence).getByText(/0ms i connecting\s+30000ms i timeout/)).toBeTruthy();
  });

  it('a fix the engine cannot apply here is advice, not a button that would fail', async () => {
    const client = fakeClient({
      scan: () => report('scan', [blockedFinding, port25Finding]),
      fixList: () => ({ fixes: [{ id: FIX_587, title: 'Thunderbird: send on port 587 with STARTTLS', area: 'accounts', preview: '' }] }),
    });
    render(<App client={client} />);
    fireEvent.click(screen.getByRole('button', { name: 'Check my mail' }));
    const blocked = await screen.findByRole('listitem', { name: /Port 25 is blocked/ });
    await within(blocked).findByText(/What to do: Use port 587 with STARTTLS/);
    expect(within(blocked).queryByRole('button', { name: /Fix:/ })).toBeNull();
    const port25 = screen.getByRole('listitem', { name: /sends on port 25/ });
    expect(within(port25).getByRole('button', { name: 'Fix: Thunderbird: send on port 587 with STARTTLS' })).toBeTruthy();
    // The top finding has no fix that applies here, so the verdict offers none.
    expect(screen.queryByRole('button', { name: /^Fix it:/ })).toBeNull();
  });

  it('the verdict explains the top problem and offers its fix, which opens the preview', async () => {
    const client = fakeClient({
      scan: () => report('scan', [{ ...port25Finding, severity: 'error' }, infoFinding]),
      fixList: () => ({ fixes: [{ id: FIX_587, title: 'Thunderbird: send on port 587 with STARTTLS', area: 'accounts', preview: '' }] }),
      fixPreview: () => ({ id: FIX_587, title: 'Thunderbird: send on port 587 with STARTTLS', area: 'accounts', preview: '-25\n+587' }),
    });
    render(<App client={client} />);
    fireEvent.click(screen.getByRole('button', { name: 'Check my mail' }));
    expect((await screen.findByRole('status')).textContent).toBe('Your mail can’t be sent as it is set up: sam@example.com: sends on port 25 with a login');
    expect(screen.getAllByText('Port 25 is for server-to-server mail.')).toHaveLength(2);
    fireEvent.click(await screen.findByRole('button', { name: 'Fix it: Thunderbird: send on port 587 with STARTTLS' }));
    expect(await screen.findByLabelText('Change preview')).toBeTruthy();
    expect(client.calls.at(-1)).toEqual({ method: 'fixPreview', request: { id: FIX_587 } });
  });

  it('nothing wrong → a plain "no problems" verdict; checks that could not run are not an all-clear', async () => {
    const client = fakeClient({ scan: () => report('scan', [{ ...infoFinding, id: 'network.not-checked' }]), fixList: () => ({ fixes: [] }) });
    render(<App client={client} />);
    fireEvent.click(screen.getByRole('button', { name: 'Check my mail' }));
    expect((await screen.findByRole('status')).textContent).toMatch(/No problems found, but 1 check could not run/);
  });

  it('an engine error is shown as an alert, and the button works again', async () => {
    const client = fakeClient({ scan: () => Promise.reject(new Error('missing or wrong token')) });
    render(<App client={client} />);
    fireEvent.click(screen.getByRole('button', { name: 'Check my mail' }));
    expect((await screen.findByRole('alert')).textContent).toBe('The check could not run: missing or wrong token');
    expect((screen.getByRole('button', { name: 'Check my mail' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('a deep link #/finding/<id> opens that finding with its evidence', async () => {
    window.location.hash = '#/finding/accounts.smtp.25-submission';
    const client = fakeClient({ scan: () => report('scan', [blockedFinding, port25Finding]), fixList: () => ({ fixes: [] }) });
    render(<App client={client} />);
    expect(screen.getByText(/Run “Check my mail” to see the finding “accounts.smtp.25-submission”/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Check my mail' }));
    const item = await screen.findByRole('listitem', { name: /sends on port 25/ });
    expect(item.id).toBe('finding-accounts.smtp.25-submission');
    expect((item.querySelector('details') as HTMLDetailsElement).open).toBe(true);
    expect(document.activeElement).toBe(item);
  });
});
