// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { App } from '../../../renderer/src/App.tsx';
import { withCauses } from '../../../electron/engine/causes.ts';
import { deferred, fakeClient } from './fake-client.ts';
import { FIX_587, account, blockedFinding, infoFinding, port25Finding, report, smtpSection } from './reports.ts';
import type { Report } from '../../../electron/contract/report.ts';

afterEach(() => {
  cleanup();
  window.location.hash = '';
});

/** Sam's account on port 25, blocked on this network, and a note: two findings of one problem, and the note. */
const port25Scan = () => withCauses(report('scan', [blockedFinding, port25Finding, infoFinding], { accounts: [account], smtpHosts: [smtpSection] }));
const CAUSE = 'sam@example.com cannot send: port 25 is blocked on this network — switch to 587 with STARTTLS';
const fix587 = { id: FIX_587, title: 'Thunderbird: send on port 587 with STARTTLS', area: 'accounts' as const, preview: '' };

describe('Overview', () => {
  it('idle → running with progress → verdict, one card per cause, its findings and evidence under "Details"', async () => {
    const pending = deferred<Report>();
    const client = fakeClient(
      { scan: () => pending.promise, fixList: () => ({ fixes: [fix587] }) },
      { progress: [{ phase: 'smtp', done: 1, total: 4, unit: 'steps', detail: 'Testing the outgoing mail servers' }] },
    );
    render(<App client={client} />);
    fireEvent.click(screen.getByRole('button', { name: 'Check my mail' }));
    expect(await screen.findByText('Testing the outgoing mail servers')).toBeTruthy();
    expect(screen.getByRole('progressbar', { name: 'Check progress' }).getAttribute('aria-valuenow')).toBe('25');
    expect((screen.getByRole('button', { name: 'Checking…' }) as HTMLButtonElement).disabled).toBe(true);

    pending.resolve(port25Scan());
    const verdict = await screen.findByRole('status');
    expect(verdict.textContent).toBe('Your mail can’t be sent as it is set up — 1 problem to fix.');
    const causes = within(screen.getByRole('list', { name: 'What was found' })).getAllByRole('listitem').filter((li) => li.classList.contains('cause'));
    expect(causes.map((li) => li.getAttribute('aria-label'))).toEqual([`Problem: ${CAUSE}`, 'Note: Could not check antivirus products']);
    const card = causes[0]!;
    expect(within(card).getByText(/Port 587 with STARTTLS works from here/)).toBeTruthy();
    // The one next step is the button; the findings behind it are folded away.
    expect(await within(card).findByRole('button', { name: 'Fix it: Thunderbird: send on port 587 with STARTTLS' })).toBeTruthy();
    expect(card.querySelectorAll(':scope > .fixes button')).toHaveLength(1);
    const details = within(card).getByText('Details (2 findings)').closest('details') as HTMLDetailsElement;
    expect(details.open).toBe(false);
    const findings = within(within(details).getByRole('list', { name: `Findings: ${CAUSE}` })).getAllByRole('listitem');
    expect(findings.map((li) => li.getAttribute('aria-label'))).toEqual(['Problem: Port 25 is blocked on this network', 'Warning: sam@example.com: sends on port 25 with a login']);
    const evidence = within(findings[1]!).getByText('Evidence').closest('details') as HTMLDetailsElement;
    expect(evidence.open).toBe(false);
    expect(within(evidence).getByText('smtp.example.com')).toBeTruthy();
    // A list of strings reads as lines, not as JSON.
    expect(within(evidence).getByText(/0ms i connecting\s+30000ms i timeout/)).toBeTruthy();
  });

  it('the cause button opens the preview of its one next step', async () => {
    const client = fakeClient({
      scan: port25Scan,
      fixList: () => ({ fixes: [fix587] }),
      fixPreview: () => ({ ...fix587, preview: '-25\n+587' }),
    });
    render(<App client={client} />);
    fireEvent.click(screen.getByRole('button', { name: 'Check my mail' }));
    const card = await screen.findByRole('listitem', { name: `Problem: ${CAUSE}` });
    fireEvent.click(await within(card).findByRole('button', { name: 'Fix it: Thunderbird: send on port 587 with STARTTLS' }));
    expect(await screen.findByLabelText('Change preview')).toBeTruthy();
    expect(client.calls.at(-1)).toEqual({ method: 'fixPreview', request: { id: FIX_587 } });
  });

  it('a next step the engine cannot apply here is advice, not a button that would fail', async () => {
    const client = fakeClient({ scan: port25Scan, fixList: () => ({ fixes: [] }) });
    render(<App client={client} />);
    fireEvent.click(screen.getByRole('button', { name: 'Check my mail' }));
    const card = await screen.findByRole('listitem', { name: `Problem: ${CAUSE}` });
    await screen.findByRole('status');
    expect(card.querySelector(':scope > .advice')?.textContent).toBe('What to do: Thunderbird: send on port 587 with STARTTLS. Change this in your mail program’s account settings.');
    expect(within(card).queryByRole('button', { name: /^Fix it:/ })).toBeNull();
  });

  it('a report without causes (an older agent) shows one card per finding', async () => {
    const client = fakeClient({ scan: () => report('scan', [blockedFinding, port25Finding]), fixList: () => ({ fixes: [fix587] }) });
    render(<App client={client} />);
    fireEvent.click(screen.getByRole('button', { name: 'Check my mail' }));
    expect((await screen.findByRole('status')).textContent).toBe('Your mail can’t be sent as it is set up — 2 problems to fix, the most serious first.');
    const causes = within(screen.getByRole('list', { name: 'What was found' })).getAllByRole('listitem').filter((li) => li.classList.contains('cause'));
    expect(causes.map((li) => li.getAttribute('aria-label'))).toEqual(['Problem: Port 25 is blocked on this network', 'Warning: sam@example.com: sends on port 25 with a login']);
    expect(await within(causes[1]!).findByRole('button', { name: 'Fix it: Thunderbird: send on port 587 with STARTTLS' })).toBeTruthy();
  });

  it('nothing wrong → a plain "no problems" verdict; checks that could not run are not an all-clear', async () => {
    const client = fakeClient({ scan: () => withCauses(report('scan', [{ ...infoFinding, id: 'network.not-checked' }])), fixList: () => ({ fixes: [] }) });
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

  it('a deep link #/finding/<id> opens the cause that holds it and that finding with its evidence', async () => {
    window.location.hash = '#/finding/accounts.smtp.25-submission';
    const client = fakeClient({ scan: port25Scan, fixList: () => ({ fixes: [] }) });
    render(<App client={client} />);
    expect(screen.getByText(/Run “Check my mail” to see the finding “accounts.smtp.25-submission”/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Check my mail' }));
    const item = await screen.findByRole('listitem', { name: /sends on port 25/ });
    expect(item.id).toBe('finding-accounts.smtp.25-submission');
    expect((item.closest('details.cause-details') as HTMLDetailsElement).open).toBe(true);
    expect((item.querySelector('details') as HTMLDetailsElement).open).toBe(true);
    // The focus moves in an effect after the card is rendered.
    await waitFor(() => expect(document.activeElement).toBe(item));
  });

  it('a cause that is one finding is that finding: its evidence folds out under "Details", and a deep link lands on it', async () => {
    window.location.hash = '#/finding/smtp.port-refused.465';
    const refused = { ...blockedFinding, id: 'smtp.port-refused.465', severity: 'warning' as const, title: 'Port 465 is closed', detail: 'Refused.', fixes: [], evidence: { port: 465 } };
    const client = fakeClient({ scan: () => withCauses(report('scan', [refused])), fixList: () => ({ fixes: [] }) });
    render(<App client={client} />);
    fireEvent.click(screen.getByRole('button', { name: 'Check my mail' }));
    const card = await screen.findByRole('listitem', { name: 'Warning: Port 465 is closed' });
    expect(card.id).toBe('finding-smtp.port-refused.465');
    expect(within(card).queryByRole('list')).toBeNull();
    const details = within(card).getByText('Details').closest('details') as HTMLDetailsElement;
    expect(details.open).toBe(true);
    expect(within(details).getByText('465')).toBeTruthy();
    await waitFor(() => expect(document.activeElement).toBe(card));
  });
});
