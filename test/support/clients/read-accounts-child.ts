// Child process: reads the accounts under HOME and prints {accounts, findings} ids as JSON (for tests that must
// run as another user). Usage: tsx read-accounts-child.ts HOME
import { readAll } from '../../../electron/clients/service.ts';
import { runCommand } from '../../../electron/engine/run-command.ts';

const home = process.argv[2];
if (!home) process.exit(2);
const res = await readAll({ home, dataDir: '/nonexistent', platform: process.platform, env: {}, run: runCommand });
process.stdout.write(JSON.stringify({ accounts: res.accounts.map((a) => a.id), findings: res.findings.map((f) => f.id) }) + '\n');
