import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cliBin, outDir, repoRoot, requireBuild, sharedDir } from '../../support/paths.ts';

// What `npm run build` ships (scripts/build.mjs), checked on the build itself: its layout, that it runs with no
// sources and no node_modules, and that the command loads a domain's code only when that command runs.

requireBuild();

interface Meta {
  inputs: Record<string, unknown>;
  outputs: Record<string, { inputs: Record<string, unknown>; imports?: { path: string; kind: string; external?: boolean }[]; entryPoint?: string }>;
}
const meta = JSON.parse(readFileSync(path.join(outDir, 'meta.json'), 'utf8')) as Meta;
/** The sources bundled into one output file ('out/chunks/x.mjs'). */
const sourcesOf = (output: string) => Object.keys(meta.outputs[output]?.inputs ?? {});

// The PST engine, the network collectors, the SMTP probe's sockets and the HTTP server. Their zod schemas are not
// among them: they are the contract every command validates against.
// Schema files (zod models and their types) are light wherever they sit under pst/ or network/.
const HEAVY = /^electron\/(pst\/(?!(?:[\w-]+\/)*schema\.ts$)|network\/(?!schema\.ts)|smtp\/(probe|session|service|tls-info|resolve)\.ts|server\/)/;

/** The output files a module graph pulls in at load time (static imports only, not dynamic ones). */
function staticClosure(output: string): Set<string> {
  const seen = new Set<string>();
  const visit = (o: string) => {
    if (seen.has(o)) return;
    seen.add(o);
    for (const i of meta.outputs[o]?.imports ?? []) if (i.kind === 'import-statement' && !i.external) visit(i.path);
  };
  visit(output);
  return seen;
}

/** Runs the built command with a module hook that records every file it resolves; returns those under out/. */
function loadedBy(args: string[]): { code: number | null; stdout: string; loaded: string[] } {
  const hooks = `
    import { appendFileSync } from 'node:fs';
    let file;
    export function initialize(data) { file = data.file; }
    export async function resolve(specifier, context, next) {
      const r = await next(specifier, context);
      if (r.url.startsWith('file:')) appendFileSync(file, r.url + '\\n');
      return r;
    }`;
  const register = `import { register } from 'node:module';
    register(${JSON.stringify('data:text/javascript,' + encodeURIComponent(hooks))}, { data: { file: process.env.MM_LOADED } });`;
  const record = path.join(mkdtempSync(path.join(os.tmpdir(), 'mm-loaded-')), 'loaded.txt');
  const r = spawnSync(process.execPath, ['--import', 'data:text/javascript,' + encodeURIComponent(register), cliBin, ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, MM_LOADED: record },
  });
  const urls = existsSync(record) ? readFileSync(record, 'utf8').split('\n').filter(Boolean) : [];
  const loaded = [...new Set(urls.map((u) => path.relative(repoRoot, fileURLToPath(u)).split(path.sep).join('/')))].filter((f) => f.startsWith('out/'));
  return { code: r.status, stdout: r.stdout, loaded: loaded.sort() };
}

const heavyIn = (outputs: Iterable<string>) => [...outputs].flatMap((o) => sourcesOf(o).filter((s) => HEAVY.test(s)).map((s) => `${o}: ${s}`));

describe('the build (out/)', () => {
  it('puts every script one folder below out/, sql.js\'s wasm beside the chunks, and a self-contained PST worker', () => {
    const scripts = Object.keys(meta.outputs);
    expect(scripts).toEqual(expect.arrayContaining(['out/cli/mailmedic.mjs', 'out/main/main.mjs', 'out/pst/pst-scan-worker.mjs', 'out/preload/preload.cjs']));
    for (const s of scripts) expect(s.split('/'), s).toHaveLength(3);
    expect(existsSync(path.join(outDir, 'chunks/sql-wasm.wasm'))).toBe(true);
    expect(existsSync(path.join(outDir, 'renderer/index.html'))).toBe(true);
    // The worker thread loads one file: nothing to resolve beside it (it stays outside app.asar alone).
    expect(meta.outputs['out/pst/pst-scan-worker.mjs']?.imports?.filter((i) => !i.external) ?? []).toEqual([]);
    expect(sourcesOf('out/pst/pst-scan-worker.mjs')).toContain('electron/pst/scan-file.ts');
  });

  it('the Electron main process and the command share the same engine chunks', () => {
    const dispatchChunk = scriptsWith('electron/engine/dispatch.ts');
    expect(dispatchChunk).toHaveLength(1);
    expect(dispatchChunk[0]).toMatch(/^out\/chunks\//);
    expect(staticClosure('out/main/main.mjs')).toContain(dispatchChunk[0]);
    // The command reaches it through its commands' chunks (all but `report merge`, which reads files only); the app
    // loads it at start (its IPC serves every method).
    const commands = Object.entries(meta.outputs).filter(([, o]) => o.entryPoint?.startsWith('electron/cli/commands/') && o.entryPoint !== 'electron/cli/commands/report.ts');
    expect(commands.length).toBeGreaterThanOrEqual(9);
    for (const [file] of commands) expect(staticClosure(file), file).toContain(dispatchChunk[0]);
  });

  it('runs with neither the sources nor node_modules: a copy of bin/ and out/ alone reads Apple Mail through sql.js', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mm-installed-'));
    cpSync(path.join(repoRoot, 'bin'), path.join(dir, 'bin'), { recursive: true });
    cpSync(outDir, path.join(dir, 'out'), { recursive: true });
    const home = path.join(repoRoot, 'test/fixtures/clients/apple-mail');
    const r = spawnSync(process.execPath, [path.join(dir, 'bin/mailmedic.mjs'), 'accounts', '--home', home, '--json'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, MAILMEDIC_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'mm-data-')) },
    });
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout) as { accounts: { client: string; email?: string }[] };
    expect(report.accounts.filter((a) => a.client === 'apple-mail').map((a) => a.email)).toContain('ana@example.org');
  });

  it('says what to do when it is not built', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mm-unbuilt-'));
    cpSync(path.join(repoRoot, 'bin'), path.join(dir, 'bin'), { recursive: true });
    const r = spawnSync(process.execPath, [path.join(dir, 'bin/mailmedic.mjs'), '--version'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/run npm run build/);
  });
});

describe('mailmedic loads a command\'s code only when it runs', () => {
  it('the command\'s entry pulls in no domain code, no contract and no zod before a command runs', () => {
    const atStart = staticClosure('out/cli/mailmedic.mjs');
    expect(heavyIn(atStart)).toEqual([]);
    const sources = [...atStart].flatMap(sourcesOf);
    expect(sources.filter((s) => /^electron\/(contract|engine\/dispatch|smtp|clients|fixes)\/?|^node_modules\/zod\//.test(s))).toEqual([]);
    expect(sources).toContain('electron/cli/main.ts');
  });

  for (const args of [['--version'], ['--help']]) {
    it(`${args[0]} loads the entry's chunks only`, () => {
      const r = loadedBy(args);
      expect(r.code).toBe(0);
      expect(r.stdout).not.toBe('');
      expect(r.loaded).toContain('out/cli/mailmedic.mjs');
      expect(new Set(r.loaded)).toEqual(new Set([...staticClosure('out/cli/mailmedic.mjs')].filter((o) => o.endsWith('.mjs'))));
      expect(r.loaded.flatMap(sourcesOf).filter((s) => s.startsWith('electron/cli/commands/'))).toEqual([]);
    });
  }

  it('explain loads its command and the SMTP knowledge, but no PST, network, probe or server code', () => {
    const r = loadedBy(['explain', '421 4.7.0 try again later']);
    expect(r.code).toBe(1); // a transient refusal is a warning finding
    expect(r.stdout).toMatch(/421 4\.7\.0/);
    const sources = r.loaded.flatMap(sourcesOf);
    expect(sources).toEqual(expect.arrayContaining(['electron/cli/commands/explain.ts', 'electron/smtp/explain.ts', 'electron/engine/dispatch.ts']));
    expect(heavyIn(r.loaded)).toEqual([]);
    expect(sources.filter((s) => s.startsWith('electron/cli/commands/') && s !== 'electron/cli/commands/explain.ts' && s !== 'electron/cli/commands/common.ts')).toEqual([]);
    // The same holds for every file explain's chunk could load without running: the static graph has no heavy code.
    const explainChunk = scriptsWith('electron/cli/commands/explain.ts');
    expect(heavyIn(staticClosure(explainChunk[0]!))).toEqual([]);
  });

  it('pst scan does load the PST engine (the check above can see it)', () => {
    const r = loadedBy(['pst', 'scan', path.join(sharedDir, 'fixtures/pst/pstsdk-sample2.pst')]);
    expect(r.code).toBe(0);
    expect(heavyIn(r.loaded).some((s) => s.includes('electron/pst/'))).toBe(true);
  });
});

/** The output files that hold a source file. */
function scriptsWith(source: string): string[] {
  return Object.keys(meta.outputs).filter((o) => sourcesOf(o).includes(source));
}
