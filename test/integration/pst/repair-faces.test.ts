import http from 'node:http';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultContext } from '../../../electron/engine/defaults.ts';
import { startServer, type RunningServer } from '../../../electron/server/http.ts';
import { runMailmedic } from '../../support/cli.ts';
import { corruptions } from '../../support/pst/corrupt.ts';
import { FIXTURES, sha256File, tempDir } from '../../support/pst/fixtures.ts';
import { mapStore } from '../../support/pst/layout-map.ts';
import { reportValidator } from '../../support/report-schema.ts';

// `pst repair` as users and IT tools reach it: the built CLI (exit codes 0/1/2, --json, --csv, --split-gb, --force)
// and the HTTP API (NDJSON progress, path confinement, replacing a file only on a server that allows changes).

const BASE = 'aspose-Test_part1.pst';
/** SOURCES.md: 61 messages in this store. */
const BASE_MESSAGES = 61;
const TOKEN = 'repair-token-0123456789abcdefghijklmnopqrstuv';

let dir: string;
let source: string;
let damaged: string;
beforeAll(async () => {
  dir = await tempDir('mailmedic-repair-faces-');
  source = join(dir, BASE);
  copyFileSync(join(FIXTURES, BASE), source);
  // A data block broken in the middle: the message that owns it can only be copied in part.
  const broken = corruptions().find((c) => c.name === 'largest data block XORed')!;
  const buf = readFileSync(source);
  damaged = join(dir, 'damaged.pst');
  writeFileSync(damaged, broken.apply(buf, mapStore(buf)));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function folder(name: string): string {
  const d = join(dir, name);
  mkdirSync(d);
  return d;
}

describe('mailmedic pst repair (built CLI)', () => {
  it('an intact store: exit 0, every message kept, a report on the contract, the per-item CSV, the source unchanged', async () => {
    const d = folder('cli-ok');
    const out = join(d, 'new.pst');
    const csv = join(d, 'items.csv');
    const before = await sha256File(source);
    const r = await runMailmedic(['pst', 'repair', source, '--out', out, '--csv', csv, '--json'], { timeoutMs: 120_000 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(reportValidator()(report)).toEqual([]);
    expect(report.command).toBe('pst repair');
    const repair = report.pst.repair;
    expect(repair.counts).toEqual({ kept: BASE_MESSAGES, partial: 0, recovered: 0, lost: 0 });
    expect(repair.outputs).toEqual([{ path: out, bytes: statSync(out).size, folders: expect.any(Number), messages: BASE_MESSAGES }]);
    expect(report.pst.files[0].path).toBe(source);
    expect(report.findings.map((f: { id: string }) => f.id)).toContain('pst.repair');
    const rows = readFileSync(csv, 'utf8').trimEnd().split('\r\n');
    expect(rows[0]).toBe('status,folder,subject,sender,date,detail,id');
    expect(rows).toHaveLength(BASE_MESSAGES + 1);
    expect(await sha256File(source)).toBe(before);

    // MailMedic's own checker on the output, through the same CLI.
    const check = await runMailmedic(['pst', 'scan', out, '--json'], { timeoutMs: 60_000 });
    expect(JSON.parse(check.stdout).pst.files[0]).toMatchObject({ status: 'ok', counts: { messages: BASE_MESSAGES } });
  });

  it('a damaged store: exit 1, the partial items named in the human output', async () => {
    const d = folder('cli-damaged');
    const r = await runMailmedic(['pst', 'repair', damaged, '--out', join(d, 'new.pst')], { timeoutMs: 120_000 });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/The source is damaged/);
    expect(r.stdout).toMatch(/Partial and lost items:\n {2}(partial|lost) /);
    expect(readdirSync(d)).toEqual(['new.pst']);
  });

  it('not a store: exit 2 with the reason, and no output file', async () => {
    const d = folder('cli-garbage');
    const garbage = join(d, 'notes.pst');
    writeFileSync(garbage, 'meeting notes, not a mailbox\n'.repeat(100));
    const r = await runMailmedic(['pst', 'repair', garbage, '--out', join(d, 'new.pst'), '--json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).error).toMatchObject({ kind: 'bad-request', message: expect.stringMatching(/not a PST|signature|magic/i) });
    expect(readdirSync(d)).toEqual(['notes.pst']);
  });

  it('an existing target: exit 2 and untouched without --force; replaced with it', async () => {
    const d = folder('cli-exists');
    const out = join(d, 'new.pst');
    writeFileSync(out, 'an older repair the user keeps');
    const r = await runMailmedic(['pst', 'repair', source, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/already exists.*--force/);
    const asJson = await runMailmedic(['pst', 'repair', source, '--out', out, '--json']);
    expect(JSON.parse(asJson.stdout).error).toMatchObject({ kind: 'exists', message: expect.stringContaining(out) });
    expect(readFileSync(out, 'utf8')).toBe('an older repair the user keeps');
    const forced = await runMailmedic(['pst', 'repair', source, '--out', out, '--force'], { timeoutMs: 120_000 });
    expect(forced.code).toBe(0);
    expect(statSync(out).size).toBeGreaterThan(100_000);
  });

  it('--split-gb: numbered parts that together hold every message once', async () => {
    const d = folder('cli-split');
    // 0.0005 GB = 512 KiB: the 2.2 MB store's messages need several parts.
    const r = await runMailmedic(['pst', 'repair', source, '--out', join(d, 'new.pst'), '--split-gb', '0.001', '--json'], { timeoutMs: 120_000 });
    expect(r.code).toBe(0);
    const outputs: { path: string; messages: number }[] = JSON.parse(r.stdout).pst.repair.outputs;
    expect(outputs.length).toBeGreaterThan(1);
    expect(outputs.map((o) => o.path)).toEqual(outputs.map((_, i) => join(d, `new-${i + 1}.pst`)));
    expect(outputs.reduce((a, o) => a + o.messages, 0)).toBe(BASE_MESSAGES);
    expect(readdirSync(d).sort()).toEqual(outputs.map((o) => o.path.slice(d.length + 1)).sort());
  });
});

describe('pstRepair over HTTP', () => {
  let readOnly: RunningServer;
  let changes: RunningServer;
  beforeAll(async () => {
    const ctx = defaultContext({ home: dir, dataDir: folder('http-data') });
    readOnly = await startServer({ ctx, token: TOKEN, staticDir: null, allowedRoots: [dir] });
    changes = await startServer({ ctx, token: TOKEN, staticDir: null, allowedRoots: [dir], allowFixes: true });
  });
  afterAll(async () => {
    await readOnly?.close();
    await changes?.close();
  });

  function post(server: RunningServer, body: object): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const headers = { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json', Accept: 'application/x-ndjson' };
      const req = http.request(`${server.url}/api/v1/pstRepair`, { method: 'POST', headers }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
      req.end(JSON.stringify(body));
    });
  }

  it('streams progress as NDJSON and ends with the report', async () => {
    const out = join(folder('http-ok'), 'new.pst');
    const r = await post(readOnly, { file: source, out });
    expect(r.status).toBe(200);
    const lines = r.body.trim().split('\n').map((l) => JSON.parse(l));
    const phases = new Set(lines.filter((l) => l.progress).map((l) => l.progress.phase));
    expect(phases.has('repair')).toBe(true);
    const report = lines.at(-1).result;
    expect(report.pst.repair.counts.kept).toBe(BASE_MESSAGES);
    expect(existsSync(out)).toBe(true);
  });

  it('a read-only server refuses to replace a file; one that allows changes replaces it', async () => {
    const out = join(folder('http-force'), 'new.pst');
    writeFileSync(out, 'keep');
    const refused = await post(readOnly, { file: source, out, force: true });
    expect(refused.status).toBe(403);
    // Streamed, the refusal is the last NDJSON line (the status went out with the first byte).
    const exists = await post(readOnly, { file: source, out });
    expect(JSON.parse(exists.body.trim().split('\n').at(-1)!).error.kind).toBe('exists');
    expect(readFileSync(out, 'utf8')).toBe('keep');
    const replaced = await post(changes, { file: source, out, force: true });
    expect(replaced.status).toBe(200);
    expect(statSync(out).size).toBeGreaterThan(100_000);
  });

  it('paths outside the allowed folders are refused before anything is read or written', async () => {
    const r = await post(readOnly, { file: source, out: '/tmp/mailmedic-outside-root.pst' });
    expect(r.status).toBe(400);
    expect(existsSync('/tmp/mailmedic-outside-root.pst')).toBe(false);
  });
});
