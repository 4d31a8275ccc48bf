import type { SmtpOutcome, SmtpPhase } from './schema.ts';

// Pure mapping from what happened at a step to the report's fixed outcome vocabulary (SmtpOutcome).

/** Socket errno → outcome at the connect step: a dropped SYN times out; a TCP reset or ICMP port-unreachable is refused. */
export function connectErrorOutcome(code: string | undefined): SmtpOutcome {
  switch (code) {
    case 'ECONNREFUSED':
      return 'refused';
    case 'ETIMEDOUT':
      return 'timeout';
    case 'ECONNRESET':
      return 'reset';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EHOSTDOWN':
    case 'ENETDOWN':
    case 'EACCES':
    case 'EPERM':
    case 'EADDRNOTAVAIL':
      return 'unreachable';
    default:
      return 'unreachable';
  }
}

function mentionsTls(text: string): boolean {
  return /\b(starttls|tls|ssl|encrypt)/i.test(text);
}

/** A negative reply → outcome; `null` for a positive one (2xx/3xx: 250 is success, never an error). */
export function replyOutcome(phase: SmtpPhase, code: number, enhanced: string | null, text: string): SmtpOutcome | null {
  if (code < 400) return null;
  if (phase === 'tls') return 'tls-failed';
  if (phase === 'auth') return code >= 500 ? 'auth-failed' : 'deferred';
  // 530 "authentication required" / 535 at MAIL means the server wants AUTH; "must issue STARTTLS" is a TLS matter.
  if ([530, 534, 535, 538].includes(code) && !(code === 530 && mentionsTls(text) && !/auth/i.test(text))) return 'auth-failed';
  if (enhanced === '5.7.57' || enhanced === '5.7.139' || enhanced === '5.7.8') return 'auth-failed';
  return code < 500 ? 'deferred' : 'rejected';
}
