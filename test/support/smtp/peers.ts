import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

// Raw TCP peers on 127.0.0.1 that misbehave on purpose (hostile or broken servers). Each records how many
// connections were open at once, so tests can check the probe really runs ports concurrently.

export interface Peer {
  port: number;
  /** Most connections open at the same time. */
  readonly peakConnections: number;
  readonly connections: number;
  /** Every byte the clients sent, per connection. */
  readonly received: string[];
  close(): Promise<void>;
}

export async function startPeer(onConnection: (socket: Socket, index: number) => void): Promise<Peer> {
  const sockets = new Set<Socket>();
  const received: string[] = [];
  let open = 0;
  let peak = 0;
  let total = 0;
  const server: Server = createServer((socket) => {
    const index = total++;
    received[index] = '';
    sockets.add(socket);
    open++;
    peak = Math.max(peak, open);
    socket.on('data', (d) => {
      received[index] += d.toString('latin1');
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      open--;
      sockets.delete(socket);
    });
    onConnection(socket, index);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    get peakConnections() {
      return peak;
    },
    get connections() {
      return total;
    },
    received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Answers each client line with `reply(line)` (or nothing when it returns null). */
export function lineServer(greeting: string | null, reply: (line: string, socket: Socket) => string | null) {
  return (socket: Socket): void => {
    if (greeting !== null) socket.write(greeting);
    let buf = '';
    socket.on('data', (d) => {
      buf += d.toString('latin1');
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl).replace(/\r$/, '');
        buf = buf.slice(nl + 1);
        const r = reply(line, socket);
        if (r !== null && !socket.destroyed) socket.write(r);
      }
    });
  };
}

/** A port on 127.0.0.1 where nothing listens (bound, then released). */
export async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
