import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { METHOD_NAMES, PROGRESS_CHANNEL, channelOf, type MethodName } from '../contract/methods.ts';

// The only thing the page gets: call(method, request) for the contract's methods, and progress events.
// No raw ipcRenderer, no event objects (checklist item 20).
const allowed = new Set<string>(METHOD_NAMES);

const bridge = {
  call(method: MethodName, request: unknown): Promise<unknown> {
    if (typeof method !== 'string' || !allowed.has(method)) return Promise.reject(new Error(`unknown method: ${String(method)}`));
    return ipcRenderer.invoke(channelOf(method), request);
  },
  onProgress(listener: (progress: unknown) => void): () => void {
    const wrapped = (_event: IpcRendererEvent, progress: unknown) => listener(progress);
    ipcRenderer.on(PROGRESS_CHANNEL, wrapped);
    return () => void ipcRenderer.removeListener(PROGRESS_CHANNEL, wrapped);
  },
};

contextBridge.exposeInMainWorld('mailmedic', bridge);
