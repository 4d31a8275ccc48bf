import { APP_ORIGIN } from './window.ts';

// mailmedic:// links (from a report, an IT ticket, the CLI's "open in app"): only two shapes are accepted,
// and they only ever become a hash route on the app's own page, never a URL the page would load.

export const DEEP_LINK_SCHEME = 'mailmedic';

const SCREENS = new Set(['overview', 'sending', 'accounts', 'network', 'pst', 'explain', 'fixes']);
const FINDING_ID = /^[A-Za-z0-9._:@-]{1,200}$/;

/** mailmedic://finding/<id> or mailmedic://screen/<name> → the app URL with its hash route; anything else → null. */
export function deepLinkToAppUrl(link: string): string | null {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return null;
  }
  if (url.protocol !== `${DEEP_LINK_SCHEME}:`) return null;
  // mailmedic://finding/x parses with host "finding"; mailmedic:finding/x without it.
  const parts = `${url.host}${url.pathname}`.replace(/^\/+/, '').split('/').filter(Boolean);
  if (parts.length !== 2) return null;
  const [kind, raw] = parts as [string, string];
  let value: string;
  try {
    value = decodeURIComponent(raw);
  } catch {
    return null;
  }
  if (kind === 'finding' && FINDING_ID.test(value)) return `${APP_ORIGIN}/index.html#/finding/${encodeURIComponent(value)}`;
  if (kind === 'screen' && SCREENS.has(value)) return `${APP_ORIGIN}/index.html#/${value}`;
  return null;
}

/** The first deep link in a command line (Windows/Linux pass it as an argument to the second instance). */
export function deepLinkInArgv(argv: readonly string[]): string | null {
  for (const a of argv.slice(0, 50)) {
    if (a.startsWith(`${DEEP_LINK_SCHEME}:`)) {
      const target = deepLinkToAppUrl(a);
      if (target) return target;
    }
  }
  return null;
}
