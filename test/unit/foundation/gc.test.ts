import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../support/paths.ts';

// The garbage-collector settings are process-wide V8 flags, so each case runs in a process of its own.
function youngGeneration(mode: 'keep' | 'plain'): { before: number; after: number } {
  const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'test/support/core/gc-child.ts'), mode], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
  return JSON.parse(out.trim().split('\n').pop()!) as { before: number; after: number };
}

describe('garbage-collector settings with worker threads', () => {
  it('a worker started with keepTunedWith() leaves the young generation at its initial size', () => {
    const r = youngGeneration('keep');
    expect(r.after).toBeLessThanOrEqual(r.before);
  });

  it('without it, starting the worker undoes the settings: the young generation grows (why keepTunedWith exists)', () => {
    const r = youngGeneration('plain');
    expect(r.after).toBeGreaterThanOrEqual(4 * r.before);
  });
});
