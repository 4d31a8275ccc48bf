import type { BrowserWindow, IpcMain, IpcMainInvokeEvent } from 'electron';
import { api } from '../contract/api.ts';
import { METHOD_NAMES, PROGRESS_CHANNEL, channelOf } from '../contract/methods.ts';
import { ApiError, dispatch } from '../engine/dispatch.ts';
import type { EngineContext } from '../engine/context.ts';
import { isAppUrl } from './window.ts';
import type { NativeMethods } from './native.ts';

/**
 * One ipcMain.handle per contract method. Each call checks that it comes from the app's own page
 * (checklist item 17) and goes through dispatch(), which validates the request with zod. The desktop-only
 * methods (pickPaths, revealPath) go to `native`, validated against the same contract.
 */
export function registerIpc(
  ipc: Pick<IpcMain, 'handle'>,
  ctx: () => EngineContext,
  native?: NativeMethods,
  windowOf: (event: IpcMainInvokeEvent) => BrowserWindow | null = () => null,
): void {
  for (const method of METHOD_NAMES) {
    ipc.handle(channelOf(method), async (event: IpcMainInvokeEvent, request: unknown) => {
      if (!isAppUrl(event.senderFrame?.url)) throw new Error('IPC refused: sender is not the MailMedic window');
      if (native && (method === 'pickPaths' || method === 'revealPath')) {
        const parsed = api[method].request.safeParse(request ?? {});
        if (!parsed.success) throw new ApiError('bad-request', `invalid ${method} request`);
        const result = method === 'pickPaths' ? await native.pickPaths(api.pickPaths.request.parse(parsed.data), windowOf(event)) : await native.revealPath(api.revealPath.request.parse(parsed.data));
        return api[method].response.parse(result);
      }
      const onProgress = (p: unknown) => {
        if (!event.sender.isDestroyed()) event.sender.send(PROGRESS_CHANNEL, p);
      };
      return dispatch(method, request, { ...ctx(), onProgress });
    });
  }
}
