/** The ports mail clients submit on; a block on any of them is what this domain looks for. */
export const SMTP_PORTS = [25, 465, 587, 2525] as const;

const SERVICE_NAMES: Record<string, number> = {
  smtp: 25,
  smtps: 465,
  submissions: 465,
  urd: 465,
  submission: 587,
};

/** A port or service name (as pf/iptables print them) → number, or null. */
export function portNumber(token: string): number | null {
  const t = token.trim().toLowerCase();
  if (/^\d{1,5}$/.test(t)) {
    const n = Number(t);
    return n >= 0 && n <= 65535 ? n : null;
  }
  return SERVICE_NAMES[t] ?? null;
}

/**
 * Which SMTP ports a port spec covers. Accepts "Any"/"*", single ports, names, ranges "1-1024" or
 * "1:1024", and comma lists: the forms Windows, iptables, ufw and pf print.
 */
export function smtpPortsIn(spec: string | number | readonly (string | number)[]): number[] {
  const parts = Array.isArray(spec) ? spec.map(String) : String(spec).split(',');
  const hit = new Set<number>();
  for (const raw of parts.slice(0, 1000)) {
    const p = raw.trim();
    if (p === '') continue;
    if (/^(any|\*)$/i.test(p)) {
      SMTP_PORTS.forEach((x) => hit.add(x));
      continue;
    }
    const range = /^(\w+)\s*[-:]\s*(\w+)$/.exec(p);
    if (range) {
      const lo = portNumber(range[1]);
      const hi = portNumber(range[2]);
      if (lo !== null && hi !== null) SMTP_PORTS.filter((x) => x >= lo && x <= hi).forEach((x) => hit.add(x));
      continue;
    }
    const n = portNumber(p);
    if (n !== null && (SMTP_PORTS as readonly number[]).includes(n)) hit.add(n);
  }
  return [...hit].sort((a, b) => a - b);
}
