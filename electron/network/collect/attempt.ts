import type { CommandResult, EngineContext } from '../../core/context.ts';
import type { Parsed } from '../parsed.ts';
import type { SourceCheck } from '../schema.ts';

/** A command's parsed value (null when it could not be had) and how the attempt went. */
export interface Attempt<T> {
  check: SourceCheck;
  value: T | null;
}

const NEEDS_ADMIN =
  /permission denied|operation not permitted|must be root|need to be root|requires? root|you need to be|access is denied|administrator|elevat|not authorized|authori[sz]ation failed/i;

/** The first meaningful line of stderr, short, for a reason text. */
function firstLine(s: string): string {
  return (s.split(/\r?\n/).find((l) => l.trim() !== '') ?? '').trim().slice(0, 200);
}

/** Classifies a failed run: missing tool, missing privilege, timeout, or plain failure. */
export function classify(display: string, tool: string, r: CommandResult): SourceCheck | null {
  if (r.error === 'not-found' || (r.code === 127 && /no such file|not found/i.test(r.stderr))) {
    return { command: display, status: 'not-found', reason: `${tool} is not installed` };
  }
  if (r.error === 'timeout') return { command: display, status: 'timeout', reason: `${tool} did not answer in time` };
  if (r.error === 'denied' || (r.code !== 0 && (NEEDS_ADMIN.test(r.stderr) || NEEDS_ADMIN.test(r.stdout.slice(0, 500))))) {
    return { command: display, status: 'denied', reason: `needs administrator (root) rights: ${firstLine(r.stderr) || 'access denied'}` };
  }
  if (r.error) return { command: display, status: 'failed', reason: `could not start ${tool}: ${r.error}` };
  return null;
}

/** A read-only command to run, and how to show it in the report. */
export interface CommandSpec {
  cmd: string;
  args: string[];
  /** Exit codes that still carry a readable answer (firewall-cmd --state says "not running" with 252). */
  okCodes?: number[];
  timeoutMs?: number;
  /** How to show the command in the report, when cmd/args are a wrapper (env LC_ALL=C …, powershell). */
  display?: string;
  tool?: string;
  /** The part of stdout that is the answer, or null when the output shows the command did not really answer. */
  answer?: (stdout: string) => string | null;
}

/** Runs one read-only command through ctx.run and parses its output; never throws. */
export async function attempt<T>(ctx: EngineContext, spec: CommandSpec, parse: (stdout: string) => Parsed<T>): Promise<Attempt<T>> {
  const display = spec.display ?? [spec.cmd, ...spec.args].join(' ');
  const tool = spec.tool ?? spec.cmd;
  let r: CommandResult;
  try {
    r = await ctx.run(spec.cmd, spec.args, { timeoutMs: spec.timeoutMs ?? 10_000 });
  } catch (e) {
    return { check: { command: display, status: 'failed', reason: `could not run ${tool}: ${(e as Error).message}` }, value: null };
  }
  const bad = classify(display, tool, r);
  if (bad) return { check: bad, value: null };
  if (r.code !== 0 && !(spec.okCodes ?? []).includes(r.code ?? -1)) {
    return {
      check: { command: display, status: 'failed', reason: `${tool} exited with ${r.code}: ${firstLine(r.stderr) || firstLine(r.stdout) || 'no message'}` },
      value: null,
    };
  }
  const answer = spec.answer ? spec.answer(r.stdout) : r.stdout;
  if (answer === null) {
    return { check: { command: display, status: 'failed', reason: `${tool} gave no answer: it exited without finishing its script (not a working ${tool})` }, value: null };
  }
  const p = parse(answer);
  if (!p.ok) return { check: { command: display, status: 'unparsable', reason: `could not parse the output: ${p.error}` }, value: null };
  return { check: { command: display, status: 'ok', reason: null }, value: p.value };
}

/** Runs a command under the C locale so text output (ufw, nmcli, firewall-cmd) is not translated. */
export function cLocale(cmd: string, args: string[], extra: Partial<CommandSpec> = {}): CommandSpec {
  return { cmd: 'env', args: ['LC_ALL=C', cmd, ...args], display: [cmd, ...args].join(' '), tool: cmd, ...extra };
}

/** Joins the reasons of sources that did not answer; null when all did. */
export function reasonsOf(checks: SourceCheck[], statuses: SourceCheck['status'][] = ['denied', 'failed', 'unparsable', 'timeout']): string | null {
  const r = checks.filter((c) => statuses.includes(c.status)).map((c) => `${c.command}: ${c.reason}`);
  return r.length ? r.join('; ') : null;
}

/** The routing table answered "no route" (ip: "Network is unreachable"; macOS route: "not in table"). */
export function isNoRoute(check: SourceCheck): boolean {
  return check.status === 'failed' && /network is unreachable|no route to host|not in table/i.test(check.reason ?? '');
}
