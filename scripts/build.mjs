// `npm run build` (also run by `npm ci` through `prepare`, and by `npm test` first): everything that ships, under out/.
//
//   out/cli/mailmedic.mjs        the `mailmedic` command and `mailmedic serve` (bin/mailmedic.mjs imports it)
//   out/main/main.mjs            the Electron main process
//   out/chunks/*.mjs             the engine, split by domain, shared by both entries and loaded on first use
//   out/chunks/sql-wasm.wasm     sql.js's SQLite, beside the chunk that loads it
//   out/pst/pst-scan-worker.mjs  the PST scan worker thread: one self-contained file
//   out/preload/preload.cjs      the sandboxed preload (CommonJS: sandboxed preloads have no ESM)
//   out/renderer/                the React UI (Vite), for the app window and for `mailmedic serve`
//   out/meta.json                esbuild's metafile: which source went where (tests read it; not packaged)
//
// Rule: every built script sits exactly one folder below out/, so the code finds out/ as the parent of its own
// folder (electron/core/built.ts). This script fails when an output breaks that rule.
import * as esbuild from 'esbuild';
import { build as viteBuild } from 'vite';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'out');
const t0 = performance.now();

rmSync(out, { recursive: true, force: true });

// zod re-exports every one of its ~50 message locales (`z.locales`), which no bundler can leave out of a namespace
// export: 366 KB of JavaScript that every command loaded at start-up. MailMedic words its own messages and zod's
// default is English, so `z.locales` holds only `en` in the bundle.
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    // A real file, so the metafile names inputs that exist (electron/core/built.ts checks each one's time).
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]zod[\\/]/.test(args.importer) ? { path: path.join(root, 'scripts/zod-locales-en.mjs') } : undefined,
    );
  },
};

const node = {
  absWorkingDir: root,
  outdir: out,
  bundle: true,
  platform: 'node',
  target: 'node20.19',
  logLevel: 'warning',
  metafile: true,
  // Only the Electron shell imports `electron`, which Electron itself provides; every other package is bundled, so
  // nothing is resolved from node_modules at run time.
  external: ['electron'],
  plugins: [zodEnglishOnly],
};
// Bundled CommonJS packages (sql.js, iconv-lite, …) call require() for Node's built-ins and read __dirname, which an
// ES module does not have: give each output file its own.
const esm = {
  ...node,
  format: 'esm',
  outExtension: { '.js': '.mjs' },
  banner: { js: "import { createRequire as __mmCreateRequire } from 'node:module'; const require = __mmCreateRequire(import.meta.url);" },
  define: { __dirname: 'import.meta.dirname', __filename: 'import.meta.filename' },
};

const [engine, worker, preload] = await Promise.all([
  esbuild.build({
    ...esm,
    entryPoints: { 'cli/mailmedic': 'electron/cli/entry.ts', 'main/main': 'electron/app/main.ts' },
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
  }),
  esbuild.build({ ...esm, entryPoints: { 'pst/pst-scan-worker': 'electron/pst/scan-worker.ts' } }),
  esbuild.build({ ...node, format: 'cjs', entryPoints: { 'preload/preload': 'electron/app/preload.ts' }, outExtension: { '.js': '.cjs' } }),
]);

const require = createRequire(import.meta.url);
mkdirSync(path.join(out, 'chunks'), { recursive: true });
copyFileSync(path.join(path.dirname(require.resolve('sql.js')), 'sql-wasm.wasm'), path.join(out, 'chunks/sql-wasm.wasm'));

const outputs = { ...engine.metafile.outputs, ...worker.metafile.outputs, ...preload.metafile.outputs };
const misplaced = Object.keys(outputs).filter((f) => f.split('/').length !== 3);
if (misplaced.length) throw new Error(`build: every output must sit one folder below out/ (electron/core/built.ts), not: ${misplaced.join(', ')}`);

const ui = await viteBuild({ root: path.join(root, 'renderer'), configFile: path.join(root, 'vite.config.ts'), logLevel: 'warn' });

// Written last: its time is the build's time (a source file newer than it means the build is stale).
const inputs = { ...engine.metafile.inputs, ...worker.metafile.inputs, ...preload.metafile.inputs };
for (const result of [ui].flat()) {
  for (const item of 'output' in result ? result.output : []) {
    for (const id of item.type === 'chunk' ? item.moduleIds : []) {
      const rel = path.relative(root, id);
      if (path.isAbsolute(id) && !rel.startsWith('..')) inputs[rel.split(path.sep).join('/')] ??= {};
    }
  }
}
inputs['renderer/index.html'] ??= {};
writeFileSync(path.join(out, 'meta.json'), JSON.stringify({ inputs, outputs }));
console.log(`build: out/ in ${((performance.now() - t0) / 1000).toFixed(1)} s (${Object.keys(outputs).length} scripts)`);
