import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { SMTP_OAUTH2, thunderbirdSmtpOAuth2Provider } from '../../../electron/clients/thunderbird/oauth2-hosts.ts';

// Where Thunderbird can sign in to an SMTP server with OAuth2: the host or a parent domain on its provider list.

describe('Thunderbird\'s OAuth2 SMTP hosts', () => {
  it.each([
    ['smtp.office365.com', 'Microsoft'], ['smtp-mail.outlook.com', 'Microsoft'], ['SMTP.Gmail.com.', 'Google'], ['smtp.googlemail.com', 'Google'],
    ['smtp.mail.yahoo.com', 'Yahoo'], ['smtp.aol.com', 'AOL'], ['smtp.fastmail.com', 'Fastmail'], ['smtp.mail.ru', 'Mail.ru'],
    ['smtp.yandex.ru', null], ['mail.example.org', null], ['gmail.com.evil.example', null], ['notgmail.com', null], ['imap.fastmail.com', null], [null, null],
  ])('%s → %s', (host, provider) => {
    expect(thunderbirdSmtpOAuth2Provider(host)).toBe(provider);
  });

  // The installed Thunderbird's own list (omni.ja) holds every entry this one has.
  const omni = '/usr/lib/thunderbird/omni.ja';
  const canRead = existsSync(omni) && spawnSync('unzip', ['-v'], { stdio: 'ignore' }).status === 0;
  it.skipIf(!canRead)('matches the kHostnames of the installed Thunderbird', () => {
    const src = execFileSync('unzip', ['-p', omni, 'modules/OAuth2Providers.sys.mjs'], { encoding: 'utf8', maxBuffer: 1 << 22 });
    const block = src.slice(src.indexOf('kHostnames = new Map(['), src.indexOf(']);', src.indexOf('kHostnames = new Map([')));
    const theirs = new Set([...block.matchAll(/\[\s*"([a-z0-9.-]+)",\s*\[/g)].map((m) => m[1]!));
    for (const host of SMTP_OAUTH2.keys()) expect(theirs, host).toContain(host);
    for (const host of [...theirs].filter((h) => h.startsWith('smtp.'))) expect(thunderbirdSmtpOAuth2Provider(host), host).not.toBeNull();
  });
});
