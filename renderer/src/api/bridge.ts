import type { ApiClient, Method, RequestOf, ResponseOf } from '../../../electron/contract/api.ts';
import type { Progress } from '../../../electron/core/progress.ts';
import { METHOD_NAMES, type MethodName } from '../../../electron/contract/methods.ts';

// The renderer's only way to the engine: Electron IPC when the preload exposed `window.mailmedic`,
// the local HTTP server otherwise (browser face, remote IT console). Same contract either way.

interface PreloadBridge {
  call(method: MethodName, request: unknown): Promise<unknown>;
  onProgress(listener: (p: unknown) => void): () => void;
}

declare global {
  interface Window {
    mailmedic?: PreloadBridge;
  }
}

export class ApiCallError extends Error {
  constructor(
    readonly kind: string,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export type ProgressListener = (p: Progress) => void;
export type Client = ApiClient & {
  /** `signal` cancels: over HTTP the server sees the connection close and stops the work. */
  withProgress<M extends Method>(m: M, req: RequestOf<M>, onProgress: ProgressListener, signal?: AbortSignal): Promise<ResponseOf<M>>;
  /** True inside the desktop app: native pickers and "show in folder" work there only. */
  desktop?: boolean;
};

export const cancelledError = () => new ApiCallError('cancelled', 'cancelled');

/** Token from the URL fragment (#token=…), kept for the tab's life and then wiped from the address bar. */
export function takeTokenFromLocation(loc: Location = window.location, store: Storage = window.sessionStorage): string | null {
  const m = /(?:^|[#&])token=([A-Za-z0-9_-]+)/.exec(loc.hash);
  if (m) {
    store.setItem('mailmedic.token', m[1]);
    history.replaceState(null, '', loc.pathname + loc.search);
    return m[1];
  }
  return store.getItem('mailmedic.token');
}

export function createClient(): Client {
  const pre = window.mailmedic;
  return clientFrom(pre ? ipcCall(pre) : httpCall('.', takeTokenFromLocation()), !!pre);
}

/** A client for another MailMedic agent (the IT console): its https URL and its token. */
export function createAgentClient(baseUrl: string, token: string): Client {
  return clientFrom(httpCall(baseUrl.replace(/\/+$/, ''), token), false);
}

type Call = <M extends Method>(m: M, req: RequestOf<M>, onProgress: ProgressListener, signal?: AbortSignal) => Promise<ResponseOf<M>>;

function clientFrom(call: Call, desktop: boolean): Client {
  const client = { withProgress: call, desktop } as Client;
  for (const m of METHOD_NAMES) {
    (client as unknown as Record<string, unknown>)[m] = (req: unknown) => call(m, req as never, () => {});
  }
  return client;
}

function ipcCall(pre: PreloadBridge) {
  return async <M extends Method>(m: M, req: RequestOf<M>, onProgress: ProgressListener, signal?: AbortSignal): Promise<ResponseOf<M>> => {
    const off = pre.onProgress((p) => onProgress(p as Progress));
    try {
      if (signal?.aborted) throw cancelledError();
      const result = pre.call(m, req) as Promise<ResponseOf<M>>;
      if (!signal) return await result;
      // On abort: the main process stops this window's running calls of the method; the page stops waiting.
      return await new Promise<ResponseOf<M>>((resolve, reject) => {
        signal.addEventListener(
          'abort',
          () => {
            void pre.call('cancel', { method: m }).catch(() => undefined);
            reject(cancelledError());
          },
          { once: true },
        );
        result.then(resolve, reject);
      });
    } finally {
      off();
    }
  };
}

function httpCall(base: string, token: string | null) {
  return async <M extends Method>(m: M, req: RequestOf<M>, onProgress: ProgressListener, signal?: AbortSignal): Promise<ResponseOf<M>> => {
    if (signal?.aborted) throw cancelledError();
    const res = await fetch(`${base}/api/v1/${m}`, {
      method: 'POST',
      signal,
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/x-ndjson',
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify(req),
    });
    if (!res.ok || !res.body) {
      const body = (await res.json().catch(() => null)) as { error?: { kind: string; message: string } } | null;
      const hint = res.status === 401 ? ' — open the link that `mailmedic serve` printed (it carries the access token)' : '';
      throw new ApiCallError(body?.error?.kind ?? 'http', (body?.error?.message ?? `HTTP ${res.status}`) + hint, res.status);
    }
    // NDJSON: {progress} lines, then one {result} or {error}.
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (value) buffer += value;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (!line.trim()) continue;
        const msg = JSON.parse(line) as { progress?: Progress; result?: ResponseOf<M>; error?: { kind: string; message: string } };
        if (msg.progress) onProgress(msg.progress);
        else if (msg.error) throw new ApiCallError(msg.error.kind, msg.error.message);
        else if ('result' in msg) return msg.result as ResponseOf<M>;
      }
      if (done) throw new ApiCallError('http', 'the connection ended before the result arrived');
    }
  };
}
