import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyFixObject, undoEntry } from '../../../electron/fixes/engine.ts';
import type { CommandChange, Fix } from '../../../electron/core/fix.ts';
import { fixtureContext } from '../../support/clients/context.ts';

// Command changes with real processes: a directory made by apply and removed by undo, and the failure paths.

function fixOf(change: CommandChange): Fix {
  return { id: 'test.command', title: 'test command fix', area: 'general', accounts: [], action: 'test', guards: [], plan: async () => [change] };
}

describe('command changes', () => {
  it('apply runs the commands, undo comes from their output and is journaled', async () => {
    const ctx = fixtureContext(os.tmpdir());
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mm-cmd-')), 'made');
    const r = await applyFixObject(
      fixOf({
        kind: 'command',
        description: 'make a directory',
        apply: [{ cmd: 'mkdir', args: ['-v', dir] }],
        undoPreview: [{ cmd: 'rmdir', args: ['{dir}'] }],
        undoFor: (out) => {
          const m = /created directory '(.+)'/.exec(out[0] ?? '');
          return m ? [{ cmd: 'rmdir', args: [m[1]!] }] : null;
        },
      }),
      ctx,
    );
    expect(r.applied, r.message).toBe(true);
    expect(fs.statSync(dir).isDirectory()).toBe(true);
    await undoEntry(r.journalId!, ctx);
    expect(fs.existsSync(dir)).toBe(false);
  });

  it('a failing second command rolls the first one back and journals the fix as failed', async () => {
    const ctx = fixtureContext(os.tmpdir());
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mm-cmd-')), 'made');
    const r = await applyFixObject(
      fixOf({
        kind: 'command',
        description: 'two steps, the second fails',
        apply: [{ cmd: 'mkdir', args: [dir] }, { cmd: 'sh', args: ['-c', 'echo boom >&2; exit 3'] }],
        undoPreview: [{ cmd: 'rmdir', args: [dir] }],
        undoFor: () => [{ cmd: 'rmdir', args: [dir] }],
      }),
      ctx,
    );
    expect(r.applied).toBe(false);
    expect(r.message).toContain('`sh -c \'echo boom >&2; exit 3\'` failed: boom');
    expect(fs.existsSync(dir)).toBe(false);
    const journal = JSON.parse(fs.readFileSync(path.join(ctx.dataDir, 'journal', `${r.journalId}.json`), 'utf8'));
    expect(journal.state).toBe('failed');
  });

  it('output that does not say how to undo is reported with the manual undo', async () => {
    const ctx = fixtureContext(os.tmpdir());
    const r = await applyFixObject(
      fixOf({ kind: 'command', description: 'x', apply: [{ cmd: 'true', args: [] }], undoPreview: [{ cmd: 'nft', args: ['delete', 'rule', 'handle', '{handle}'] }], undoFor: () => null }),
      ctx,
    );
    expect(r.applied).toBe(false);
    expect(r.message).toContain('undo by hand if needed: nft delete rule handle {handle}');
  });
});
