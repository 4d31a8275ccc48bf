import { randomUUID } from 'node:crypto';
import type { BrowserWindow, IpcMain, IpcMainInvokeEvent } from 'electron';
import { api, type ResponseOf } from '../contract/api.ts';
import { METHOD_NAMES, PROGRESS_CHANNEL, channelOf, type MethodName } from '../contract/methods.ts';
import { CallId, errorBody, toErrorBody, type Outcome, type ProgressMessage } from '../contract/envelope.ts';
import { dispatch } from '../engine/dispatch.ts';
import { ApiError } from '../core/errors.ts';
import type { EngineContext } from '../core/context.ts';
import type { Progress } from '../core/progress.ts';
import { isAppUrl } from './window.ts';
import type { NativeMethods } from './native.ts';

export interface IpcOptions {
  /** The desktop-only methods (native dialogs, "show in folder"). */
  native?: NativeMethods;
  windowOf?: (event: IpcMainInvokeEvent) => BrowserWindow | null;
  /** The engine entry point (dispatch); a seam for the shell's own tests. */
  run?: typeof dispatch;
}

/**
 * One ipcMain.handle per contract method, invoked as (request, callId?). Each call must come from the app's own
 * page and goes through dispatch(), which validates the request with zod; the desktop-only methods go to `native`,
 * validated against the same contract. Every answer is the envelope of contract/envelope.ts — {result} or
 * {error: {kind, message}} — never a thrown Error; progress goes to the page as {callId, progress}.
 * `cancel` stops the one call of the asking page with that id.
 */
export function registerIpc(ipc: Pick<IpcMain, 'handle'>, ctx: () => EngineContext, opts: IpcOptions = {}): void {
  const run = opts.run ?? dispatch;
  // Running calls per page (webContents id), by call id: a page can only ever stop its own work.
  const running = new Map<number, Map<string, AbortController>>();

  const cancel = (page: number, request: unknown): ResponseOf<'cancel'> => {
    const { callId } = parse('cancel', request);
    const call = running.get(page)?.get(callId);
    if (!call || call.signal.aborted) return { cancelled: 0 };
    call.abort();
    return { cancelled: 1 };
  };

  const engineCall = async (method: MethodName, event: IpcMainInvokeEvent, request: unknown, givenId: unknown): Promise<unknown> => {
    const id = givenId === undefined ? randomUUID() : CallId.safeParse(givenId).data;
    if (id === undefined) throw new ApiError('bad-request', 'invalid call id');
    const page = event.sender.id;
    const calls = running.get(page) ?? new Map<string, AbortController>();
    if (calls.has(id)) throw new ApiError('bad-request', `call id ${id} is already running`);
    const controller = new AbortController();
    running.set(page, calls.set(id, controller));
    const onProgress = (progress: Progress) => {
      const message: ProgressMessage = { callId: id, progress };
      if (!event.sender.isDestroyed()) event.sender.send(PROGRESS_CHANNEL, message);
    };
    try {
      return await run(method, request, { ...ctx(), onProgress, signal: controller.signal });
    } finally {
      calls.delete(id);
      if (calls.size === 0) running.delete(page);
    }
  };

  for (const method of METHOD_NAMES) {
    ipc.handle(channelOf(method), async (event: IpcMainInvokeEvent, request: unknown, callId?: unknown): Promise<Outcome> => {
      if (!isAppUrl(event.senderFrame?.url)) return errorBody('bad-request', 'IPC refused: sender is not the MailMedic window');
      try {
        const native = opts.native;
        if (method === 'cancel') return { result: cancel(event.sender.id, request) };
        if (native && method === 'pickPaths') {
          return { result: api.pickPaths.response.parse(await native.pickPaths(parse('pickPaths', request), opts.windowOf?.(event) ?? null)) };
        }
        if (native && method === 'revealPath') return { result: api.revealPath.response.parse(await native.revealPath(parse('revealPath', request))) };
        return { result: await engineCall(method, event, request, callId) };
      } catch (e) {
        return toErrorBody(e);
      }
    });
  }
}

function parse<M extends 'cancel' | 'pickPaths' | 'revealPath'>(method: M, request: unknown) {
  const parsed = api[method].request.safeParse(request ?? {});
  if (!parsed.success) throw new ApiError('bad-request', `invalid ${method} request`);
  return parsed.data as ReturnType<(typeof api)[M]['request']['parse']>;
}
