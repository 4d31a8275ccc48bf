import type { PortResult, SmtpSecurity } from './schema.ts';

// Which {port, security} to tell the user to use: among ports that reached `ok`, implicit TLS (465) first,
// then 587 STARTTLS, then 2525 (RFC 8314 §3.3 prefers implicit TLS for submission). Port 25 and plain text last.

function rank(p: PortResult): number {
  if (p.security === 'implicit') return p.port === 465 ? 0 : 1;
  if (p.security === 'starttls') {
    if (p.port === 587) return 2;
    if (p.port === 2525) return 3;
    return p.port === 25 ? 5 : 4;
  }
  return p.port === 25 ? 7 : 6;
}

export function recommend(ports: PortResult[]): { port: number; security: SmtpSecurity } | null {
  const ok = ports.filter((p) => p.outcome === 'ok').sort((a, b) => rank(a) - rank(b) || a.port - b.port);
  const best = ok[0];
  return best ? { port: best.port, security: best.security } : null;
}
