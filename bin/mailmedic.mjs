#!/usr/bin/env node
// The `mailmedic` command: the bundle `npm run build` writes (scripts/build.mjs; `npm ci` runs it through `prepare`).
// Nothing is compiled at run time.
import { existsSync } from 'node:fs';

const bundle = new URL('../out/cli/mailmedic.mjs', import.meta.url);
if (!existsSync(bundle)) {
  process.stderr.write('mailmedic: the command is not built yet (out/cli/mailmedic.mjs is missing): run npm run build\n');
  process.exitCode = 2;
} else {
  await import(bundle.href);
}
