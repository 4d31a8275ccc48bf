import { tmpdir } from 'node:os';
import type { EngineContext } from '../../../electron/core/context.ts';
import type { Progress } from '../../../electron/core/progress.ts';

/** Engine context for PST tests: no external commands are needed; progress events are collected for assertions. */
export function testContext(extra: Partial<EngineContext> = {}): EngineContext & { progress: Progress[] } {
  const progress: Progress[] = [];
  return {
    home: tmpdir(),
    dataDir: tmpdir(),
    platform: process.platform,
    env: {},
    run: async () => ({ code: null, stdout: '', stderr: '', error: 'not-found' }),
    onProgress: (p) => progress.push(p),
    progress,
    ...extra,
  };
}
