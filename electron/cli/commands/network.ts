import type { Cli } from '../command.ts';
import { call, emitReport } from './common.ts';

/** `mailmedic network`: firewall, VPN, antivirus, proxy and route. */
export async function run(cli: Cli, o: { smtpHost?: string; json?: boolean }): Promise<void> {
  await emitReport(cli, await call('network', { smtpHost: o.smtpHost }, cli.ctx()), o);
}
