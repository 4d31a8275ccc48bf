import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { METHOD_NAMES, PROGRESS_CHANNEL, channelOf } from '../contract/methods.ts';
import { dispatch } from '../engine/dispatch.ts';
import type { EngineContext } from '../engine/context.ts';
import { isAppUrl } from './window.ts';

/**
 * One ipcMain.handle per contract method. Each call checks that it comes from the app's own page
 * (checklist item 17) and goes through dispatch(), which validates the request with zod.
 */
export function registerIpc(ipc: Pick<IpcMain, 'handle'>, ctx: () => EngineContext): void {
  for (const method of METHOD_NAMES) {
    ipc.handle(channelOf(method), async (event: IpcMainInvokeEvent, request: unknown) => {
      if (!isAppUrl(event.senderFrame?.url)) throw new Error('IPC refused: sender is not the MailMedic window');
      const onProgress = (p: unknown) => {
        if (!event.sender.isDestroyed()) event.sender.send(PROGRESS_CHANNEL, p);
      };
      return dispatch(method, request, { ...ctx(), onProgress });
    });
  }
}
