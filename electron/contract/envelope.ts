import { z } from 'zod';
import type { Progress } from '../core/progress.ts';
import { toApiError, type ApiErrorKind } from '../core/errors.ts';

// The one envelope every face uses around a call, whatever carries it:
// - HTTP NDJSON: {progress} lines, then one {result} or {error} line (a plain JSON request: the result, or the error
//   body with its status);
// - Electron IPC: progress events on PROGRESS_CHANNEL, and the invoke answers {result} or {error}: the main process
//   never throws across IPC, because Electron passes on only the message of a thrown Error, never its kind;
// - the CLI with --json: the report on stdout, or the error body on stdout (exit 2).

/**
 * One progress report of a running call. `callId` names the call where several share one channel (IPC: every call
 * of a window); over HTTP the connection is the call, so its lines carry none.
 */
export interface ProgressMessage {
  callId?: string;
  progress: Progress;
}

export interface ResultBody<T = unknown> {
  result: T;
}

export interface ErrorBody {
  error: { kind: ApiErrorKind; message: string };
}

/** How a call ended: its result, or its error with the kind every face names the same way. */
export type Outcome<T = unknown> = ResultBody<T> | ErrorBody;

/** A call id: made by the caller (the renderer bridge) so it can filter progress and cancel before the answer comes. */
export const CallId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, - and _ (at most 64)');

export function errorBody(kind: ApiErrorKind, message: string): ErrorBody {
  return { error: { kind, message } };
}

/** Anything a call threw, as the error body: classified once (core/errors.ts toApiError) for every face. */
export function toErrorBody(e: unknown): ErrorBody {
  const err = toApiError(e);
  return errorBody(err.kind, err.message);
}
