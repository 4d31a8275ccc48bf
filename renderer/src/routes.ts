import { useEffect, useState } from 'react';

// Hash routes (#/sending, #/finding/<id>): no router library, and they work under app:// and the HTTP face alike.

export const SCREENS = [
  { id: 'overview', label: 'Overview' },
  { id: 'sending', label: 'Sending' },
  { id: 'accounts', label: 'Accounts' },
  { id: 'network', label: 'Network' },
  { id: 'pst', label: 'PST files' },
  { id: 'explain', label: 'Explain an error' },
  { id: 'fixes', label: 'Fixes' },
  { id: 'console', label: 'IT console' },
] as const;
export type ScreenId = (typeof SCREENS)[number]['id'];

export interface Route {
  screen: ScreenId;
  /** Deep link to one finding of the last check (#/finding/<id>). */
  finding: string | null;
}

const IDS = new Set<string>(SCREENS.map((s) => s.id));

export function parseHash(hash: string): Route {
  const path = hash.replace(/^#\/?/, '');
  if (path.startsWith('finding/')) {
    let id = path.slice('finding/'.length);
    try {
      id = decodeURIComponent(id);
    } catch {
      // a broken %-escape: keep the raw text, it simply will not match a finding
    }
    return { screen: 'overview', finding: id || null };
  }
  return { screen: IDS.has(path) ? (path as ScreenId) : 'overview', finding: null };
}

export function hashOf(route: Route): string {
  return route.finding ? `#/finding/${encodeURIComponent(route.finding)}` : `#/${route.screen}`;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseHash(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
