// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, renderHook } from '@testing-library/react';
import { useCall } from '../../../renderer/src/api/use-call.ts';
import { ApiCallError } from '../../../renderer/src/api/bridge.ts';
import { deferred, fakeClient } from './fake-client.ts';
import { report } from './reports.ts';
import type { Report } from '../../../electron/contract/report.ts';

// The one request state every screen uses: idle → running (progress) → done | error, cancel, and stop on unmount.
afterEach(cleanup);
const step = { phase: 'blocks', done: 1, total: 2, unit: 'bytes' as const };

describe('useCall', () => {
  it('idle → running with progress → done with the result', async () => {
    const pending = deferred<Report>();
    const client = fakeClient({ explain: () => pending.promise }, { progress: [step] });
    const { result } = renderHook(() => useCall(client, 'explain'));
    expect(result.current.state).toEqual({ kind: 'idle' });
    let done!: Promise<unknown>;
    act(() => void (done = result.current.start({ text: '421' })));
    await act(async () => undefined);
    expect(result.current.state).toEqual({ kind: 'running', progress: step });
    const answer = report('explain', []);
    await act(async () => pending.resolve(answer));
    await expect(done).resolves.toEqual(answer);
    expect(result.current.state).toEqual({ kind: 'done', result: answer });
    expect(client.calls).toEqual([{ method: 'explain', request: { text: '421' } }]);
  });

  it('a failure keeps its kind; anything else thrown becomes kind internal', async () => {
    const client = fakeClient({
      smtp: () => Promise.reject(new ApiCallError('bad-request', 'invalid smtp request')),
      network: () => Promise.reject(new Error('boom')),
    });
    const smtp = renderHook(() => useCall(client, 'smtp')).result;
    await act(async () => void (await smtp.current.start({ host: 'x' })));
    expect(smtp.current.state).toMatchObject({ kind: 'error', error: { kind: 'bad-request', message: 'invalid smtp request' } });
    const network = renderHook(() => useCall(client, 'network')).result;
    await act(async () => void (await network.current.start({})));
    expect(network.current.state).toMatchObject({ kind: 'error', error: { kind: 'internal', message: 'boom' } });
  });

  it('cancel: at once the cancelled error, and the call\'s signal aborts; a late answer changes nothing', async () => {
    let signal: AbortSignal | undefined;
    const pending = deferred<Report>();
    const client = fakeClient({ pstScan: (_r, s) => ((signal = s), pending.promise) });
    const { result } = renderHook(() => useCall(client, 'pstScan'));
    let outcome!: Promise<unknown>;
    act(() => void (outcome = result.current.start({ paths: ['/a.pst'] })));
    await act(async () => undefined);
    act(() => result.current.cancel());
    expect(result.current.state).toMatchObject({ kind: 'error', error: { kind: 'cancelled' } });
    expect(signal?.aborted).toBe(true);
    await act(async () => pending.resolve(report('pst scan', [])));
    await expect(outcome).resolves.toBeNull();
    expect(result.current.state).toMatchObject({ kind: 'error', error: { kind: 'cancelled' } });
  });

  it('a new start supersedes the running call; unmounting stops a running call', async () => {
    const signals: AbortSignal[] = [];
    const answers = [deferred<Report>(), deferred<Report>(), deferred<Report>()];
    const client = fakeClient({ scan: (_r, s) => (signals.push(s as AbortSignal), answers[signals.length - 1].promise) });
    const { result, unmount } = renderHook(() => useCall(client, 'scan'));
    let first!: Promise<unknown>;
    act(() => void (first = result.current.start({})));
    await act(async () => undefined);
    act(() => void result.current.start({}));
    await act(async () => undefined);
    expect(signals.map((s) => s.aborted)).toEqual([true, false]);
    await act(async () => answers[0].resolve(report('scan', [])));
    await expect(first).resolves.toBeNull();
    expect(result.current.state.kind).toBe('running');
    const second = report('scan', []);
    await act(async () => answers[1].resolve(second));
    expect(result.current.state).toEqual({ kind: 'done', result: second });

    act(() => void result.current.start({}));
    await act(async () => undefined);
    unmount();
    expect(signals[2].aborted).toBe(true);
  });
});
