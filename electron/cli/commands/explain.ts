import type { Cli } from '../command.ts';
import { call, emitReport } from './common.ts';

/** `mailmedic explain TEXT…`: an SMTP error text in plain words (no network, no files). */
export async function run(cli: Cli, text: string[], o: { json?: boolean }): Promise<void> {
  await emitReport(cli, await call('explain', { text: text.join(' ') }, cli.ctx()), o);
}
