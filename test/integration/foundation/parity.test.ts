import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Socket } from 'node:net';
import type { ChildProcess } from 'node:child_process';
import { startServer, type RunningServer } from '../../../electron/server/http.ts';
import { defaultContext } from '../../../electron/engine/defaults.ts';
import { runCli } from '../../../electron/cli/main.ts';
import type { EngineContext } from '../../../electron/core/context.ts';
import type { Progress } from '../../../electron/core/progress.ts';
import type { Report } from '../../../electron/contract/report.ts';
import { clientOverIpc, createAgentClient, type Client } from '../../../renderer/src/api/bridge.ts';
import { fakeIpc, type FakePage } from '../../support/ipc.ts';
import { runMailmedic } from '../../support/cli.ts';
import { startPeer, type Peer } from '../../support/smtp/peers.ts';
import { copyFixture } from '../../support/pst/fixtures.ts';

// The three faces behave alike: the same requests through Electron IPC (the real registerIpc behind a fake page,
// with the real renderer bridge on top), the CLI (`--json`, a real child process) and HTTP (the real server on
// 127.0.0.1, NDJSON, with the same renderer bridge) give the same result, the same error kind and the same
// progress. The CLI draws progress only on a terminal, so its progress is taken from runCli in-process.
const TOKEN = 'parity-token-0123456789abcdefghijklmnopqrstuv';
const home = mkdtempSync(path.join(os.tmpdir(), 'mm-parity-home-'));
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'mm-parity-data-'));
const env = { HOME: home, USERPROFILE: home, MAILMEDIC_DATA_DIR: dataDir };
const ctx = (): EngineContext => defaultContext({ home, dataDir });

let server: RunningServer;
let page: FakePage;
let ipc: Client;
let http: Client;

beforeAll(async () => {
  server = await startServer({ ctx: ctx(), token: TOKEN, staticDir: null });
  page = fakeIpc(ctx).page(1);
  ipc = clientOverIpc(page.preload);
  http = createAgentClient(server.url, TOKEN);
});
afterAll(() => server.close());

/** A report without what differs from run to run: when, how long, on which machine. */
function comparable(report: Report): unknown {
  const { startedAt: _s, durationMs: _d, host: _h, ...rest } = report;
  return JSON.parse(JSON.stringify(rest, (key, value) => (key === 'durationMs' ? 0 : value)));
}

async function cliJson(args: string[], onSpawn?: (child: ChildProcess) => void) {
  const r = await runMailmedic([...args, '--json'], { env, onSpawn });
  return { code: r.code, doc: JSON.parse(r.stdout), stderr: r.stderr };
}

const failure = (p: Promise<unknown>) => p.then(() => null, (e: { kind?: string; message?: string }) => ({ kind: e.kind, message: e.message }));

/** Runs of one phase and unit, each with its last count: the shape of a progress sequence, whatever its pace. */
function runsOf(progress: Progress[]) {
  const runs: { phase: string; unit: string; detail?: string; done: number; total: number | null }[] = [];
  for (const p of progress) {
    const last = runs.at(-1);
    if (last && last.phase === p.phase && last.unit === p.unit) Object.assign(last, { done: p.done, total: p.total });
    else runs.push({ phase: p.phase, unit: p.unit, detail: p.detail, done: p.done, total: p.total });
  }
  return runs;
}

/** A server that accepts SMTP connections and never greets: a probe of it runs until it is stopped. */
async function silentServer() {
  const waiting: ((s: Socket) => void)[] = [];
  const peer: Peer = await startPeer((socket) => waiting.shift()?.(socket));
  const nextConnection = () =>
    new Promise<{ closed: Promise<void> }>((resolve) =>
      waiting.push((socket) => resolve({ closed: new Promise<void>((done) => socket.once('close', () => done())) })),
    );
  return { port: peer.port, nextConnection, close: () => peer.close() };
}

describe('the three faces behave alike', () => {
  it('success: explain gives the same report on IPC, CLI and HTTP', async () => {
    const text = '421 4.7.0 Try again later, closing connection.';
    const viaIpc = await ipc.explain({ text });
    const viaHttp = await http.explain({ text });
    const viaCli = await cliJson(['explain', text]);
    expect(viaIpc.explain?.explanations.length).toBeGreaterThan(0);
    // A transient reply is a warning: exit 1, as the README's exit codes say.
    expect(viaCli.code).toBe(1);
    expect(comparable(viaHttp)).toEqual(comparable(viaIpc));
    expect(comparable(viaCli.doc)).toEqual(comparable(viaIpc));
    expect(page.answers.at(-1)?.outcome).toEqual({ result: viaIpc });
  });

  it('bad request: an invalid request is kind bad-request, with the same message, on every face', async () => {
    const request = { host: 'bad host!' };
    const viaIpc = await failure(ipc.smtp(request));
    const viaHttp = await failure(http.smtp(request));
    const viaCli = await cliJson(['smtp', request.host]);
    expect(viaIpc).toEqual({ kind: 'bad-request', message: expect.stringMatching(/^invalid smtp request: .*host name/s) });
    expect(viaHttp).toEqual(viaIpc);
    expect(viaCli.code).toBe(2);
    expect(viaCli.doc).toEqual({ error: viaIpc });
    expect(viaCli.stderr).toContain(viaIpc?.message);
    // What IPC itself carried: the envelope, never a thrown Error that would lose the kind.
    expect(page.answers.at(-1)?.outcome).toEqual({ error: viaIpc });
    // And the raw HTTP answer to a plain JSON request: the same body, with the kind's status.
    const raw = await fetch(`${server.url}/api/v1/smtp`, { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}` }, body: JSON.stringify(request) });
    expect(raw.status).toBe(400);
    expect(await raw.json()).toEqual({ error: viaIpc });
  });

  it('desktop-only methods elsewhere: not-available over HTTP (501) and over IPC without the native shell', async () => {
    for (const [method, request] of [['pickPaths', { kind: 'files' }], ['revealPath', { path: home }], ['cancel', { callId: 'x' }]] as const) {
      const raw = await fetch(`${server.url}/api/v1/${method}`, { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}` }, body: JSON.stringify(request) });
      expect(raw.status, method).toBe(501);
      expect((await raw.json()).error.kind, method).toBe('not-available');
    }
    expect(await failure(ipc.pickPaths({ kind: 'files' }))).toMatchObject({ kind: 'not-available' });
    // Over IPC, cancel is the desktop app's own: an id that is not running cancels nothing.
    await expect(ipc.cancel({ callId: 'not-running' })).resolves.toEqual({ cancelled: 0 });
  });

  it('cancelled: an SMTP probe of a silent server, stopped mid-way, ends as kind cancelled on every face', async () => {
    const silent = await silentServer();
    try {
      const request = { host: '127.0.0.1', ports: [silent.port], timeoutMs: 60_000 };
      const stopOnConnect = async (stop: () => void) => {
        const connection = await silent.nextConnection();
        stop();
        // The probe's own connection closes: the work really stopped, not only the waiting.
        await connection.closed;
      };

      const ctlIpc = new AbortController();
      const [viaIpc] = await Promise.all([failure(ipc.withProgress('smtp', request, () => {}, ctlIpc.signal)), stopOnConnect(() => ctlIpc.abort())]);
      expect(viaIpc).toEqual({ kind: 'cancelled', message: 'cancelled' });
      // The main process's own answer to that call, once the engine stopped.
      await expect.poll(() => page.answers.find((a) => a.method === 'smtp' && a.callId && 'error' in a.outcome && a.outcome.error.kind === 'cancelled')?.outcome).toEqual({
        error: { kind: 'cancelled', message: 'SMTP probe cancelled' },
      });

      const ctlHttp = new AbortController();
      const [viaHttp] = await Promise.all([failure(http.withProgress('smtp', request, () => {}, ctlHttp.signal)), stopOnConnect(() => ctlHttp.abort())]);
      expect(viaHttp).toEqual(viaIpc);

      // The CLI is stopped the way a person stops it: Ctrl-C (SIGINT).
      let child: ChildProcess | null = null;
      const [viaCli] = await Promise.all([
        cliJson(['smtp', request.host, '--ports', String(silent.port), '--timeout', '60000'], (c: ChildProcess) => (child = c)),
        stopOnConnect(() => child?.kill('SIGINT')),
      ]);
      expect(viaCli.code).toBe(2);
      expect(viaCli.doc).toEqual({ error: { kind: 'cancelled', message: 'SMTP probe cancelled' } });
    } finally {
      await silent.close();
    }
  });

  it('progress: a PST scan reports the same phases, units and final counts, and the same report, on every face', async () => {
    const file = await copyFixture('synthetic-uaslan-150msgs.pst', mkdtempSync(path.join(home, 'pst-')));
    const request = { paths: [file] };

    const ipcProgress: Progress[] = [];
    const viaIpc = await ipc.withProgress('pstScan', request, (p) => ipcProgress.push(p));
    const httpProgress: Progress[] = [];
    const viaHttp = await http.withProgress('pstScan', request, (p) => httpProgress.push(p));
    const cliProgress: Progress[] = [];
    let cliOut = '';
    const code = await runCli(['pst', 'scan', file, '--json'], { stdout: (s) => (cliOut += s), stderr: () => {}, ctx: { ...ctx(), onProgress: (p) => cliProgress.push(p) } });
    const viaCli = await cliJson(['pst', 'scan', file]);

    const runs = runsOf(ipcProgress);
    expect(runs.map((r) => `${r.phase}/${r.unit}`)).toEqual(['blocks/bytes', 'items/items', 'files/items']);
    expect(runs.every((r) => r.detail === file)).toBe(true);
    expect(runs.at(-1)).toMatchObject({ done: 1, total: 1 });
    expect(runsOf(httpProgress)).toEqual(runs);
    expect(runsOf(cliProgress)).toEqual(runs);
    // Every message IPC carried names the call it belongs to.
    const id = page.answers.at(-1)?.callId;
    expect(page.sent.filter((m) => m.callId === id).map((m) => m.progress)).toEqual(ipcProgress);

    expect(viaIpc.pst?.files[0]).toMatchObject({ path: file, status: 'ok' });
    expect(comparable(viaHttp)).toEqual(comparable(viaIpc));
    expect(comparable(JSON.parse(cliOut))).toEqual(comparable(viaIpc));
    expect([code, viaCli.code]).toEqual([0, 0]);
    expect(comparable(viaCli.doc)).toEqual(comparable(viaIpc));
  });

  it('PST repair: the same progress phases and the same report (but for the new file\'s name) on every face', async () => {
    const dir = mkdtempSync(path.join(home, 'repair-'));
    const file = await copyFixture('synthetic-uaslan-150msgs.pst', dir);
    const out = (face: string) => path.join(dir, `repaired-${face}.pst`);
    /** The report with the new file's path (which each face chooses) taken out. */
    const same = (report: Report, face: string) => JSON.parse(JSON.stringify(comparable(report)).split(out(face)).join('OUT'));

    const ipcProgress: Progress[] = [];
    const viaIpc = await ipc.withProgress('pstRepair', { file, out: out('ipc') }, (p) => ipcProgress.push(p));
    const httpProgress: Progress[] = [];
    const viaHttp = await http.withProgress('pstRepair', { file, out: out('http') }, (p) => httpProgress.push(p));
    const viaCli = await cliJson(['pst', 'repair', file, '--out', out('cli')]);

    const runs = runsOf(ipcProgress);
    expect(runs.map((r) => `${r.phase}/${r.unit}`).slice(-1)).toEqual(['repair/items']);
    expect(runs.at(-1)).toMatchObject({ done: viaIpc.pst?.repair?.items.length, total: viaIpc.pst?.repair?.items.length });
    expect(runsOf(httpProgress)).toEqual(runs);
    expect(viaIpc.pst?.repair?.counts).toMatchObject({ partial: 0, lost: 0 });
    expect(same(viaHttp, 'http')).toEqual(same(viaIpc, 'ipc'));
    expect(viaCli.code).toBe(0);
    expect(same(viaCli.doc, 'cli')).toEqual(same(viaIpc, 'ipc'));
  });

  it('NDJSON over HTTP: {progress} lines, then {result}; the connection is the call, so no call id', async () => {
    const file = await copyFixture('pstsdk-sample1.pst', mkdtempSync(path.join(home, 'pst-')));
    const res = await fetch(`${server.url}/api/v1/pstScan`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}`, Accept: 'application/x-ndjson' },
      body: JSON.stringify({ paths: [file] }),
    });
    const lines = (await res.text()).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.slice(0, -1).every((l) => Object.keys(l).join() === 'progress')).toBe(true);
    expect(Object.keys(lines.at(-1) ?? {})).toEqual(['result']);
  });
});

describe('two calls at once in one window', () => {
  it('each sees only its own progress; cancelling one leaves the other running to completion', async () => {
    const dir = mkdtempSync(path.join(home, 'pst-'));
    const big = await copyFixture('aspose-SampleOstFile.ost', dir);
    const small = await copyFixture('synthetic-uaslan-150msgs.pst', dir);
    const window = fakeIpc(ctx).page(7);
    const client = clientOverIpc(window.preload);
    const seenBig: Progress[] = [];
    const seenSmall: Progress[] = [];
    const stopBig = new AbortController();
    // The big scan is cancelled at its first progress, while the small one is still under way.
    const bigScan = failure(
      client.withProgress('pstScan', { paths: [big] }, (p) => (seenBig.push(p), stopBig.abort()), stopBig.signal),
    );
    const smallScan = client.withProgress('pstScan', { paths: [small] }, (p) => seenSmall.push(p));

    expect(await bigScan).toEqual({ kind: 'cancelled', message: 'cancelled' });
    const report = await smallScan;
    expect(report.pst?.files.map((f) => [f.path, f.status])).toEqual([[small, 'ok']]);
    expect(seenBig.length).toBeGreaterThan(0);
    expect(seenBig.every((p) => p.detail === big)).toBe(true);
    expect(seenSmall.every((p) => p.detail === small)).toBe(true);
    expect(runsOf(seenSmall).at(-1)).toMatchObject({ phase: 'files', done: 1, total: 1 });

    // On the wire: two call ids, each progress message under its own call's id; the big call's own answer is
    // 'cancelled' and the cancel named exactly that call.
    const answerFor = (file: string) => window.answers.find((a) => a.method === 'pstScan' && (a.request as { paths: string[] }).paths[0] === file);
    await expect.poll(() => answerFor(big)?.outcome).toEqual({ error: { kind: 'cancelled', message: 'scan cancelled' } });
    expect(answerFor(small)?.outcome).toEqual({ result: report });
    const [idBig, idSmall] = [answerFor(big)?.callId, answerFor(small)?.callId];
    expect(idBig).not.toBe(idSmall);
    expect(window.answers.find((a) => a.method === 'cancel')).toMatchObject({ request: { callId: idBig }, callId: undefined, outcome: { result: { cancelled: 1 } } });
    expect(new Set(window.sent.map((m) => m.callId))).toEqual(new Set([idBig, idSmall]));
    expect(window.sent.filter((m) => m.callId === idBig).map((m) => m.progress)).toEqual(seenBig);
    expect(window.sent.filter((m) => m.callId === idSmall).map((m) => m.progress)).toEqual(seenSmall);
  });
});
