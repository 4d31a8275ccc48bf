// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { Sending } from '../../../renderer/src/screens/Sending.tsx';
import { fakeClient } from './fake-client.ts';
import { account, report, smtpSection } from './reports.ts';

afterEach(cleanup);
const noFix = () => {};

describe('Sending', () => {
  it('empty: says how to get results', () => {
    render(<Sending client={fakeClient({})} scan={null} onFix={noFix} />);
    expect(screen.getByText(/No servers tested yet/)).toBeTruthy();
  });

  it('the port × outcome matrix with timing; a port opens its transcript and certificate', () => {
    render(<Sending client={fakeClient({})} scan={report('scan', [], { smtpHosts: [smtpSection], accounts: [account] })} onFix={noFix} />);
    const table = screen.getByRole('table', { name: 'Ports tested on smtp.example.com' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => within(r).getAllByRole('cell').slice(0, 4).map((c) => c.textContent))).toEqual([
      ['no encryption', '✗ No answer (timed out)', 'connect', '10.0 s'],
      ['SSL/TLS', '✗ Refused (port closed)', 'connect', '42 ms'],
      ['STARTTLS', '✓ Works', 'quit', '42 ms'],
      ['no encryption', '✓ Works', 'quit', '42 ms'],
    ]);
    expect(screen.getByText('Recommended: port 587 with STARTTLS.')).toBeTruthy();
    expect(screen.getByText('Used by sam@example.com')).toBeTruthy();
    const show = screen.getByRole('button', { name: 'Show transcript of port 587' });
    expect(show.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(show);
    const transcript = screen.getByRole('region', { name: 'Transcript of port 587' });
    expect(within(transcript).getByText('220 smtp.example.com ESMTP')).toBeTruthy();
    expect(within(transcript).getByText('You')).toBeTruthy();
    const cert = screen.getByRole('region', { name: 'TLS certificate' });
    expect(within(cert).getByText('CN=Example CA')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Hide transcript of port 587' }).getAttribute('aria-expanded')).toBe('true');
    // The form starts on the account's server.
    expect((screen.getByLabelText('Outgoing server') as HTMLInputElement).value).toBe('smtp.example.com');
  });

  it('"test with my password": the password goes in the one smtp request and is cleared from the form', async () => {
    const client = fakeClient({ smtp: (req) => report('smtp', [], { smtp: { ...smtpSection, host: req.host } }) });
    render(<Sending client={client} scan={null} onFix={noFix} />);
    fireEvent.change(screen.getByLabelText('Outgoing server'), { target: { value: ' mail.example.org ' } });
    fireEvent.change(screen.getByLabelText('User name (optional)'), { target: { value: 'sam' } });
    const pw = screen.getByLabelText('Password (optional)') as HTMLInputElement;
    expect(pw.type).toBe('password');
    fireEvent.change(pw, { target: { value: 's3cret' } });
    fireEvent.click(screen.getByRole('button', { name: 'Test with my password' }));
    expect(await screen.findByRole('table', { name: 'Ports tested on mail.example.org' })).toBeTruthy();
    expect(client.calls).toEqual([{ method: 'smtp', request: { host: 'mail.example.org', user: 'sam', password: 's3cret' } }]);
    expect(pw.value).toBe('');
    expect(document.body.innerHTML).not.toContain('s3cret');
  });

  it('a failed test is an alert', async () => {
    const client = fakeClient({ smtp: () => Promise.reject(new Error('ECONNRESET')) });
    render(<Sending client={client} scan={null} onFix={noFix} />);
    fireEvent.change(screen.getByLabelText('Outgoing server'), { target: { value: 'mail.example.org' } });
    fireEvent.click(screen.getByRole('button', { name: 'Test' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('The test could not run: ECONNRESET'));
  });
});
