import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FetchText } from '../../../electron/smtp/service.ts';

// A real HTTP server on 127.0.0.1 standing in for the internet's autoconfig hosts: "https://host/path" is
// fetched (for real, with the production fetch) as "http://127.0.0.1:PORT/host/path".

export interface FixtureHttp {
  fetchText: FetchText;
  requests: string[];
  close(): Promise<void>;
}

export async function startFixtureHttp(routes: Record<string, { status?: number; body: string; delayMs?: number }>): Promise<FixtureHttp> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const key = req.url ?? '';
    requests.push(key);
    const route = routes[key.split('?')[0]!];
    const send = (): void => {
      if (!route) {
        res.writeHead(404).end('not found');
        return;
      }
      res.writeHead(route.status ?? 200, { 'content-type': 'application/xml' }).end(route.body);
    };
    if (route?.delayMs) setTimeout(send, route.delayMs);
    else send();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const { defaultFetchText } = await import('../../../electron/smtp/provider/lookup.ts');
  return {
    requests,
    fetchText: (url, timeoutMs) => {
      const u = new URL(url);
      return defaultFetchText(`http://127.0.0.1:${port}/${u.host}${u.pathname}${u.search}`, timeoutMs);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
