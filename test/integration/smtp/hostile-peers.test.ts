import { afterEach, describe, expect, it } from 'vitest';
import type { Socket } from 'node:net';
import { diagnoseSmtp } from '../../../electron/smtp/service.ts';
import { PortResult } from '../../../electron/smtp/schema.ts';
import { closedPort, lineServer, startPeer, type Peer } from '../../support/smtp/peers.ts';

// Real sockets on 127.0.0.1: each hostile or broken peer must end within its bound with the right outcome.

const peers: Peer[] = [];
afterEach(async () => {
  await Promise.all(peers.splice(0).map((p) => p.close()));
});

async function peer(onConnection: (s: Socket, i: number) => void): Promise<Peer> {
  const p = await startPeer(onConnection);
  peers.push(p);
  return p;
}

async function probe(port: number, extra: Parameters<typeof diagnoseSmtp>[0] extends infer O ? Partial<O> : never = {}) {
  const { section, findings } = await diagnoseSmtp({ host: '127.0.0.1', ports: [port], timeoutMs: 1500, ...extra });
  const r = section.ports[0]!;
  expect(PortResult.parse(r)).toEqual(r);
  return { r, section, findings };
}

describe('hostile peers', () => {
  it('no greeting at all → no-banner at greeting, and no QUIT is waited for', async () => {
    const p = await peer(() => undefined);
    const { r, findings } = await probe(p.port);
    expect(r).toMatchObject({ outcome: 'no-banner', phase: 'greeting', reply: null });
    expect(r.error).toMatch(/no reply within 1500 ms/);
    expect(findings.map((f) => f.id)).toContain(`smtp.no-banner.${p.port}`);
  });

  it('a 1 MB line without end → no-banner with line-too-long, without buffering it', async () => {
    const p = await peer((s) => s.write(Buffer.alloc(1024 * 1024, 0x41)));
    const { r } = await probe(p.port);
    expect(r).toMatchObject({ outcome: 'no-banner', phase: 'greeting' });
    expect(r.error).toMatch(/line-too-long/);
  });

  it('a 1 MB reply line to EHLO → reset at ehlo', async () => {
    const p = await peer(lineServer('220 peer.test ESMTP\r\n', (line) => (line.startsWith('EHLO') ? `250 ${'x'.repeat(1024 * 1024)}\r\n` : null)));
    const { r } = await probe(p.port);
    expect(r).toMatchObject({ outcome: 'reset', phase: 'ehlo' });
    expect(r.error).toMatch(/line-too-long/);
  });

  it('endless continuation lines → ends with too-many-lines', async () => {
    const p = await peer((s) => {
      const timer = setInterval(() => {
        if (s.destroyed) return clearInterval(timer);
        s.write('220-still greeting you\r\n'.repeat(50));
      }, 5);
      s.on('close', () => clearInterval(timer));
    });
    const { r } = await probe(p.port);
    expect(r).toMatchObject({ outcome: 'no-banner', phase: 'greeting' });
    expect(r.error).toMatch(/too-many-lines/);
  });

  it('one byte per second → no-banner after the greeting timeout, with the partial bytes noted', async () => {
    const p = await peer((s) => {
      const text = Buffer.from('220 slow.peer.test ESMTP\r\n');
      let i = 0;
      const timer = setInterval(() => {
        if (s.destroyed || i >= text.length) return clearInterval(timer);
        s.write(text.subarray(i, ++i));
      }, 1000);
      s.write(text.subarray(i, ++i));
      s.on('close', () => clearInterval(timer));
    });
    const { r } = await probe(p.port, { timeoutMs: 2500 });
    expect(r).toMatchObject({ outcome: 'no-banner', phase: 'greeting' });
    expect(r.error).toMatch(/only \d+ bytes of a reply/);
  });

  it('TLS that resets right after "220 Ready to start TLS" → reset at tls', async () => {
    const p = await peer((s) => {
      let tls = false;
      lineServer('220 peer.test ESMTP\r\n', (line, sock) => {
        if (line.startsWith('EHLO')) return '250-peer.test\r\n250 STARTTLS\r\n';
        if (line === 'STARTTLS') {
          tls = true;
          return '220 2.0.0 Ready to start TLS\r\n';
        }
        return sock.destroyed ? null : '500 what\r\n';
      })(s);
      s.on('data', () => {
        if (tls) s.resetAndDestroy();
      });
    });
    const { r, findings } = await probe(p.port);
    expect(r).toMatchObject({ outcome: 'reset', phase: 'tls', security: 'starttls' });
    expect(findings.map((f) => f.id)).toContain(`smtp.tls-reset.${p.port}`);
  });

  it('a TLS handshake that never completes → tls-failed within the TLS timeout', async () => {
    const p = await peer(lineServer('220 peer.test ESMTP\r\n', (line) =>
      line.startsWith('EHLO') ? '250-peer.test\r\n250 STARTTLS\r\n' : line === 'STARTTLS' ? '220 2.0.0 Ready to start TLS\r\n' : null));
    const { r } = await probe(p.port, { timeouts: { tls: 800 } });
    expect(r).toMatchObject({ outcome: 'tls-failed', phase: 'tls' });
    expect(r.error).toMatch(/did not finish within 800 ms/);
  });

  it('closed port → refused at connect', async () => {
    const port = await closedPort();
    const { r } = await probe(port);
    expect(r).toMatchObject({ outcome: 'refused', phase: 'connect' });
    expect(r.error).toMatch(/ECONNREFUSED/);
  });

  it('421 as the greeting → deferred at greeting, with the enhanced code; no QUIT after 421', async () => {
    const p = await peer((s) => s.end('421 4.7.0 peer.test Error: too many connections from 127.0.0.1\r\n'));
    const { r, findings } = await probe(p.port);
    expect(r).toMatchObject({ outcome: 'deferred', phase: 'greeting', reply: { code: 421, enhanced: '4.7.0' } });
    expect(p.received[0]).not.toMatch(/QUIT/);
    const f = findings.find((x) => x.id === `smtp.deferred.${p.port}`);
    expect(f?.detail).toMatch(/simultaneous connections/);
  });

  it('multi-line 250 is success; EHLO capabilities are parsed', async () => {
    const p = await peer(lineServer('220-peer.test ESMTP\r\n220 welcome\r\n', (line) =>
      line.startsWith('EHLO') ? '250-peer.test hello\r\n250-SIZE 35882577\r\n250-AUTH=LOGIN PLAIN\r\n250-SMTPUTF8\r\n250 PIPELINING\r\n' : line === 'QUIT' ? '221 bye\r\n' : null));
    const { r, section } = await probe(p.port);
    expect(r).toMatchObject({ outcome: 'ok', phase: 'quit', security: 'none' });
    expect(r.capabilities).toMatchObject({ name: 'peer.test', size: 35882577, auth: ['LOGIN', 'PLAIN'], smtpUtf8: true, pipelining: true, starttls: false });
    expect(section.recommended).toEqual({ port: p.port, security: 'none' });
    expect(p.received[0]).toMatch(/QUIT\r\n$/);
  });

  it('EHLO refused with 502 → falls back to HELO', async () => {
    const p = await peer(lineServer('220 old.peer.test\r\n', (line) =>
      line.startsWith('EHLO') ? '502 5.5.1 command not implemented\r\n' : line.startsWith('HELO') ? '250 old.peer.test\r\n' : '221 bye\r\n'));
    const { r } = await probe(p.port);
    expect(r).toMatchObject({ outcome: 'ok' });
    expect(p.received[0]).toMatch(/HELO mailmedic\.invalid/);
  });

  it('TLS from the first byte to a plain-text port → tls-failed (wrong version), fix suggests STARTTLS', async () => {
    const p = await peer(lineServer('220 peer.test ESMTP\r\n', () => '500 5.5.1 what\r\n'));
    const { r, findings } = await probe(p.port, { implicitPorts: [p.port] });
    expect(r).toMatchObject({ outcome: 'tls-failed', phase: 'tls', security: 'implicit' });
    const f = findings.find((x) => x.id === `smtp.tls-failed.${p.port}`);
    expect(f?.fixes.map((x) => x.id)).toContain(`smtp.use-port:${p.port}:starttls`);
  });

  it('AUTH PLAIN and LOGIN: the server gets the credentials, the transcript never shows them', async () => {
    const password = 'S3cret-pa55';
    for (const mech of ['PLAIN', 'LOGIN']) {
      let step = 0;
      const p = await peer(lineServer('220 peer.test\r\n', (line) => {
        if (line.startsWith('EHLO')) return `250-peer.test\r\n250 AUTH ${mech}\r\n`;
        if (line.startsWith('AUTH LOGIN')) return '334 VXNlcm5hbWU6\r\n';
        if (mech === 'LOGIN' && step++ === 0 && !line.startsWith('AUTH')) return '334 UGFzc3dvcmQ6\r\n';
        if (line === 'QUIT') return '221 bye\r\n';
        return '235 2.7.0 Authentication successful\r\n';
      }));
      const { r } = await probe(p.port, { user: 'alice@peer.test', password });
      expect(r.outcome).toBe('ok');
      const wire = Buffer.from(password).toString('base64');
      const plainToken = Buffer.from(`\0alice@peer.test\0${password}`).toString('base64');
      expect(p.received[0]).toContain(mech === 'PLAIN' ? plainToken : wire);
      const shown = JSON.stringify(r.transcript);
      for (const secret of [password, wire, plainToken]) expect(shown).not.toContain(secret);
      expect(shown).toMatch(/hidden/);
    }
  });

  it('a server that echoes the AUTH line back in its error cannot leak the credentials into the report', async () => {
    const p = await peer(lineServer('220 peer.test\r\n', (line) =>
      line.startsWith('EHLO') ? '250-peer.test\r\n250 AUTH PLAIN\r\n' : line.startsWith('AUTH') ? `501 5.5.2 cannot decode: ${line}\r\n` : '221 bye\r\n'));
    const password = 'hunter2-echo';
    const { r, findings } = await probe(p.port, { user: 'alice', password });
    expect(r).toMatchObject({ outcome: 'auth-failed', reply: { code: 501 } });
    const token = Buffer.from(`\0alice\0${password}`).toString('base64');
    const everything = JSON.stringify({ r, findings });
    expect(everything).not.toContain(token);
    expect(everything).not.toContain(password);
    expect(r.reply?.text).toMatch(/<hidden>/);
  });

  it('535 at AUTH → auth-failed with the reply', async () => {
    const p = await peer(lineServer('220 peer.test\r\n', (line) =>
      line.startsWith('EHLO') ? '250-peer.test\r\n250 AUTH PLAIN\r\n' : line.startsWith('AUTH') ? '535 5.7.8 Error: authentication failed\r\n' : '221 bye\r\n'));
    const { r, findings } = await probe(p.port, { user: 'alice', password: 'wrong' });
    expect(r).toMatchObject({ outcome: 'auth-failed', phase: 'auth', reply: { code: 535, enhanced: '5.7.8' } });
    expect(findings.find((f) => f.id === `smtp.auth-failed.${p.port}`)?.severity).toBe('error');
  });

  it('MAIL/RCPT dry-run ends with RSET and QUIT, never DATA', async () => {
    const p = await peer(lineServer('220 peer.test\r\n', (line) => (line === 'QUIT' ? '221 bye\r\n' : line.startsWith('EHLO') ? '250 peer.test\r\n' : '250 2.1.0 Ok\r\n')));
    const { r } = await probe(p.port, { from: 'a@peer.test', to: 'b@peer.test' });
    expect(r.outcome).toBe('ok');
    expect(p.received[0]).toMatch(/MAIL FROM:<a@peer\.test>\r\nRCPT TO:<b@peer\.test>\r\nRSET\r\nQUIT\r\n$/);
    expect(p.received[0]).not.toMatch(/DATA/);
  });

  it('probes all ports at the same time (four silent peers are all connected at once)', async () => {
    let open = 0;
    let peak = 0;
    const silent = (s: Socket): void => {
      open++;
      peak = Math.max(peak, open);
      s.on('close', () => open--);
    };
    const four = await Promise.all([0, 1, 2, 3].map(() => peer(silent)));
    const { section } = await diagnoseSmtp({ host: '127.0.0.1', ports: four.map((p) => p.port), timeoutMs: 1500 });
    expect(section.ports.map((p) => p.outcome)).toEqual(['no-banner', 'no-banner', 'no-banner', 'no-banner']);
    expect(peak).toBe(4);
    expect(section.recommended).toBeNull();
  });

  it('an abort signal ends every port at once, and the probe ends as cancelled (AbortError), not as timeouts', async () => {
    const closed: Promise<void>[] = [];
    const silent = (s: Socket) => void closed.push(new Promise<void>((resolve) => s.once('close', () => resolve())));
    const two = await Promise.all([peer(silent), peer(silent)]);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 200);
    const started = Date.now();
    const run = diagnoseSmtp({ host: '127.0.0.1', ports: two.map((p) => p.port), timeoutMs: 60_000, signal: ac.signal });
    await expect(run).rejects.toMatchObject({ name: 'AbortError', message: 'SMTP probe cancelled' });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(closed).toHaveLength(2);
    await Promise.all(closed);
  });
});
