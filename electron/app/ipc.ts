import type { BrowserWindow, IpcMain, IpcMainInvokeEvent } from 'electron';
import { api } from '../contract/api.ts';
import { METHOD_NAMES, PROGRESS_CHANNEL, channelOf, type MethodName } from '../contract/methods.ts';
import { dispatch } from '../engine/dispatch.ts';
import { ApiError } from '../core/errors.ts';
import type { EngineContext } from '../core/context.ts';
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
 * One ipcMain.handle per contract method. Each call checks that it comes from the app's own page
 * (checklist item 17) and goes through dispatch(), which validates the request with zod. The desktop-only
 * methods go to `native`, validated against the same contract; `cancel` aborts the sender's running calls.
 */
export function registerIpc(ipc: Pick<IpcMain, 'handle'>, ctx: () => EngineContext, opts: IpcOptions = {}): void {
  const run = opts.run ?? dispatch;
  // Running calls per page (webContents id), so `cancel` only ever stops the asking window's own work.
  const running = new Map<number, Set<{ method: MethodName; controller: AbortController }>>();

  for (const method of METHOD_NAMES) {
    ipc.handle(channelOf(method), async (event: IpcMainInvokeEvent, request: unknown) => {
      if (!isAppUrl(event.senderFrame?.url)) throw new Error('IPC refused: sender is not the MailMedic window');
      if (method === 'cancel') {
        const req = parse('cancel', request);
        let cancelled = 0;
        for (const call of running.get(event.sender.id) ?? []) {
          if (call.method === req.method && !call.controller.signal.aborted) {
            call.controller.abort();
            cancelled++;
          }
        }
        return { cancelled };
      }
      const native = opts.native;
      if (native && method === 'pickPaths') return api.pickPaths.response.parse(await native.pickPaths(parse('pickPaths', request), opts.windowOf?.(event) ?? null));
      if (native && method === 'revealPath') return api.revealPath.response.parse(await native.revealPath(parse('revealPath', request)));

      const onProgress = (p: unknown) => {
        if (!event.sender.isDestroyed()) event.sender.send(PROGRESS_CHANNEL, p);
      };
      const call = { method, controller: new AbortController() };
      const calls = running.get(event.sender.id) ?? new Set();
      running.set(event.sender.id, calls.add(call));
      try {
        return await run(method, request, { ...ctx(), onProgress, signal: call.controller.signal });
      } finally {
        calls.delete(call);
        if (calls.size === 0) running.delete(event.sender.id);
      }
    });
  }
}

function parse<M extends 'cancel' | 'pickPaths' | 'revealPath'>(method: M, request: unknown) {
  const parsed = api[method].request.safeParse(request ?? {});
  if (!parsed.success) throw new ApiError('bad-request', `invalid ${method} request`);
  return parsed.data as ReturnType<(typeof api)[M]['request']['parse']>;
}
