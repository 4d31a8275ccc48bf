import type { SmtpOutcome, SmtpSecurity } from '../../electron/smtp/schema.ts';

// Plain words for the engine's codes: the UI is for people who are not network engineers.

export const SECURITY_WORDS: Record<SmtpSecurity, string> = {
  none: 'no encryption',
  starttls: 'STARTTLS',
  implicit: 'SSL/TLS',
};

export const OUTCOME_WORDS: Record<SmtpOutcome, string> = {
  ok: 'Works',
  refused: 'Refused (port closed)',
  timeout: 'No answer (timed out)',
  unreachable: 'Server unreachable',
  reset: 'Connection cut',
  'no-banner': 'Server never greeted',
  deferred: 'Try later (4xx)',
  rejected: 'Rejected (5xx)',
  'tls-failed': 'Encryption failed',
  'auth-failed': 'Sign-in failed',
};

export function securityWords(s: SmtpSecurity | null | undefined): string {
  return s ? SECURITY_WORDS[s] : 'not set';
}

export function ms(n: number): string {
  return n < 1000 ? `${Math.round(n)} ms` : `${(n / 1000).toFixed(1)} s`;
}

export function bytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** "1 message", "2 messages": a count with its noun in the right number. */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
