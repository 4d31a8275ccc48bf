import { writeFile } from 'node:fs/promises';
import type { Method, RequestOf, ResponseOf } from '../../contract/api.ts';
import type { Report } from '../../contract/report.ts';
import type { EngineContext } from '../../core/context.ts';
import { ApiError } from '../../core/errors.ts';
import { dispatch } from '../../engine/dispatch.ts';
import { exitCodeFor } from '../../report/build.ts';
import type { Cli } from '../command.ts';
import { formatReport } from '../human.ts';
import { progressPrinter } from '../progress.ts';
import { interruptible } from '../interrupt.ts';

// What the commands that print a report share: the engine call (with a progress bar on a terminal), the report on
// stdout (human or --json, optionally also to --out FILE) and the exit code that follows its findings.

/** One engine call; Ctrl-C or SIGTERM cancels it (kind 'cancelled', exit 2). */
export function call<M extends Method>(method: M, req: RequestOf<M>, ctx: EngineContext): Promise<ResponseOf<M>> {
  return interruptible((signal) => dispatch(method, req, { ...ctx, onProgress: ctx.onProgress ?? progressPrinter(), signal: ctx.signal ?? signal }));
}

export async function emitReport(cli: Cli, report: Report, opts: { json?: boolean; out?: string }): Promise<void> {
  const json = JSON.stringify(report, null, 2) + '\n';
  if (opts.out) await writeFile(opts.out, json, { mode: 0o600 });
  cli.io.stdout(opts.json ? json : formatReport(report));
  cli.exit(exitCodeFor(report));
}

export function parsePorts(list: string | undefined): number[] | undefined {
  if (!list) return undefined;
  const ports = list.split(',').map((p) => Number(p.trim()));
  if (ports.some((p) => !Number.isInteger(p) || p < 1 || p > 65535)) throw new ApiError('bad-request', `--ports: not a list of ports: ${list}`);
  return ports;
}

export function num(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new ApiError('bad-request', `not a number: ${v}`);
  return n;
}
