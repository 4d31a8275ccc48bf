import { z } from 'zod';
import { api, type Method, type ResponseOf } from '../contract/api.ts';
import { NotImplementedError, UsageError, type EngineContext } from './context.ts';
import { handlers } from './handlers.ts';

export type ApiErrorKind = 'bad-request' | 'not-implemented' | 'internal';

/** An error every face can render the same way: HTTP status, CLI exit 2, IPC rejection. */
export class ApiError extends Error {
  constructor(
    readonly kind: ApiErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/**
 * The single entry point of all three faces: validate the request against the contract, run the handler,
 * and check the response against the contract too, so no face can ever hand out an off-contract document.
 */
export async function dispatch<M extends Method>(method: M, rawRequest: unknown, ctx: EngineContext): Promise<ResponseOf<M>> {
  const spec = api[method];
  const parsed = spec.request.safeParse(rawRequest ?? {});
  if (!parsed.success) throw new ApiError('bad-request', `invalid ${method} request: ${z.prettifyError(parsed.error)}`);
  let result: unknown;
  try {
    const handler = handlers[method] as (req: unknown, ctx: EngineContext) => Promise<unknown>;
    result = await handler(parsed.data, ctx);
  } catch (e) {
    throw toApiError(e);
  }
  const checked = spec.response.safeParse(result);
  if (!checked.success) throw new ApiError('internal', `${method} produced an off-contract response: ${z.prettifyError(checked.error)}`);
  return checked.data as ResponseOf<M>;
}

export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  if (e instanceof NotImplementedError) return new ApiError('not-implemented', e.message);
  if (e instanceof UsageError) return new ApiError('bad-request', e.message);
  const err = e as NodeJS.ErrnoException;
  if (err && (err.code === 'ENOENT' || err.code === 'EACCES' || err.code === 'EISDIR' || err.code === 'ENOTDIR')) {
    return new ApiError('bad-request', err.message);
  }
  return new ApiError('internal', err instanceof Error ? err.message : String(e));
}
