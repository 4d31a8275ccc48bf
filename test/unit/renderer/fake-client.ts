import type { Client } from '../../../renderer/src/api/bridge.ts';
import { api, type Method, type RequestOf, type ResponseOf } from '../../../electron/contract/api.ts';
import type { Progress } from '../../../electron/core/progress.ts';
import { METHOD_NAMES } from '../../../electron/contract/methods.ts';

// A stand-in for the engine in component tests: the component is under test, so the engine's answers are
// given per test. Every answer is checked against the contract, so a screen is only ever fed real shapes.

export type Answers = { [M in Method]?: (req: RequestOf<M>, signal?: AbortSignal) => Promise<ResponseOf<M>> | ResponseOf<M> };

export interface FakeClient extends Client {
  calls: { method: Method; request: unknown }[];
}

export function fakeClient(answers: Answers, opts: { progress?: Progress[]; desktop?: boolean } = {}): FakeClient {
  const calls: FakeClient['calls'] = [];
  const call = async <M extends Method>(m: M, req: RequestOf<M>, onProgress?: (p: Progress) => void, signal?: AbortSignal): Promise<ResponseOf<M>> => {
    calls.push({ method: m, request: req });
    api[m].request.parse(req);
    for (const p of opts.progress ?? []) onProgress?.(p);
    const answer = answers[m] as ((r: RequestOf<M>, s?: AbortSignal) => Promise<ResponseOf<M>> | ResponseOf<M>) | undefined;
    if (!answer) throw new Error(`${m}: not expected in this test`);
    const result = await answer(req, signal);
    return api[m].response.parse(result) as ResponseOf<M>;
  };
  const client = { calls, desktop: opts.desktop ?? false, withProgress: call } as unknown as FakeClient;
  for (const m of METHOD_NAMES) (client as unknown as Record<string, unknown>)[m] = (req: never) => call(m, req);
  return client;
}

/** A promise the test settles by hand, to look at a screen while work is under way. */
export function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
