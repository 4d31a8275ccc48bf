import type { Cli } from '../command.ts';
import { call, emitReport, num, parsePorts } from './common.ts';

export interface ScanOptions {
  home?: string;
  smtpHost?: string[];
  ports?: string;
  timeout?: string;
  offline?: boolean;
  out?: string;
  json?: boolean;
}

/** `mailmedic scan`: accounts, their outgoing servers, the network and Outlook data files. */
export async function run(cli: Cli, o: ScanOptions): Promise<void> {
  const req = { home: o.home, smtpHosts: o.smtpHost, ports: parsePorts(o.ports), timeoutMs: num(o.timeout), offline: o.offline };
  await emitReport(cli, await call('scan', req, cli.ctx(o.home)), o);
}
