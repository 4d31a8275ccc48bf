// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { Accounts } from '../../../renderer/src/screens/Accounts.tsx';
import { Network } from '../../../renderer/src/screens/Network.tsx';
import { fakeClient } from './fake-client.ts';
import { account, network, port25Finding, report, smtpSection } from './reports.ts';

afterEach(cleanup);
const noFix = () => {};

describe('Accounts', () => {
  it('settings side by side with what the probe recommends; differences marked', () => {
    const scan = report('scan', [port25Finding], { accounts: [account], smtpHosts: [smtpSection] });
    render(<Accounts client={fakeClient({})} scan={scan} onFix={noFix} />);
    const table = screen.getByRole('table', { name: 'Sending settings of sam@example.com' });
    const row = (name: string) => within(table).getByRole('rowheader', { name }).closest('tr') as HTMLTableRowElement;
    expect([...row('Port').cells].map((c) => c.textContent)).toEqual(['Port', '25', '587']);
    expect(row('Port').className).toBe('row-diff');
    expect([...row('Encryption').cells].map((c) => c.textContent)).toEqual(['Encryption', 'no encryption', 'STARTTLS']);
    expect(screen.getByRole('list', { name: 'Account findings' })).toBeTruthy();
  });

  it('not tested yet, and reading the accounts on demand', async () => {
    const client = fakeClient({ accounts: () => report('accounts', [], { accounts: [account] }) });
    render(<Accounts client={client} scan={null} onFix={noFix} />);
    expect(screen.getByText(/Not read yet/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Read my accounts' }));
    const table = await screen.findByRole('table', { name: 'Sending settings of sam@example.com' });
    expect(within(table).getAllByText('not tested yet')).toHaveLength(2);
  });

  it('no accounts, and a read error', async () => {
    const client = fakeClient({ accounts: () => Promise.reject(new Error('EACCES: permission denied')) });
    const { rerender } = render(<Accounts client={client} scan={report('scan', [], { accounts: [] })} onFix={noFix} />);
    expect(screen.getByText(/No mail accounts were found/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Read the accounts again' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/could not be read: EACCES/);
    rerender(<Accounts client={client} scan={null} onFix={noFix} />);
  });
});

describe('Network', () => {
  it('each part says what it means for mail; "not checked" never reads as all clear', () => {
    render(<Network client={fakeClient({})} scan={report('scan', [], { network })} onFix={noFix} />);
    const fw = screen.getByRole('article', { name: /Firewall/ });
    expect(within(fw).getByText('Drops port 25')).toBeTruthy();
    expect(within(fw).getByText('tcp dport 25 drop')).toBeTruthy();
    const vpn = screen.getByRole('article', { name: /VPN/ });
    expect(within(vpn).getByText('Not checked')).toBeTruthy();
    expect(within(vpn).getByText(/Could not be checked: ip is not installed.*not the same as “all clear”/)).toBeTruthy();
    expect(within(screen.getByRole('article', { name: /Route/ })).getByText(/via eth0 \(gateway 10.0.0.1\)/)).toBeTruthy();
  });

  it('empty until checked; then runs the network check for the probed server; errors are alerts', async () => {
    let asked: unknown;
    const client = fakeClient({
      network: (req) => {
        asked = req;
        return report('network', [], { network });
      },
    });
    render(<Network client={client} scan={report('scan', [], { smtpHosts: [smtpSection] })} onFix={noFix} />);
    expect(screen.getByText('Not checked yet.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Check the network' }));
    await screen.findByRole('article', { name: /Firewall/ });
    expect(asked).toEqual({ smtpHost: 'smtp.example.com' });
    cleanup();
    render(<Network client={fakeClient({ network: () => Promise.reject(new Error('boom')) })} scan={null} onFix={noFix} />);
    fireEvent.click(screen.getByRole('button', { name: 'Check the network' }));
    expect((await screen.findByRole('alert')).textContent).toBe('The network could not be checked: boom');
  });
});
