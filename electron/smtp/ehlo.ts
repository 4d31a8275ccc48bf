import { z } from 'zod';

// What the server offers in its EHLO reply (RFC 5321 §4.1.1.1; extensions from the IANA SMTP registry).

export const EhloCapabilities = z.object({
  /** The server's own name from the first EHLO line. */
  name: z.string(),
  keywords: z.array(z.string()),
  starttls: z.boolean(),
  auth: z.array(z.string()),
  /** Largest message in bytes (SIZE, RFC 1870); null when not announced or 0 (no limit). */
  size: z.number().int().nullable(),
  pipelining: z.boolean(),
  eightBitMime: z.boolean(),
  smtpUtf8: z.boolean(),
});
export type EhloCapabilities = z.infer<typeof EhloCapabilities>;

/** Parses the text of a 250 EHLO reply (lines joined by "\n", codes already removed). */
export function parseEhlo(text: string): EhloCapabilities {
  const [first = '', ...rest] = text.split('\n');
  const keywords: string[] = [];
  const auth = new Set<string>();
  let size: number | null = null;
  for (const line of rest) {
    const parts = line.trim().split(/[\s=]+/).filter(Boolean);
    const kw = parts[0]?.toUpperCase();
    if (!kw) continue;
    keywords.push(kw);
    // "AUTH=LOGIN PLAIN" is the pre-standard form some servers (and old Outlook) still use.
    if (kw === 'AUTH') for (const m of parts.slice(1)) auth.add(m.toUpperCase());
    if (kw === 'SIZE' && parts[1] && /^\d+$/.test(parts[1])) {
      const n = Number(parts[1]);
      size = n > 0 && Number.isSafeInteger(n) ? n : null;
    }
  }
  const has = (k: string): boolean => keywords.includes(k);
  return {
    name: first.trim().split(/\s+/)[0] ?? '',
    keywords: [...new Set(keywords)],
    starttls: has('STARTTLS'),
    auth: [...auth],
    size,
    pipelining: has('PIPELINING'),
    eightBitMime: has('8BITMIME'),
    smtpUtf8: has('SMTPUTF8'),
  };
}
