import { SMTPServer } from 'smtp-server';

/** The e2e "provider": 587 (STARTTLS) and 2525 (plain) on ADDRESS; 25 and 465 stay closed. */
export const PEER_ADDRESS = '127.0.0.2';
export const PEER_PORTS = [587, 2525] as const;

/** The one login the peer accepts ("test with my password" in the Sending screen). */
export const PEER_USER = 'sam@mailmedic.test';
export const PEER_PASSWORD = 'correct horse battery staple';

export interface Peer {
  /** User names of the logins tried (never the passwords), in order. */
  logins: { user: string; ok: boolean }[];
  stop: () => Promise<void>;
}

/**
 * Real SMTP servers (npm smtp-server) on loopback. 127.0.0.2 keeps clear of the Postfix tests on 127.0.0.1.
 * STARTTLS uses `tls` (a certificate from makeCerts, trusted by the server under test through
 * NODE_EXTRA_CA_CERTS). Only PEER_USER/PEER_PASSWORD may sign in.
 */
export async function startPeer(tls: { key: string; cert: string }): Promise<Peer> {
  const servers: SMTPServer[] = [];
  const logins: Peer['logins'] = [];
  for (const port of PEER_PORTS) {
    const server = new SMTPServer({
      name: 'mx.mailmedic.test',
      banner: 'MailMedic e2e provider',
      authOptional: true,
      hideSTARTTLS: port === 2525,
      disableReverseLookup: true,
      logger: false,
      key: tls.key,
      cert: tls.cert,
      onAuth: (auth, _session, cb) => {
        const ok = auth.username === PEER_USER && auth.password === PEER_PASSWORD;
        logins.push({ user: auth.username ?? '', ok });
        cb(ok ? null : Object.assign(new Error('Authentication credentials invalid'), { responseCode: 535 }), ok ? { user: PEER_USER } : undefined);
      },
      onData: (stream, _session, cb) => {
        stream.resume();
        stream.on('end', () => cb());
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, PEER_ADDRESS, () => resolve());
    });
    servers.push(server);
  }
  return {
    logins,
    stop: () => Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r())))).then(() => undefined),
  };
}
