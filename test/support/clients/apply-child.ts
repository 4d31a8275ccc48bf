// Child process for fault-injection tests: applies one fix (or undoes the last one when FIX_ID is "undo") and, at
// the named step, announces it and waits to be SIGKILLed by the parent. Usage: tsx apply-child.ts HOME DATA_DIR FIX_ID STEP
import { applyFix, undoFix } from '../../../electron/engine/fix-catalog.ts';
import type { ApplyStep } from '../../../electron/fixes/atomic.ts';
import { runCommand } from '../../../electron/engine/run-command.ts';

const [home, dataDir, fixId, killStep] = process.argv.slice(2);
if (!home || !dataDir || !fixId || !killStep) {
  process.stderr.write('usage: apply-child HOME DATA_DIR FIX_ID STEP\n');
  process.exit(2);
}
const ctx = { home, dataDir, platform: process.platform, env: {}, run: runCommand };
const onStep = async (step: ApplyStep) => {
  if (step !== killStep) return;
  process.stdout.write(`AT ${step}\n`);
  // Keep the process alive until the parent kills it; bounded so a broken parent cannot leak it forever.
  await new Promise((resolve) => setTimeout(resolve, 60_000));
  process.exit(3);
};
if (fixId === 'undo') await undoFix(undefined, ctx, { onStep });
else await applyFix(fixId, ctx, { onStep, network: false });
process.stdout.write('DONE\n');
