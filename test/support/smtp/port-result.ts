import type { PortResult } from '../../../electron/smtp/schema.ts';

// Builds PortResults shaped like the probe's (for the pure diagnosis rules); the transcripts are copied from
// real runs against the loopback Postfix and hostile peers.

export const TRANSCRIPTS = {
  okStarttls: [
    { t: 0, dir: 'i', text: 'connecting to 127.0.0.1 port 587' },
    { t: 7.9, dir: 'i', text: 'TCP connected (local port 35658)' },
    { t: 21.3, dir: 's', text: '220 mail.loopback.test ESMTP loopback-test' },
    { t: 21.4, dir: 'c', text: 'EHLO mailmedic.invalid' },
    { t: 25.2, dir: 's', text: '250-mail.loopback.test\n250-PIPELINING\n250-SIZE 1048576\n250-STARTTLS\n250 CHUNKING' },
    { t: 25.3, dir: 'c', text: 'STARTTLS' },
    { t: 27.3, dir: 's', text: '220 2.0.0 Ready to start TLS' },
    { t: 77.2, dir: 's', text: '250-mail.loopback.test\n250-AUTH PLAIN LOGIN CRAM-MD5\n250 CHUNKING' },
    { t: 103.3, dir: 'c', text: 'QUIT' },
    { t: 104.1, dir: 's', text: '221 2.0.0 Bye' },
  ],
  dropped: [
    { t: 0, dir: 'i', text: 'connecting to 192.0.2.10 port 25' },
    { t: 10001.2, dir: 'i', text: 'no answer to the TCP connection within 10000 ms (packets dropped)' },
  ],
  masked: [
    { t: 0, dir: 'i', text: 'connecting to 192.0.2.10 port 25' },
    { t: 3.1, dir: 's', text: '220 ******************************' },
  ],
} satisfies Record<string, PortResult['transcript']>;

export function portResult(p: Partial<PortResult> & Pick<PortResult, 'port' | 'outcome'>): PortResult {
  return {
    security: 'none', phase: p.outcome === 'ok' ? 'quit' : 'connect', reply: null, tls: null, ms: 10, transcript: [],
    address: '192.0.2.10', error: null, capabilities: null, ...p,
  };
}
