import { registerIpc, type IpcOptions } from '../../electron/app/ipc.ts';
import { PROGRESS_CHANNEL, channelOf, type MethodName } from '../../electron/contract/methods.ts';
import type { Outcome, ProgressMessage } from '../../electron/contract/envelope.ts';
import type { EngineContext } from '../../electron/core/context.ts';
import type { PreloadBridge } from '../../renderer/src/api/bridge.ts';

// The desktop app's IPC without Electron (its binary cannot run in tests): the real registerIpc on a fake ipcMain,
// and pages (webContents) that record what the main process sends them. Each page also offers what the preload
// exposes (call + onProgress), so the real renderer bridge can run on top: page → bridge → IPC → dispatch.

type Handler = (event: unknown, request: unknown, callId?: unknown) => Promise<Outcome>;

export interface FakePage {
  id: number;
  /** Every progress message the main process sent this page, in order. */
  sent: ProgressMessage[];
  /** Every answer the main process gave this page, with the call it answered. */
  answers: { method: MethodName; request: unknown; callId: unknown; outcome: Outcome }[];
  /** ipcRenderer.invoke as the preload uses it. */
  invoke(method: MethodName, request: unknown, callId?: string): Promise<Outcome>;
  /** window.mailmedic as the preload exposes it. */
  preload: PreloadBridge;
}

export function fakeIpc(ctx: () => EngineContext, opts: IpcOptions = {}) {
  const handlers = new Map<string, Handler>();
  registerIpc({ handle: (channel: string, fn: Handler) => void handlers.set(channel, fn) } as never, ctx, opts);

  const page = (id: number, url = 'app://mailmedic/index.html'): FakePage => {
    const listeners = new Set<(m: ProgressMessage) => void>();
    const sent: ProgressMessage[] = [];
    const answers: FakePage['answers'] = [];
    const sender = {
      id,
      isDestroyed: () => false,
      send: (channel: string, message: ProgressMessage) => {
        if (channel !== PROGRESS_CHANNEL) throw new Error(`unexpected channel ${channel}`);
        // What crosses IPC is structured-cloned: the page never shares objects with the main process.
        const copy = structuredClone(message);
        sent.push(copy);
        for (const l of listeners) l(copy);
      },
    };
    const invoke = async (method: MethodName, request: unknown, callId?: string) => {
      const handler = handlers.get(channelOf(method));
      if (!handler) throw new Error(`no handler for ${method}`);
      const outcome = structuredClone(await handler({ senderFrame: { url }, sender }, structuredClone(request), callId));
      answers.push({ method, request, callId, outcome });
      return outcome;
    };
    return {
      id,
      sent,
      answers,
      invoke,
      preload: {
        call: invoke,
        onProgress: (listener) => {
          listeners.add(listener);
          return () => void listeners.delete(listener);
        },
      },
    };
  };
  return { page };
}
