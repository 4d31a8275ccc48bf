// Where Thunderbird itself can sign in to an outgoing server with OAuth2. The list is kHostnames in Thunderbird's
// mailnews/base/src/OAuth2Providers.sys.mjs (https://github.com/mozilla/releases-comm-central/blob/master/mailnews/base/src/OAuth2Providers.sys.mjs),
// as shipped in Thunderbird 153 ESR: the entries that carry a scope for SMTP. Thunderbird looks up the server's host
// name, then each parent domain in turn (getHostnameDetails), and offers "OAuth2" in the SMTP server dialog only when
// one matches (SmtpServerEdit.js). Entries for IMAP/POP only, CardDAV/CalDAV, Microsoft Graph and its test hosts are
// left out; Seznam, added after 153 ESR, too, since that Thunderbird would not know it.

export const SMTP_OAUTH2: ReadonlyMap<string, string> = new Map([
  ['gmail.com', 'Google'],
  ['googlemail.com', 'Google'],
  ['office365.com', 'Microsoft'],
  ['outlook.com', 'Microsoft'],
  ['hotmail.com', 'Microsoft'],
  ['yahoo.com', 'Yahoo'],
  ['att.net', 'Yahoo (AT&T)'],
  ['aol.com', 'AOL'],
  ['smtp.mail.ru', 'Mail.ru'],
  ['smtp.yandex.com', 'Yandex'],
  ['smtp.fastmail.com', 'Fastmail'],
  ['smtp.comcast.net', 'Comcast'],
  ['thundermail.com', 'Thundermail'],
]);

/** The OAuth2 provider Thunderbird uses for this SMTP host, or null when Thunderbird has none for it. */
export function thunderbirdSmtpOAuth2Provider(hostname: string | null): string | null {
  let h = (hostname ?? '').trim().toLowerCase().replace(/\.$/, '');
  while (h.includes('.')) {
    const hit = SMTP_OAUTH2.get(h);
    if (hit) return hit;
    h = h.replace(/^[^.]*\./, '');
  }
  return null;
}
