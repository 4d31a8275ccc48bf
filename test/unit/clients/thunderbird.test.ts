import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAccounts, readAll } from '../../../electron/clients/service.ts';
import { parseProfilesIni } from '../../../electron/clients/thunderbird/profiles.ts';
import { AccountsSection } from '../../../electron/clients/schema.ts';
import { Finding } from '../../../electron/core/finding.ts';
import { CLIENT_FIXTURES, fixtureContext } from '../../support/clients/context.ts';

const home = (n: string) => path.join(CLIENT_FIXTURES, n);

describe('profiles.ini default-profile rules', () => {
  const ini = '[Profile0]\nName=a\nIsRelative=1\nPath=Profiles/a\n\n[Profile1]\nName=b\nIsRelative=1\nPath=Profiles/b\nDefault=1\n';
  it('takes Default=1 when there is no [Install] section', () => {
    expect(parseProfilesIni('/r', ini).find((p) => p.isDefault)?.name).toBe('b');
  });
  it('lets a single [Install…] Default win over Default=1', () => {
    const withInstall = `[InstallAAAA]\nDefault=Profiles/a\nLocked=1\n\n${ini}`;
    expect(parseProfilesIni('/r', withInstall).find((p) => p.isDefault)?.name).toBe('a');
  });
  it('uses installs.ini when profiles.ini has no [Install] section', () => {
    expect(parseProfilesIni('/r', ini, '[BBBB]\nDefault=Profiles/a\n').find((p) => p.isDefault)?.name).toBe('a');
  });
  it('falls back to Default=1 with several installs, and to the first profile without any flag', () => {
    const two = `[Install1]\nDefault=Profiles/a\n[Install2]\nDefault=Profiles/c\n${ini}`;
    expect(parseProfilesIni('/r', two).find((p) => p.isDefault)?.name).toBe('b');
    expect(parseProfilesIni('/r', ini.replace('Default=1\n', '')).find((p) => p.isDefault)?.name).toBe('a');
  });
  it('keeps absolute paths (IsRelative=0) and joins relative ones to the root', () => {
    const abs = parseProfilesIni('/r', '[Profile0]\nName=x\nIsRelative=0\nPath=/mnt/p/x\n');
    expect(abs[0]!.dir).toBe('/mnt/p/x');
    expect(parseProfilesIni('/r', ini)[0]!.dir).toBe(path.join('/r', 'Profiles', 'a'));
  });
});

describe('Thunderbird accounts', () => {
  it('Linux layout: IMAP account, SMTP on 25 with a login → finding with both port fixes', async () => {
    const { accounts, findings } = await readAccounts(fixtureContext(home('tb-linux')));
    expect(AccountsSection.parse(accounts)).toHaveLength(1); // Local Folders is skipped; the empty old profile has none
    const a = accounts[0]!;
    expect(a).toMatchObject({
      id: 'thunderbird:abcd1234.default-release:account1',
      client: 'thunderbird',
      profile: 'default-release',
      name: 'jane@example.com',
      email: 'jane@example.com',
      incoming: { protocol: 'imap', host: 'imap.example.com', port: 993, security: 'implicit' },
      outgoing: {
        host: 'smtp.example.com', port: 25, security: 'none', auth: true, username: 'jane@example.com',
        authMethod: { kind: 'password', mechanisms: ['PLAIN', 'LOGIN'], setting: 'mail.smtpserver.smtp1.authMethod = 3' },
      },
    });
    expect(a.source.file).toBe(path.join(home('tb-linux'), '.thunderbird/abcd1234.default-release/prefs.js'));
    expect(a.dataFiles).toEqual([path.join(home('tb-linux'), '.thunderbird/abcd1234.default-release/ImapMail/imap.example.com')]);
    for (const f of findings) Finding.parse(f);
    const f25 = findings.find((f) => f.id === 'accounts.smtp.25-submission')!;
    expect(f25.evidence).toMatchObject({ port: 25, host: 'smtp.example.com', account: a.id });
    expect(f25.fixes.map((x) => x.id)).toEqual([
      'thunderbird:abcd1234.default-release:smtp1:smtp-587-starttls',
      'thunderbird:abcd1234.default-release:smtp1:smtp-465-implicit',
    ]);
    expect(findings.find((f) => f.id === 'accounts.smtp.plaintext-password')).toBeDefined();
  });

  it('Windows layout: CRLF file, POP3 account, 465 with STARTTLS is an error', async () => {
    const { accounts, findings } = await readAccounts(fixtureContext(home('tb-windows')));
    expect(accounts).toHaveLength(1);
    expect(accounts[0]).toMatchObject({
      name: 'Jürgen "Mail"',
      email: 'juergen@example.de',
      incoming: { protocol: 'pop3', port: 995, security: 'implicit' },
      outgoing: { host: 'mail.example.de', port: 465, security: 'starttls', auth: true },
    });
    const f = findings.find((x) => x.id === 'accounts.smtp.465-starttls')!;
    expect(f.severity).toBe('error');
    expect(f.fixes.map((x) => x.id)).toContain('thunderbird:q1w2e3r4.default-release:smtp1:smtp-465-implicit');
  });

  it('macOS layout: user.js wins, EWS gets no port fix, duplicate/orphaned/no-auth servers are found', async () => {
    const res = await readAll(fixtureContext(home('tb-macos')));
    const byEmail = new Map(res.accounts.map((a) => [a.email, a]));
    // prefs.js says 587 + SSL/TLS (a mismatch) but user.js pins 465, which wins.
    expect(byEmail.get('ana@example.org')!.outgoing).toMatchObject({ port: 465, security: 'implicit' });
    expect(res.findings.find((f) => f.id === 'accounts.smtp.587-implicit')).toBeUndefined();
    const ews = byEmail.get('ana@corp.example.com')!;
    expect(ews.incoming?.protocol).toBe('ews');
    expect(ews.outgoing).toMatchObject({ host: null, port: null, username: 'ana@corp.example.com' });
    expect(res.fixes.filter((f) => f.id.includes(':smtp4:'))).toEqual([]);
    expect(res.findings.find((f) => f.id === 'accounts.thunderbird.smtp-orphaned')?.evidence).toMatchObject({ smtpKey: 'smtp1' });
    expect(res.findings.find((f) => f.id === 'accounts.thunderbird.smtp-duplicate')?.evidence.servers).toHaveLength(2);
    const noAuth = res.findings.find((f) => f.id === 'accounts.smtp.no-auth')!;
    expect(noAuth.evidence).toMatchObject({ host: 'smtp.example.net', auth: false });
    expect(noAuth.fixes).toEqual([{ id: 'thunderbird:k9m8n7b6.work:smtp5:smtp-auth-on', title: expect.stringContaining('smtp.example.net') }]);
    // The spare profile in profiles.ini has no folder.
    expect(res.findings.find((f) => f.id === 'accounts.thunderbird.profile-missing')?.severity).toBe('info');
  });

  it('an empty home has no accounts and no findings', async () => {
    const { accounts, findings } = await readAccounts(fixtureContext(path.join(CLIENT_FIXTURES, 'does-not-exist')));
    expect(accounts).toEqual([]);
    expect(findings).toEqual([]);
  });
});
