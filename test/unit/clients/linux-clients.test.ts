import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAll } from '../../../electron/clients/service.ts';
import { AccountsSection } from '../../../electron/clients/schema.ts';
import { CLIENT_FIXTURES, fixtureContext } from '../../support/clients/context.ts';

const HOME = path.join(CLIENT_FIXTURES, 'linux-misc');

describe('Evolution, KMail and Claws Mail readers', async () => {
  const res = await readAll(fixtureContext(HOME));
  const byId = new Map(res.accounts.map((a) => [a.id, a]));

  it('reads every account into the one model', () => {
    expect(AccountsSection.parse(res.accounts).map((a) => a.id).sort()).toEqual(['claws:1', 'claws:2', 'evolution:1511365634.2868.3@myhost', 'kmail:1234567890']);
  });

  it('Evolution: account → identity → transport; empty auth Method means no login', () => {
    expect(byId.get('evolution:1511365634.2868.3@myhost')).toMatchObject({
      client: 'evolution',
      name: 'jane@example.org',
      email: 'jane@example.org',
      incoming: { protocol: 'imap', host: 'imap.example.org', port: 993, security: 'implicit' },
      outgoing: { host: 'smtp.example.org', port: 25, security: 'none', auth: false, username: 'jane@example.org', authMethod: { kind: 'none', mechanisms: [] } },
    });
    const f = res.findings.find((x) => x.id === 'accounts.smtp.no-auth' && x.evidence.account === 'evolution:1511365634.2868.3@myhost')!;
    expect(f.fixes.map((x) => x.id)).toEqual(['evolution:1511365634.2868.3@myhost:smtp-auth-on']);
  });

  it('KMail: transport with TLS (= STARTTLS) on 465 is the 465+STARTTLS mismatch', () => {
    expect(byId.get('kmail:1234567890')).toMatchObject({
      email: 'jane@example.com',
      incoming: null,
      outgoing: { host: 'smtp.example.com', port: 465, security: 'starttls', auth: true, username: 'jane@example.com' },
    });
    expect(res.findings.find((x) => x.id === 'accounts.smtp.465-starttls')?.evidence.account).toBe('kmail:1234567890');
  });

  it('Claws: 587 with ssl_smtp=1 (SSL on connect) is the 587+SSL mismatch; set_smtpport=0 means the default port', () => {
    expect(byId.get('claws:1')).toMatchObject({ name: 'ana@example.net', incoming: { protocol: 'imap', port: 993, security: 'implicit' }, outgoing: { port: 587, security: 'implicit', auth: true } });
    expect(byId.get('claws:1')!.outgoing!.authMethod?.setting).toMatch(/^use_smtp_auth=1; smtp_auth_method=/);
    expect(res.findings.find((x) => x.id === 'accounts.smtp.587-implicit')?.evidence.account).toBe('claws:1');
    expect(byId.get('claws:2')).toMatchObject({ incoming: { protocol: 'pop3', port: 110 }, outgoing: { port: 25, security: 'none', auth: false } });
  });

  it('offers port fixes for each client, none that would change nothing', () => {
    const ids = res.fixes.map((f) => f.id);
    expect(ids).toEqual(expect.arrayContaining([
      'evolution:1511365634.2868.3@myhost:smtp-587-starttls', 'kmail:1234567890:smtp-465-implicit', 'claws:1:smtp-587-starttls', 'claws:2:smtp-auth-on',
    ]));
    expect(ids).not.toContain('kmail:1234567890:smtp-auth-on');
  });
});
