import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runMailmedic } from '../../support/cli.ts';
import { repoRoot } from '../../support/paths.ts';
import { reportValidator } from '../../support/report-schema.ts';

// Fleet roll-up from four hosts' reports (Windows ×2, Linux, macOS) plus one file that is not a report.
const dir = path.join(repoRoot, 'test/fixtures/fleet');
const files = readdirSync(dir).map((f) => path.join(dir, f)).sort();

describe('mailmedic report merge', () => {
  it('the host fixtures are valid reports', () => {
    const validate = reportValidator();
    for (const f of files.filter((f) => !f.includes('not-a-report'))) expect(validate(JSON.parse(readFileSync(f, 'utf8'))), f).toEqual([]);
  });

  it('totals hosts by verdict, port-25 blocks, damaged PSTs and salvageable data; skips what is not a report', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'mm-fleet-'));
    const r = await runMailmedic(['report', 'merge', ...files, '--json', '--csv', path.join(out, 'fleet.csv'), '--html', path.join(out, 'fleet.html')]);
    expect(r.code).toBe(1); // some hosts have problems
    const s = JSON.parse(r.stdout);
    expect(s.kind).toBe('mailmedic-fleet-summary');
    expect(s.totals.hosts).toBe(4);
    expect(s.totals.byVerdict).toEqual({ ok: 1, problems: 3, incomplete: 0 });
    expect(s.totals.hostsWithPort25Blocked.sort()).toEqual(['MacBook-Cleo', 'PC-ANA-01']);
    expect(s.totals.pst).toMatchObject({ files: 3, damaged: 1, unreadable: 0, ost: 1, nearAnsiLimit: 1, messages: 2300 + 15000 + 5000, salvageableMessages: 2300 + 14988 + 5000 });
    expect(s.commonFindings[0]).toMatchObject({ id: 'smtp.port-blocked.25', hosts: 2, severity: 'error' });
    expect(s.invalid).toHaveLength(1);
    expect(s.invalid[0].source).toMatch(/not-a-report/);
    expect(r.stderr).toMatch(/skipped .*not-a-report/);

    const csv = readFileSync(path.join(out, 'fleet.csv'), 'utf8').trim().split('\r\n');
    expect(csv[0]).toMatch(/^hostname,platform,verdict/);
    expect(csv).toHaveLength(5);
    expect(csv.find((l) => l.startsWith('PC-BEN-02'))).toMatch(/,problems,1,1,false,2,1,19988,/);
    const html = readFileSync(path.join(out, 'fleet.html'), 'utf8');
    expect(html).toContain('Port 25 blocked on 2 host(s)');
    expect(html).not.toMatch(/<script/i);
  });

  it('exit 0 when every host is fine, 2 when nothing valid was given', async () => {
    expect((await runMailmedic(['report', 'merge', path.join(dir, 'linux-ok.json')])).code).toBe(0);
    const none = await runMailmedic(['report', 'merge', path.join(dir, 'not-a-report.json'), '/no/such/file.json']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no valid MailMedic report/);
  });
});
