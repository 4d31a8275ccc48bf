import { useCallback, useEffect, useRef, useState } from 'react';
import type { Method, RequestOf, ResponseOf } from '../../../electron/contract/api.ts';
import type { Progress } from '../../../electron/core/progress.ts';
import { ApiCallError, cancelledError, type Client } from './bridge.ts';

/** Where one engine call of a screen stands. A stopped call is an error of kind 'cancelled'. */
export type CallState<M extends Method> =
  | { kind: 'idle' }
  | { kind: 'running'; progress: Progress | null }
  | { kind: 'done'; result: ResponseOf<M> }
  | { kind: 'error'; error: ApiCallError };

export interface CallControl<M extends Method> {
  state: CallState<M>;
  /** Starts the call, stopping one still running; resolves to the result, or null when it failed, was stopped or superseded. */
  start(request: RequestOf<M>): Promise<ResponseOf<M> | null>;
  /** Stops the running call at once: the state becomes the 'cancelled' error, and the engine is told to stop. */
  cancel(): void;
}

/**
 * The request state of one method for a screen: idle → running (with progress) → done | error. The request itself is
 * not kept (it may hold a password). Only the latest call updates the state, and unmounting stops a running call.
 */
export function useCall<M extends Method>(client: Client, method: M): CallControl<M> {
  const [state, setState] = useState<CallState<M>>({ kind: 'idle' });
  const running = useRef<AbortController | null>(null);

  const stop = useCallback((): boolean => {
    const ctl = running.current;
    running.current = null;
    ctl?.abort();
    return ctl !== null;
  }, []);

  useEffect(() => () => void stop(), [stop]);

  const start = useCallback(
    async (request: RequestOf<M>): Promise<ResponseOf<M> | null> => {
      stop();
      const ctl = new AbortController();
      running.current = ctl;
      const current = () => running.current === ctl;
      setState({ kind: 'running', progress: null });
      try {
        const onProgress = (progress: Progress) => {
          if (current()) setState({ kind: 'running', progress });
        };
        const result = await client.withProgress(method, request, onProgress, ctl.signal);
        if (!current()) return null;
        running.current = null;
        setState({ kind: 'done', result });
        return result;
      } catch (e) {
        if (!current()) return null;
        running.current = null;
        setState({ kind: 'error', error: asCallError(e) });
        return null;
      }
    },
    [client, method, stop],
  );

  const cancel = useCallback(() => {
    if (stop()) setState({ kind: 'error', error: cancelledError() });
  }, [stop]);

  return { state, start, cancel };
}

/** Whatever a client threw, as an ApiCallError: the engine's kind when it gave one. */
function asCallError(e: unknown): ApiCallError {
  if (e instanceof ApiCallError) return e;
  return new ApiCallError('internal', e instanceof Error ? e.message : String(e));
}
