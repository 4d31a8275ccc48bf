import type { Cli } from '../command.ts';
import { call, emitReport } from './common.ts';

/** `mailmedic accounts`: every mail client's accounts and what is wrong with them. */
export async function run(cli: Cli, o: { home?: string; json?: boolean }): Promise<void> {
  await emitReport(cli, await call('accounts', { home: o.home }, cli.ctx(o.home)), o);
}
