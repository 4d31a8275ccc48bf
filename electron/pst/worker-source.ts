import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { builtFile, FROM_SOURCE, staleBuild } from '../core/built.ts';

// A scan worker thread always runs the built worker, out/pst/pst-scan-worker.mjs (scripts/build.mjs): nothing is
// compiled or bundled at run time. In the installed command and the packaged app it sits in the same out/ as the
// code that starts it. Run from the TypeScript sources (vitest, tsx), the threads run the checkout's build — a worker
// thread cannot load TypeScript, and a TypeScript loader in every thread cost ~0.5 s a worker — so that build must
// exist and be newer than every file it was built from: otherwise this says so (run `npm run build`) instead of
// scanning with old code.

/** The built worker's path under out/; scripts/build.mjs writes it there. */
export const BUILT_WORKER = 'pst/pst-scan-worker.mjs';

export type WorkerSource = { kind: 'built' | 'checkout'; file: string; start: () => Worker };

/**
 * The worker file in a packaged app: the real file electron-builder keeps outside app.asar (build/electron-builder.yml:
 * asarUnpack), since a thread's module loader is not guaranteed to read inside the archive; elsewhere the file itself.
 */
export function unpacked(file: string, exists: (f: string) => boolean = existsSync): string {
  const outside = file.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
  return outside !== file && exists(outside) ? outside : file;
}

/** Where scan workers get their code; throws, saying how to build it, when there is none to run. */
export async function workerSource(): Promise<WorkerSource> {
  const file = unpacked(builtFile(BUILT_WORKER));
  const why = !existsSync(file) ? `${file} does not exist` : staleBuild();
  if (why) throw new Error(`the PST scan worker is not built (${why}): run \`npm run build\``);
  return { kind: FROM_SOURCE ? 'checkout' : 'built', file, start: () => new Worker(file) };
}
