import type { Cli } from '../command.ts';
import { call } from './common.ts';

/** `mailmedic undo [JOURNAL_ID]`: undoes a fix (default: the last one applied). */
export async function run(cli: Cli, journalId: string | undefined, o: { home?: string; json?: boolean }): Promise<void> {
  const result = await call('undo', { journalId, home: o.home }, cli.ctx(o.home));
  cli.io.stdout(o.json ? JSON.stringify(result, null, 2) + '\n' : `${result.message}\n`);
}
