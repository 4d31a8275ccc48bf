// `npm run dist`: installers through electron-builder (Windows NSIS, macOS dmg, Linux AppImage + deb).
// It needs the Electron binary and electron-builder's tools, both downloaded from the internet.
import { spawnSync } from 'node:child_process';
import { electronBinary } from './electron-binary.mjs';

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
if (!electronBinary() && !process.env.MAILMEDIC_FORCE_DIST) {
  console.error(
    'npm run dist: the Electron binary is not on this machine and cannot be downloaded here, so no installer can be built.\n' +
      'Run it on a machine with internet access (or set ELECTRON_OVERRIDE_DIST_PATH to an unpacked Electron, or MAILMEDIC_FORCE_DIST=1 to let electron-builder try the download).',
  );
  process.exit(2);
}
for (const [cmd, args] of [
  [process.execPath, ['scripts/build.mjs']],
  [npx, ['electron-builder', '--config', 'build/electron-builder.yml', ...process.argv.slice(2)]],
]) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
