import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyFix, listFixes, previewFix, undoFix } from '../../../electron/engine/fix-catalog.ts';
import type { EngineContext } from '../../../electron/core/context.ts';
import { inNs, namespaceRunner, netAdminAvailable, sh } from '../../support/network/netns.ts';

// The network domain's firewall plan applied through the one fix mechanism, on a real kernel: a network namespace
// this test creates, with an nft rule that drops outgoing TCP 587. Apply inserts the allow rule; undo deletes
// exactly that rule (by the handle nft printed), leaving the ruleset as it was.

const cap = netAdminAvailable();
if (!cap.ok) console.warn(`SKIPPED network-fix: ${cap.reason}`);
const NS = `mmfix${process.pid}`;
const RULES = `table inet mmfix {
  chain output {
    type filter hook output priority filter; policy accept;
    tcp dport 587 drop comment "mm-fix block submission"
  }
}
`;

describe.skipIf(!cap.ok)('network fix through the fix mechanism, in a namespace', () => {
  let ctx: EngineContext;
  beforeAll(() => {
    sh('ip', ['netns', 'add', NS]);
    inNs(NS, 'ip', ['link', 'set', 'lo', 'up']);
    inNs(NS, 'nft', ['-f', '-'], `flush ruleset\n${RULES}`);
    ctx = {
      home: fs.mkdtempSync(path.join(os.tmpdir(), 'mm-home-')),
      dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'mm-data-')),
      platform: 'linux',
      env: {},
      run: namespaceRunner(NS),
    };
  });
  afterAll(() => {
    try {
      sh('ip', ['netns', 'del', NS]);
    } catch {
      /* already gone */
    }
  });

  it('lists, previews, applies (rule inserted, handle journaled) and undoes (ruleset back as it was)', async () => {
    const rulesetBefore = inNs(NS, 'nft', ['list', 'ruleset']);
    const id = 'network.allow-out.nft.587';
    expect((await listFixes(ctx)).map((f) => f.id)).toContain(id);
    const p = await previewFix(id, ctx);
    expect(p.preview).toContain('run:\n  $ nft --echo --handle insert rule inet mmfix output');
    expect(p.preview).toContain('undo:\n  $ nft delete rule inet mmfix output handle {handle}');

    const r = await applyFix(id, ctx);
    expect(r.applied, r.message).toBe(true);
    const withRule = inNs(NS, 'nft', ['-a', 'list', 'ruleset']);
    const handle = /tcp dport 587 accept comment "mailmedic allow SMTP 587" # handle (\d+)/.exec(withRule)?.[1];
    expect(handle).toBeDefined();
    const journal = JSON.parse(fs.readFileSync(path.join(ctx.dataDir, 'journal', `${r.journalId}.json`), 'utf8'));
    expect(journal.changes[0]).toMatchObject({ kind: 'command', undo: [{ cmd: 'nft', args: ['delete', 'rule', 'inet', 'mmfix', 'output', 'handle', handle] }] });

    const u = await undoFix(undefined, ctx);
    expect(u.journalId).toBe(r.journalId);
    expect(inNs(NS, 'nft', ['list', 'ruleset'])).toBe(rulesetBefore);
  });
});
