// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { ApiCallError, createClient } from '../../../renderer/src/api/bridge.ts';
import type { ProgressMessage } from '../../../electron/contract/envelope.ts';

// The renderer side of the desktop app: window.mailmedic as the preload exposes it (call + onProgress only).
afterEach(() => {
  delete window.mailmedic;
});

function preload() {
  const calls: [string, unknown, string | undefined][] = [];
  const listeners = new Set<(m: ProgressMessage) => void>();
  const pending = new Map<string, (outcome: unknown) => void>();
  window.mailmedic = {
    call(method, request, callId) {
      calls.push([method, request, callId]);
      if (method === 'cancel') return Promise.resolve({ result: { cancelled: 1 } });
      return new Promise((resolve) => pending.set(callId ?? '', resolve));
    },
    onProgress(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
  return {
    calls,
    idOf: (i: number) => calls[i][2] as string,
    progress: (m: ProgressMessage) => listeners.forEach((l) => l(m)),
    answer: (callId: string, outcome: unknown) => pending.get(callId)?.(outcome),
    listening: () => listeners.size,
  };
}

const step = (phase: string, done: number) => ({ phase, done, total: 2, unit: 'items' as const });

describe('bridge over IPC', () => {
  it('a call goes through the preload with its own call id, sees only that id\'s progress, and stops listening when done', async () => {
    const fake = preload();
    const client = createClient();
    expect(client.desktop).toBe(true);
    const seen: unknown[] = [];
    const p = client.withProgress('pstScan', { paths: ['/a.pst'] }, (x) => seen.push(x));
    const id = fake.idOf(0);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    fake.progress({ callId: 'someone-else', progress: step('other', 1) });
    fake.progress({ callId: id, progress: step('scan', 1) });
    fake.answer(id, { result: { ok: true } });
    await expect(p).resolves.toEqual({ ok: true });
    expect(seen).toEqual([step('scan', 1)]);
    expect(fake.listening()).toBe(0);
    expect(fake.calls).toEqual([['pstScan', { paths: ['/a.pst'] }, id]]);
  });

  it('an error answer becomes the same ApiCallError(kind, message) as over HTTP', async () => {
    const fake = preload();
    const client = createClient();
    const p = client.explain({ text: 'x' });
    fake.answer(fake.idOf(0), { error: { kind: 'not-available', message: 'only in the desktop app' } });
    const e = await p.catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApiCallError);
    expect(e).toMatchObject({ kind: 'not-available', message: 'only in the desktop app' });
  });

  it('cancel asks the main process to stop that one call (by its id) and rejects at once', async () => {
    const fake = preload();
    const client = createClient();
    const ctl = new AbortController();
    const p = client.withProgress('pstScan', { paths: ['/a.pst'] }, () => {}, ctl.signal);
    ctl.abort();
    await expect(p).rejects.toMatchObject({ kind: 'cancelled' });
    expect(fake.calls).toEqual([
      ['pstScan', { paths: ['/a.pst'] }, fake.idOf(0)],
      ['cancel', { callId: fake.idOf(0) }, undefined],
    ]);
    // Already aborted: nothing is sent at all.
    await expect(client.withProgress('scan', {}, () => {}, ctl.signal)).rejects.toMatchObject({ kind: 'cancelled' });
    expect(fake.calls).toHaveLength(2);
  });

  it('two calls at once: each sees only its own progress; cancelling one leaves the other running', async () => {
    const fake = preload();
    const client = createClient();
    const seenA: unknown[] = [];
    const seenB: unknown[] = [];
    const ctlA = new AbortController();
    const a = client.withProgress('scan', {}, (x) => seenA.push(x), ctlA.signal);
    const b = client.withProgress('pstScan', { paths: ['/b.pst'] }, (x) => seenB.push(x));
    const [idA, idB] = [fake.idOf(0), fake.idOf(1)];
    expect(idA).not.toBe(idB);
    fake.progress({ callId: idA, progress: step('accounts', 0) });
    fake.progress({ callId: idB, progress: step('blocks', 1) });
    ctlA.abort();
    await expect(a).rejects.toMatchObject({ kind: 'cancelled' });
    expect(fake.calls.at(-1)).toEqual(['cancel', { callId: idA }, undefined]);
    fake.progress({ callId: idB, progress: step('items', 2) });
    fake.answer(idB, { result: { done: 'b' } });
    await expect(b).resolves.toEqual({ done: 'b' });
    expect(seenA).toEqual([step('accounts', 0)]);
    expect(seenB).toEqual([step('blocks', 1), step('items', 2)]);
  });
});
