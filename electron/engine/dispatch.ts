import { z } from 'zod';
import { api, type Method, type ResponseOf } from '../contract/api.ts';
import type { EngineContext } from '../core/context.ts';
import { ApiError, toApiError } from '../core/errors.ts';
import { handlers } from './handlers.ts';

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
