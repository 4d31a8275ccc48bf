import net from 'node:net';
import { UsageError } from '../core/errors.ts';

export interface ListenAddress {
  host: string;
  port: number;
  loopback: boolean;
}

/** "ADDR:PORT", "[v6]:PORT" or ":PORT" (all interfaces) → host, port and whether only this machine can reach it. */
export function parseListen(spec: string): ListenAddress {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(spec.trim());
  if (!m) throw new UsageError(`--listen: expected ADDR:PORT, got ${spec}`);
  const host = m[1] ?? (m[2] || '0.0.0.0');
  const port = Number(m[3]);
  if (port > 65535) throw new UsageError(`--listen: not a port: ${m[3]}`);
  if (host !== 'localhost' && net.isIP(host) === 0) throw new UsageError(`--listen: not an IP address: ${host}`);
  return { host, port, loopback: isLoopback(host) };
}

export function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  if (net.isIPv4(host)) return host.startsWith('127.');
  return /^::ffff:127\./i.test(host);
}
