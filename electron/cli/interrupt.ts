/**
 * Runs one engine call so that Ctrl-C (SIGINT) or SIGTERM cancels it: the engine stops and the call fails with kind
 * 'cancelled' (exit 2, like any call that could not run). A second signal is not caught: it ends the process.
 */
export async function interruptible<T>(run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const signals = ['SIGINT', 'SIGTERM'] as const;
  const stop = () => {
    for (const s of signals) process.off(s, stop);
    controller.abort();
  };
  for (const s of signals) process.on(s, stop);
  try {
    return await run(controller.signal);
  } finally {
    for (const s of signals) process.off(s, stop);
  }
}
