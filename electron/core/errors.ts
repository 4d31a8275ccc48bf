/**
 * How a call failed, the same on every face:
 * - bad-request: the caller's input is wrong (bad path, bad id, invalid request) — CLI exit 2, HTTP 400;
 * - exists: a file the call would write is already there and replacing it was not asked for — CLI exit 2, HTTP 409;
 * - not-available: this face or machine cannot answer it (a desktop-only method over HTTP, no registry) — HTTP 501;
 * - cancelled: the caller stopped the call — HTTP 499;
 * - internal: a fault in MailMedic itself — HTTP 500.
 */
export type ApiErrorKind = 'bad-request' | 'exists' | 'not-available' | 'cancelled' | 'internal';
export const API_ERROR_KINDS: readonly ApiErrorKind[] = ['bad-request', 'exists', 'not-available', 'cancelled', 'internal'];

/** An error every face renders the same way: HTTP status, CLI exit 2, IPC rejection with its kind. */
export class ApiError extends Error {
  constructor(
    readonly kind: ApiErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** A problem with the caller's input (bad path, bad id): reported as "could not run" (exit 2, HTTP 400). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A file the call would write already exists and the caller did not ask to replace it (kind 'exists'). */
export class TargetExistsError extends UsageError {
  constructor(
    readonly paths: string[],
    message: string,
  ) {
    super(message);
    this.name = 'TargetExistsError';
  }
}

/** The caller stopped the call through its AbortSignal. */
export class CancelledError extends Error {
  constructor(what = 'call') {
    super(`${what} cancelled`);
    this.name = 'AbortError';
  }
}

/** Throws CancelledError once `signal` has fired; long loops call it between steps. */
export function throwIfCancelled(signal: AbortSignal | undefined, what?: string): void {
  if (signal?.aborted) throw new CancelledError(what);
}

const INPUT_ERRNOS = new Set(['ENOENT', 'EACCES', 'EISDIR', 'ENOTDIR']);

/** Classifies anything thrown by a handler; a missing or unreadable path is the caller's input, not a fault. */
export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  if (e instanceof TargetExistsError) return new ApiError('exists', e.message);
  if (e instanceof UsageError) return new ApiError('bad-request', e.message);
  const err = e as NodeJS.ErrnoException;
  if (err instanceof Error && err.name === 'AbortError') return new ApiError('cancelled', err.message || 'cancelled');
  if (err && err.code && INPUT_ERRNOS.has(err.code)) return new ApiError('bad-request', err.message);
  return new ApiError('internal', err instanceof Error ? err.message : String(e));
}
