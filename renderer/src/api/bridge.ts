import type { ApiClient, Method, RequestOf, ResponseOf } from '../../../electron/contract/api.ts';
import type { ErrorBody, ProgressMessage, ResultBody } from '../../../electron/contract/envelope.ts';
import type { Progress } from '../../../electron/core/progress.ts';
import { METHOD_NAMES, type MethodName } from '../../../electron/contract/methods.ts';

// The renderer's only way to the engine: Electron IPC when the preload exposed `window.mailmedic`,
// the local HTTP server otherwise (browser face, remote IT console). Same contract and the same envelope
// (electron/contract/envelope.ts) either way: a failure is an ApiCallError with the kind the engine gave it.

/** What the preload exposes: call() answers the envelope {result} | {error}; progress comes tagged with its call id. */
export interface PreloadBridge {
  call(method: MethodName, request: unknown, callId?: string): Promise<unknown>;
  onProgress(listener: (message: ProgressMessage) => void): () => void;
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
  return pre ? clientOverIpc(pre) : clientFrom(httpCall('.', takeTokenFromLocation()), false);
}

/** The desktop app's client: calls through the preload, each with its own call id. */
export function clientOverIpc(pre: PreloadBridge): Client {
  return clientFrom(ipcCall(pre), true);
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

function ipcCall(pre: PreloadBridge): Call {
  return async <M extends Method>(m: M, req: RequestOf<M>, onProgress: ProgressListener, signal?: AbortSignal): Promise<ResponseOf<M>> => {
    if (signal?.aborted) throw cancelledError();
    // The id is made here, so progress can be told apart and the call cancelled before its answer arrives.
    const callId = crypto.randomUUID();
    const off = pre.onProgress((msg) => {
      if (msg.callId === callId) onProgress(msg.progress);
    });
    let onAbort: (() => void) | null = null;
    try {
      const answer = pre.call(m, req, callId).then((outcome) => unwrap<ResponseOf<M>>(outcome));
      if (!signal) return await answer;
      // On abort: the main process stops this one call; the page stops waiting at once.
      return await new Promise<ResponseOf<M>>((resolve, reject) => {
        onAbort = () => {
          void pre.call('cancel', { callId }).catch(() => undefined);
          reject(cancelledError());
        };
        signal.addEventListener('abort', onAbort, { once: true });
        answer.then(resolve, reject);
      });
    } finally {
      off();
      if (onAbort) signal?.removeEventListener('abort', onAbort);
    }
  };
}

/** The main process's answer {result} | {error: {kind, message}} as a value or the same ApiCallError as over HTTP. */
function unwrap<T>(outcome: unknown): T {
  const o = (outcome ?? {}) as Partial<ResultBody<T> & ErrorBody>;
  if (o.error) throw new ApiCallError(o.error.kind, o.error.message);
  if ('result' in o) return o.result as T;
  throw new ApiCallError('internal', 'the desktop app answered without a result');
}

function httpCall(base: string, token: string | null): Call {
  const call = httpRequest(base, token);
  // Aborting closes the request (the server then stops the work); the caller gets the same 'cancelled' as over IPC.
  return async (m, req, onProgress, signal) => {
    if (signal?.aborted) throw cancelledError();
    try {
      return await call(m, req, onProgress, signal);
    } catch (e) {
      throw signal?.aborted ? cancelledError() : e;
    }
  };
}

function httpRequest(base: string, token: string | null): Call {
  return async <M extends Method>(m: M, req: RequestOf<M>, onProgress: ProgressListener, signal?: AbortSignal): Promise<ResponseOf<M>> => {
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
      const body = (await res.json().catch(() => null)) as Partial<ErrorBody> | null;
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
        const msg = JSON.parse(line) as Partial<ProgressMessage & ResultBody<ResponseOf<M>> & ErrorBody>;
        if (msg.progress) onProgress(msg.progress);
        else if (msg.error) throw new ApiCallError(msg.error.kind, msg.error.message);
        else if ('result' in msg) return msg.result as ResponseOf<M>;
      }
      if (done) throw new ApiCallError('http', 'the connection ended before the result arrived');
    }
  };
}
