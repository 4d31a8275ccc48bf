import type { EngineContext } from '../core/context.ts';

export interface ProcInfo {
  pid: number;
  /** Executable base name, lower case, without `.exe`. */
  name: string;
}

const MAX_PROCS = 100_000;

/** Pure: `ps -eo pid=,args=` output → processes. */
export function parsePs(out: string): ProcInfo[] {
  const procs: ProcInfo[] = [];
  for (const line of out.split('\n').slice(0, MAX_PROCS)) {
    const m = /^\s*(\d+)\s+(\S+)/.exec(line);
    if (!m) continue;
    procs.push({ pid: Number(m[1]), name: baseName(m[2]!) });
  }
  return procs;
}

/** Pure: `tasklist /FO CSV /NH` output → processes. */
export function parseTasklist(out: string): ProcInfo[] {
  const procs: ProcInfo[] = [];
  for (const line of out.split(/\r?\n/).slice(0, MAX_PROCS)) {
    const m = /^"([^"]*)","(\d+)"/.exec(line);
    if (m) procs.push({ pid: Number(m[2]), name: baseName(m[1]!) });
  }
  return procs;
}

/**
 * Pure: `wmic process get Name,ProcessId` output → processes. wmic writes UTF-16LE into a pipe; read as UTF-8 that
 * is ASCII with NULs between the letters (and U+FFFD for the BOM), which are dropped here. A name outside ASCII
 * comes out mangled, which is harmless: the guards look for ASCII names (outlook, thunderbird).
 * The columns are fixed-width, placed by the header line (a name may contain spaces).
 */
export function parseWmicProcesses(out: string): ProcInfo[] {
  const rows = out.replace(/[\0\ufeff\ufffd]/g, '').split(/\r*\n/).slice(0, MAX_PROCS);
  const header = rows.findIndex((l) => /^Name\s+ProcessId\s*$/i.test(l.trimEnd()));
  if (header < 0) return [];
  const pidAt = rows[header]!.search(/ProcessId/i);
  const procs: ProcInfo[] = [];
  for (const line of rows.slice(header + 1)) {
    const name = line.slice(0, pidAt).trim();
    const pid = line.slice(pidAt).trim();
    if (name && /^\d+$/.test(pid)) procs.push({ pid: Number(pid), name: baseName(name) });
  }
  return procs;
}

function baseName(p: string): string {
  return (p.split(/[\\/]/).pop() ?? p).toLowerCase().replace(/\.exe$/, '');
}

/**
 * The process list through ctx.run (injectable); null when it could not be read. A list with no process in it is
 * no list (tasklist always lists at least itself): a stand-in tasklist that prints nothing and exits 0 (Wine's)
 * must not pass for "the mail program is closed". On Windows, wmic is asked next.
 */
export async function listProcesses(ctx: EngineContext): Promise<ProcInfo[] | null> {
  if (ctx.platform === 'win32') {
    const r = await ctx.run('tasklist', ['/FO', 'CSV', '/NH'], { timeoutMs: 10_000 });
    const tasks = r.code === 0 ? parseTasklist(r.stdout) : [];
    if (tasks.length > 0) return tasks;
    const w = await ctx.run('wmic', ['process', 'get', 'Name,ProcessId'], { timeoutMs: 15_000 });
    const procs = w.code === 0 ? parseWmicProcesses(w.stdout) : [];
    return procs.length > 0 ? procs : null;
  }
  const r = await ctx.run('ps', ['-eo', 'pid=,args='], { timeoutMs: 10_000 });
  return r.code === 0 ? parsePs(r.stdout) : null;
}
