// `npm start`: the Electron app where its binary exists; otherwise the same UI in the browser,
// served on 127.0.0.1 by `mailmedic serve --allow-fixes` (it is the local user's own app).
import { spawnSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronBinary } from './electron-binary.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

const electron = electronBinary();
if (electron) {
  run(npx, ['electron-vite', 'build']);
  const child = spawn(electron, ['.'], { cwd: root, stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.error('Electron is not available on this machine (its binary was not downloaded): opening the browser UI instead.');
  if (!existsSync(path.join(root, 'dist/renderer/index.html'))) run(npx, ['vite', 'build', '--logLevel', 'warn']);
  const args = ['bin/mailmedic.mjs', 'serve', '--allow-fixes', ...process.argv.slice(2)];
  const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code) => process.exit(code ?? 0));
}
