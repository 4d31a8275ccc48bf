import { describe, expect, it } from 'vitest';
import { configuredFor, linkSmtpFixes } from '../../../electron/engine/link-fixes.ts';
import { finding } from '../../../electron/core/finding.ts';
import type { Account } from '../../../electron/clients/schema.ts';
import type { Fix } from '../../../electron/core/fix.ts';
import type { SmtpSection } from '../../../electron/smtp/schema.ts';

const account = (id: string, host: string, port: number): Account => ({
  id,
  client: 'thunderbird',
  profile: 'default',
  name: id,
  email: `${id}@example.com`,
  incoming: null,
  outgoing: { host, port, security: 'none', auth: true, username: id },
  dataFiles: [],
  source: { file: '/home/u/prefs.js', registryKey: null },
});
const fix = (id: string, action: string, accounts: string[]): Fix => ({ id, title: id, area: 'accounts', accounts, action, guards: [], plan: async () => [] });
const section: SmtpSection = { host: 'SMTP.Example.com', address: '192.0.2.1', ports: [], recommended: { port: 587, security: 'starttls' } };
const blocked = finding({
  id: 'smtp.port-blocked.25',
  area: 'smtp',
  severity: 'error',
  title: 'Port 25 is blocked',
  detail: '',
  fixes: [{ id: 'smtp.use-port:587:starttls', title: 'Use port 587 with STARTTLS' }, { id: 'smtp.reenter-password', title: 'Enter the password again' }],
});

describe('linking SMTP advice to account fixes', () => {
  const accounts = [account('a1', 'smtp.example.com', 25), account('a2', 'smtp.example.com', 25), account('b', 'other.example.net', 25)];
  const fixes = [
    fix('tb:a1:smtp-587-starttls', 'smtp-587-starttls', ['a1']),
    fix('tb:a2:smtp-587-starttls', 'smtp-587-starttls', ['a2']),
    fix('tb:a1:smtp-465-implicit', 'smtp-465-implicit', ['a1']),
    fix('tb:b:smtp-587-starttls', 'smtp-587-starttls', ['b']),
  ];

  it('replaces "use port 587 STARTTLS" by each affected account\'s own fix, host matched without case', () => {
    const [linked] = linkSmtpFixes([blocked], section, accounts, fixes);
    expect(linked.fixes.map((f) => f.id)).toEqual(['tb:a1:smtp-587-starttls', 'tb:a2:smtp-587-starttls']);
  });

  it('drops suggestions no account can take, keeps the finding', () => {
    const [linked] = linkSmtpFixes([blocked], section, [], []);
    expect(linked.fixes).toEqual([]);
    expect(linked.title).toBe('Port 25 is blocked');
  });

  it('leaves other areas alone', () => {
    const other = finding({ id: 'x', area: 'network', severity: 'warning', title: 't', detail: '', fixes: [{ id: 'network.allow:25', title: 'Allow' }] });
    expect(linkSmtpFixes([other], section, accounts, fixes)).toEqual([other]);
  });

  it('configuredFor takes the first account sending through the host', () => {
    expect(configuredFor('smtp.example.com', accounts)).toEqual({ port: 25, security: 'none' });
    expect(configuredFor('nowhere.example', accounts)).toBeUndefined();
  });
});
