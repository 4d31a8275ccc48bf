import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { applyFix } from '../../../electron/engine/fix-catalog.ts';
import { copyFixtureHome, fixtureContext } from '../../support/clients/context.ts';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

/** A real process whose executable has the given name (a copy of sleep). */
async function processNamed(name: string): Promise<ChildProcess> {
  const bin = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mm-bin-')), name);
  fs.copyFileSync('/bin/sleep', bin);
  fs.chmodSync(bin, 0o755);
  const p = spawn(bin, ['30'], { stdio: 'ignore' });
  children.push(p);
  await new Promise((r) => p.once('spawn', r));
  return p;
}

describe('one fix at a time, and never while the client runs', () => {
  it('refuses while another live process holds the fix lock; takes over a lock left by a dead one', async () => {
    const home = copyFixtureHome('tb-linux');
    const ctx = fixtureContext(home);
    const holder = await processNamed('mailmedic-other');
    fs.writeFileSync(path.join(ctx.dataDir, 'fix.lock'), String(holder.pid));
    const id = 'thunderbird:abcd1234.default-release:smtp1:smtp-587-starttls';
    await expect(applyFix(id, ctx)).rejects.toThrow(`another fix or undo is running (process ${holder.pid})`);
    holder.kill('SIGKILL');
    await new Promise((r) => holder.once('exit', r));
    expect((await applyFix(id, ctx)).applied).toBe(true);
    expect(fs.existsSync(path.join(ctx.dataDir, 'fix.lock'))).toBe(false);
  });

  it('Claws Mail running (real process named claws-mail) → refused with how to close it, file untouched', async () => {
    const home = copyFixtureHome('linux-misc');
    const ctx = fixtureContext(home);
    const file = path.join(home, '.claws-mail/accountrc');
    const before = fs.readFileSync(file);
    const claws = await processNamed('claws-mail');
    const r = await applyFix('claws:1:smtp-587-starttls', ctx);
    expect(r.applied).toBe(false);
    // Another test may run the real Claws Mail meanwhile (claws-real): either process must refuse the fix.
    expect(claws.pid).toBeGreaterThan(0);
    expect(r.message).toMatch(/Claws Mail is running \(process \d+\)/);
    expect(r.message).toContain('File › Exit');
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });
});
