// `npm start`: the Electron app where its binary exists; otherwise the same UI in the browser, served from the same
// build (out/renderer) on 127.0.0.1 by `mailmedic serve --allow-fixes` (it is the local user's own app).
import { spawnSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronBinary } from './electron-binary.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

const electron = electronBinary();
const build = () => run(process.execPath, ['scripts/build.mjs']);

if (electron) {
  build();
  const child = spawn(electron, ['.'], { cwd: root, stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.error('Electron is not available on this machine (its binary was not downloaded): opening the browser UI instead.');
  // `npm ci` built it (prepare); build again only if out/ was removed since.
  if (!['out/cli/mailmedic.mjs', 'out/renderer/index.html'].every((f) => existsSync(path.join(root, f)))) build();
  const args = ['bin/mailmedic.mjs', 'serve', '--allow-fixes', ...process.argv.slice(2)];
  const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code) => process.exit(code ?? 0));
}
