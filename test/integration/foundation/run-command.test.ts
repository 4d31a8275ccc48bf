import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../../electron/engine/run-command.ts';
import { REPO_ROOT } from '../../support/pst/fixtures.ts';

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

  it('starts a command once more when it could not be started for a passing reason (out of file descriptors)', () => {
    const child = path.join(REPO_ROOT, 'test/support/core/emfile-child.ts');
    const out = execFileSync('sh', ['-c', `ulimit -n 128 && exec "${process.execPath}" --import tsx "${child}"`], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 });
    const { blocked, result } = JSON.parse(out.trim().split('\n').pop()!) as { blocked: string; result: unknown };
    expect(blocked).toBe('EMFILE');
    expect(result).toEqual({ code: 0, stdout: 'ran\n', stderr: '', error: null });
  });
});
