import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import type { AddressInfo } from 'node:net';

// Scripted smtp-server (nodemailer's server library) instances on 127.0.0.1 (or ::1) for edge cases Postfix cannot
// script easily (AV-style certificates, hooks per command).

export interface RunningServer {
  port: number;
  server: SMTPServer;
  close(): Promise<void>;
}

export async function startSmtpServer(options: SMTPServerOptions, host = '127.0.0.1'): Promise<RunningServer> {
  const server = new SMTPServer({ disableReverseLookup: true, logger: false, name: 'mx.loopback.test', ...options });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, host, () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    server,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}
