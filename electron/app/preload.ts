import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { METHOD_NAMES, PROGRESS_CHANNEL, channelOf, type MethodName } from '../contract/methods.ts';
import type { ProgressMessage } from '../contract/envelope.ts';

// The only thing the page gets: call(method, request, callId?) for the contract's methods, answering the envelope
// {result} or {error: {kind, message}}, and progress messages {callId, progress}. Cancelling is the contract's own
// `cancel` method with a call id. No raw ipcRenderer, no event objects.
const allowed = new Set<string>(METHOD_NAMES);

const bridge = {
  call(method: MethodName, request: unknown, callId?: string): Promise<unknown> {
    if (typeof method !== 'string' || !allowed.has(method)) return Promise.reject(new Error(`unknown method: ${String(method)}`));
    return ipcRenderer.invoke(channelOf(method), request, callId);
  },
  onProgress(listener: (message: ProgressMessage) => void): () => void {
    const wrapped = (_event: IpcRendererEvent, message: ProgressMessage) => listener(message);
    ipcRenderer.on(PROGRESS_CHANNEL, wrapped);
    return () => void ipcRenderer.removeListener(PROGRESS_CHANNEL, wrapped);
  },
};

contextBridge.exposeInMainWorld('mailmedic', bridge);
