import v8 from 'node:v8';
import type { Worker } from 'node:worker_threads';

// Garbage-collector settings for MailMedic's processes (the command, the HTTP server, the app's main process).
// The heavy jobs (scanning and repairing multi-GB PSTs) allocate many short-lived objects and read into reused
// buffers; with V8's defaults the young generation grows to 2 × 16 MiB and the old generation is let grow to several
// times what is live, so a repair's peak RSS went with V8's heuristics (205–279 MB on a 4.6 GB store, run to run).
// Every fresh page also costs a page fault, which on virtual machines is expensive (~20 µs on the 2-core development
// VM). Measured there with the built command (bench/pst-repair.ts stores), defaults → these settings:
//   repair 4.6 GB: peak RSS 245 → 159 MB, minor faults 66k → 45k; repair 1 GB: 5.9 → 4.5 s, 151 → 108 MB;
//   repair 171 MiB: 1.9 → 1.8 s, 129 → 98 MB; scan 1 GB: same time, 126 → 96 MB.
// Both flags are read by V8 each time it sizes a space, so setting them at start-up takes effect (the sizes V8 fixes
// when the heap is created, e.g. --max-semi-space-size, cannot be changed from inside the process).
const FLAGS = [
  // The young generation keeps its initial size (1 MiB semi-spaces) instead of doubling up to 16 MiB.
  '--semi-space-growth-factor=1',
  // The old generation may grow by 20 % over what is live after a collection before the next one.
  '--heap-growing-percent=20',
];

let tuned = false;

function apply(): void {
  for (const f of FLAGS) v8.setFlagsFromString(f);
}

/** Applies the settings above to this process (and the worker threads it starts later); once per process. */
export function tuneGarbageCollector(): void {
  if (tuned) return;
  tuned = true;
  apply();
}

/**
 * Starting a worker thread sets V8's flags back to their defaults for the whole process: the main thread's young
 * generation then grew to 2 × 16 MiB (Node 20; on a 1 GB repair ~30 MB more peak RSS and ~9,000 more page faults).
 * Set again once the thread is up, the settings hold for both threads, and after the thread has ended. Call it for
 * every worker thread started in a tuned process.
 */
export function keepTunedWith(worker: Worker): void {
  if (tuned) worker.once('online', apply);
}
