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

function baseName(p: string): string {
  return (p.split(/[\\/]/).pop() ?? p).toLowerCase().replace(/\.exe$/, '');
}

/** The process list through ctx.run (injectable); null when it could not be read. */
export async function listProcesses(ctx: EngineContext): Promise<ProcInfo[] | null> {
  if (ctx.platform === 'win32') {
    const r = await ctx.run('tasklist', ['/FO', 'CSV', '/NH'], { timeoutMs: 10_000 });
    return r.code === 0 ? parseTasklist(r.stdout) : null;
  }
  const r = await ctx.run('ps', ['-eo', 'pid=,args='], { timeoutMs: 10_000 });
  return r.code === 0 ? parsePs(r.stdout) : null;
}
