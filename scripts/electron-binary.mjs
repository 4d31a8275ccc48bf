import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Where the Electron binary is, without require('electron'): that require would try to download it.
export function electronBinary() {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const pkgDir = path.join(root, 'node_modules', 'electron');
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const exe = process.platform === 'win32' ? 'electron.exe' : process.platform === 'darwin' ? 'Electron.app/Contents/MacOS/Electron' : 'electron';
  if (override && existsSync(path.join(override, exe))) return path.join(override, exe);
  const pathTxt = path.join(pkgDir, 'path.txt');
  if (existsSync(pathTxt)) {
    const bin = path.join(pkgDir, 'dist', readFileSync(pathTxt, 'utf8').trim());
    if (existsSync(bin)) return bin;
  }
  return null;
}
