import { describe, expect, it } from 'vitest';
import { runCommand } from '../../../electron/engine/run-command.ts';

describe('runCommand (the real CommandRunner)', () => {
  it('returns once the command exits, even when a process it started keeps its output pipes open', async () => {
    const t0 = Date.now();
    // The background sleep inherits stdout/stderr and holds them open for 30 s after sh has exited.
    const r = await runCommand('sh', ['-c', 'echo answer; sleep 30 & exit 3'], { timeoutMs: 20_000 });
    expect(r).toMatchObject({ code: 3, stdout: 'answer\n', error: null });
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  it('a missing command is "not-found", a slow one "timeout"', async () => {
    expect(await runCommand('mailmedic-no-such-command', [])).toMatchObject({ code: null, error: 'not-found' });
    expect(await runCommand('sleep', ['5'], { timeoutMs: 300 })).toMatchObject({ code: null, error: 'timeout' });
  });
});
