import { ApiError } from '../../core/errors.ts';
import { EXIT, type Cli } from '../command.ts';
import { call } from './common.ts';

export interface FixOptions {
  home?: string;
  list?: boolean;
  yes?: boolean;
  dryRun?: boolean;
  json?: boolean;
}

/** `mailmedic fix [FIX_ID]`: the list of fixes, or one fix previewed and (with --yes or a "y") applied. */
export async function run(cli: Cli, fixId: string | undefined, o: FixOptions): Promise<void> {
  const { io } = cli;
  const ctx = cli.ctx(o.home);
  if (o.list || !fixId) {
    const { fixes } = await call('fixList', { home: o.home }, ctx);
    if (o.json) io.stdout(JSON.stringify({ fixes }, null, 2) + '\n');
    else io.stdout(fixes.length ? fixes.map((f) => `${f.id}\n    ${f.title}`).join('\n') + '\n' : 'No fixes to offer.\n');
    return;
  }
  const preview = await call('fixPreview', { id: fixId, home: o.home }, ctx);
  if (o.dryRun || !o.yes) {
    io.stdout(o.json ? JSON.stringify(preview, null, 2) + '\n' : `${preview.title}\n\n${preview.preview}\n`);
    if (!o.dryRun && !o.yes) {
      if (!process.stdin.isTTY) throw new ApiError('bad-request', 'not applied: pass --yes to apply without a prompt');
      if (!(await confirm('Apply this change? [y/N] '))) {
        io.stderr('Not applied.\n');
        return;
      }
    } else return;
  }
  const result = await call('fixApply', { id: fixId, home: o.home }, ctx);
  io.stdout(o.json ? JSON.stringify(result, null, 2) + '\n' : `${result.message}\n${result.journalId ? `Undo with: mailmedic undo ${result.journalId}\n` : ''}`);
  if (!result.applied) cli.exit(EXIT.FINDINGS);
}

async function confirm(question: string): Promise<boolean> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}
