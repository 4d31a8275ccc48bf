import type { NetworkSection } from '../../../electron/network/schema.ts';
import type { PortResult, SmtpSection } from '../../../electron/smtp/schema.ts';

// Hand-built report sections for correlation tests (the SMTP probe is another domain's work).

export function port(p: number, outcome: PortResult['outcome'], over: Partial<PortResult> = {}): PortResult {
  return {
    port: p,
    security: p === 465 ? 'implicit' : 'starttls',
    outcome,
    phase: outcome === 'ok' ? 'quit' : 'connect',
    reply: null,
    tls: null,
    ms: 5000,
    transcript: [{ t: 0, dir: 'i', text: `connect ${p}` }, ...(outcome === 'ok' ? [] : [{ t: 5000, dir: 'i' as const, text: outcome }])],
    ...over,
  };
}

export function smtp(ports: PortResult[], host = 'smtp.example.com', address: string | null = '192.0.2.25'): SmtpSection {
  return { host, address, ports, recommended: null };
}

export function emptyNetwork(platform = 'linux'): NetworkSection {
  const ok = { checked: true, reason: null };
  return {
    platform,
    firewall: { ...ok, details: { components: [], blockRules: [], sources: [] } },
    vpn: { ...ok, details: { active: false, interfaces: [], connections: [], sources: [] } },
    antivirus: [],
    antivirusCheck: { ...ok, sources: [] },
    proxy: { ...ok, details: { settings: [], bypass: [], sources: [] } },
    route: {
      ...ok,
      details: { target: '192.0.2.25', host: 'smtp.example.com', interface: 'eth0', gateway: '10.0.0.1', sourceAddress: '10.0.0.5', table: null, viaVpn: false, sources: [] },
    },
  };
}
