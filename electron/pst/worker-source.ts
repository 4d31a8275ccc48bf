import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

// How a scan worker thread gets its code, cheapest first:
// 1. packaged app: electron-vite builds `pst-scan-worker.js` next to the main bundle (electron.vite.config.ts), and
//    this module, bundled into that main file, finds it beside itself;
// 2. from source (CLI, dev, tests under tsx): the worker entry is bundled once per process with esbuild into one
//    CommonJS string and every worker evaluates it — no TypeScript loader per worker (loading tsx and compiling each
//    module in every worker cost ~0.5 s a worker and made 2 workers slower than 1);
// 3. if esbuild is not there: every worker registers tsx itself (slow, but it works).

/** The built worker's file name; electron.vite.config.ts uses the same name for its entry. */
export const BUILT_WORKER = 'pst-scan-worker.js';

export type WorkerSource = { kind: 'built' | 'bundled' | 'tsx'; start: () => Worker };

let bundled: Promise<string | null> | null = null;

/** esbuild, when installed; imported by a computed name so the app bundler does not try to bundle it. */
async function loadEsbuild(): Promise<typeof import('esbuild') | null> {
  const name = 'esbuild';
  try {
    return (await import(name)) as typeof import('esbuild');
  } catch {
    return null;
  }
}

async function bundleWorker(entry: string): Promise<string | null> {
  const esbuild = await loadEsbuild();
  if (!esbuild) return null;
  const out = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    logLevel: 'silent',
    // Packages stay outside the bundle and load from node_modules as usual (resolved from the repo, see `paths`).
    packages: 'external',
  });
  return out.outputFiles[0]?.text ?? null;
}

function tsxStarter(entry: string): () => Worker {
  // The ESM entry of tsx's API, taken from its package exports (require.resolve would pick the CJS build).
  const pkgFile = createRequire(import.meta.url).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { exports?: Record<string, { import?: { default?: string } }> };
  const tsx = pathToFileURL(join(dirname(pkgFile), pkg.exports?.['./esm/api']?.import?.default ?? './dist/esm/api/index.mjs')).href;
  const code = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(pathToFileURL(entry).href)}); })`;
  return () => new Worker(code, { eval: true });
}

/**
 * Where a built worker can be, given the file this module was bundled into: beside it (out/main/main.js), or, when
 * the bundler put this module into a shared chunk (out/main/chunks/x.js), beside the chunks folder.
 */
export function builtWorkerCandidates(moduleFile: string): string[] {
  const dir = dirname(moduleFile);
  return [join(dir, BUILT_WORKER), ...(basename(dir) === 'chunks' ? [join(dirname(dir), BUILT_WORKER)] : [])];
}

/** Finds (and in a source checkout, builds once) the worker code; `moduleFile` is for tests. */
export async function workerSource(moduleFile = fileURLToPath(import.meta.url)): Promise<WorkerSource> {
  const here = moduleFile;
  const built = builtWorkerCandidates(here).find((f) => existsSync(f));
  if (built) return { kind: 'built', start: () => new Worker(built) };
  const entry = join(dirname(here), 'scan-worker.ts');
  bundled ??= bundleWorker(entry).catch(() => null);
  const code = await bundled;
  if (code) {
    // An eval'd worker resolves `require` from the working directory; point it at this checkout's modules instead.
    const req = `require = require('node:module').createRequire(${JSON.stringify(here)});\n`;
    return { kind: 'bundled', start: () => new Worker(`${req}${code}`, { eval: true }) };
  }
  return { kind: 'tsx', start: tsxStarter(entry) };
}
