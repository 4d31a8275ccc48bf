// Clients/fixes benchmark: prefs.js parse/edit on large generated profiles, the whole account read of a fixture
// home, and one apply + undo cycle of a fix (backup, fsyncs, atomic rename, journal) on this machine's disk.
// Run: npx tsx bench/clients.ts
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parsePrefs, setPrefs } from '../electron/clients/thunderbird/prefs.ts';
import { readAccounts } from '../electron/clients/service.ts';
import { applyFix, undoFix } from '../electron/engine/fix-catalog.ts';
import { unifiedDiff } from '../electron/fixes/diff.ts';
import { defaultContext } from '../electron/engine/defaults.ts';
import { timeIt as timeRuns } from './lib/timing.ts';

const RUNS = 7;
const FIXTURES = path.resolve(import.meta.dirname, '../test/fixtures/clients');

const timeIt = (fn: () => unknown) => timeRuns(fn, RUNS);

/** A prefs.js of n prefs, mixed types, like a long-used profile with many accounts. */
function bigPrefs(n: number): Buffer {
  const lines = ['// Mozilla User Preferences', ''];
  for (let i = 0; i < n; i++) {
    const v = i % 3 === 0 ? `"value \\"${i}\\" é"` : i % 3 === 1 ? String(i) : 'true';
    lines.push(`user_pref("mail.server.server${i}.pref${i % 17}", ${v});`);
  }
  lines.push('user_pref("mail.smtpserver.smtp1.port", 25);');
  return Buffer.from(lines.join('\n') + '\n');
}

const rows: Array<[string, string, number]> = [];
for (const n of [1_000, 10_000, 100_000]) {
  const b = bigPrefs(n);
  rows.push([`parse prefs.js, ${n} prefs`, `${(b.length / 1024).toFixed(0)} KiB`, await timeIt(() => parsePrefs(b))]);
  rows.push([`edit 2 prefs, ${n} prefs`, '', await timeIt(() => setPrefs(b, [['mail.smtpserver.smtp1.port', 587], ['mail.smtpserver.smtp1.try_ssl', 2]]))]);
  const after = setPrefs(b, [['mail.smtpserver.smtp1.port', 587]]);
  rows.push([`preview diff, ${n} prefs`, '', await timeIt(() => unifiedDiff('prefs.js', b, after))]);
}
for (const home of ['tb-linux', 'tb-macos', 'linux-misc']) {
  rows.push([`readAccounts ${home}`, '', await timeIt(() => readAccounts(defaultContext({ home: path.join(FIXTURES, home) })))]);
}
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mm-bench-'));
fs.cpSync(path.join(FIXTURES, 'tb-linux'), home, { recursive: true });
const ctx = defaultContext({ home, dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'mm-bench-data-')) });
rows.push([
  'apply + undo Thunderbird port fix',
  'incl. fsyncs',
  await timeIt(async () => {
    const r = await applyFix('thunderbird:abcd1234.default-release:smtp1:smtp-587-starttls', ctx);
    if (!r.applied) throw new Error(r.message);
    await undoFix(r.journalId!, ctx);
  }),
]);
fs.rmSync(home, { recursive: true, force: true });
fs.rmSync(ctx.dataDir, { recursive: true, force: true });

console.log(`clients/fixes benchmark (median of ${RUNS}, ${os.cpus().length} cores)`);
console.log('what'.padEnd(40) + 'size'.padEnd(14) + 'ms');
for (const [what, size, ms] of rows) console.log(what.padEnd(40) + size.padEnd(14) + ms.toFixed(2));
