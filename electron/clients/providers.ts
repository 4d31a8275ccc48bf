// Outgoing servers of large providers, for spotting typos in a configured host name. Hosts and ports are the
// ones the providers publish for mail programs (their help pages on IMAP/SMTP settings).

export interface ProviderSmtp {
  provider: string;
  host: string;
  /** Submission settings the provider documents, preferred first. */
  settings: ReadonlyArray<{ port: number; security: 'starttls' | 'implicit' }>;
}

const STARTTLS587 = { port: 587, security: 'starttls' } as const;
const TLS465 = { port: 465, security: 'implicit' } as const;

export const PROVIDER_SMTP: readonly ProviderSmtp[] = [
  { provider: 'Gmail', host: 'smtp.gmail.com', settings: [STARTTLS587, TLS465] },
  { provider: 'Microsoft 365', host: 'smtp.office365.com', settings: [STARTTLS587] },
  { provider: 'Outlook.com', host: 'smtp-mail.outlook.com', settings: [STARTTLS587] },
  { provider: 'Yahoo', host: 'smtp.mail.yahoo.com', settings: [TLS465, STARTTLS587] },
  { provider: 'iCloud', host: 'smtp.mail.me.com', settings: [STARTTLS587] },
  { provider: 'AOL', host: 'smtp.aol.com', settings: [TLS465, STARTTLS587] },
  { provider: 'Zoho', host: 'smtp.zoho.com', settings: [TLS465, STARTTLS587] },
  { provider: 'Fastmail', host: 'smtp.fastmail.com', settings: [TLS465, STARTTLS587] },
  { provider: 'GMX', host: 'mail.gmx.net', settings: [STARTTLS587, TLS465] },
  { provider: 'WEB.DE', host: 'smtp.web.de', settings: [STARTTLS587] },
  { provider: 'Telekom', host: 'securesmtp.t-online.de', settings: [TLS465, STARTTLS587] },
  { provider: 'Proton Mail Bridge', host: '127.0.0.1', settings: [] },
];

/** Optimal string alignment distance (Damerau–Levenshtein with adjacent swaps), bounded inputs only. */
export function editDistance(a: string, b: string): number {
  if (a.length > 255 || b.length > 255) return Math.max(a.length, b.length);
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

const TLD_SLIPS = new Set(['con', 'cmo', 'cm', 'om', 'comm', 'co', 'ocm', 'vom', 'xom', 'nte', 'ne', 'nett', 'met']);

/** The known provider host a configured host is probably a typo of (1–2 edits away, not equal), or null. */
export function likelyTypoOf(host: string): ProviderSmtp | null {
  const h = host.trim().toLowerCase().replace(/\.$/, '');
  if (PROVIDER_SMTP.some((p) => p.host === h)) return null;
  let best: { p: ProviderSmtp; d: number } | null = null;
  const tld = h.split('.').pop() ?? '';
  for (const p of PROVIDER_SMTP) {
    if (p.host === '127.0.0.1') continue;
    // Another real top-level domain (mail.gmx.de vs .net) is likely deliberate; a slipped ".com" is not.
    if (tld !== p.host.split('.').pop() && !TLD_SLIPS.has(tld)) continue;
    const d = editDistance(h, p.host);
    if (d <= 2 && (!best || d < best.d)) best = { p, d };
  }
  return best?.p ?? null;
}
