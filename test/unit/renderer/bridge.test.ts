// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from '../../../renderer/src/api/bridge.ts';

// The renderer side of the desktop app: window.mailmedic as the preload exposes it (call + onProgress only).
afterEach(() => {
  delete window.mailmedic;
});

function preload() {
  const calls: [string, unknown][] = [];
  let listener: ((p: unknown) => void) | null = null;
  const pending: { resolve: (v: unknown) => void }[] = [];
  window.mailmedic = {
    call(method, request) {
      calls.push([method, request]);
      if (method === 'cancel') return Promise.resolve({ cancelled: 1 });
      return new Promise((resolve) => pending.push({ resolve }));
    },
    onProgress(l) {
      listener = l;
      return () => (listener = null);
    },
  };
  return { calls, progress: (p: unknown) => listener?.(p), pending, listening: () => listener !== null };
}

describe('bridge over IPC', () => {
  it('a call goes through the preload with its progress, and stops listening when done', async () => {
    const fake = preload();
    const client = createClient();
    expect(client.desktop).toBe(true);
    const seen: unknown[] = [];
    const p = client.withProgress('pstScan', { paths: ['/a.pst'] }, (x) => seen.push(x));
    fake.progress({ phase: 'scan', done: 1, total: 2, unit: 'items' });
    fake.pending[0].resolve({ ok: true });
    await expect(p).resolves.toEqual({ ok: true });
    expect(seen).toEqual([{ phase: 'scan', done: 1, total: 2, unit: 'items' }]);
    expect(fake.listening()).toBe(false);
    expect(fake.calls).toEqual([['pstScan', { paths: ['/a.pst'] }]]);
  });

  it('cancel asks the main process to stop that method and rejects at once', async () => {
    const fake = preload();
    const client = createClient();
    const ctl = new AbortController();
    const p = client.withProgress('pstScan', { paths: ['/a.pst'] }, () => {}, ctl.signal);
    ctl.abort();
    await expect(p).rejects.toMatchObject({ kind: 'cancelled' });
    expect(fake.calls).toEqual([
      ['pstScan', { paths: ['/a.pst'] }],
      ['cancel', { method: 'pstScan' }],
    ]);
    // Already aborted: nothing is sent at all.
    await expect(client.withProgress('scan', {}, () => {}, ctl.signal)).rejects.toMatchObject({ kind: 'cancelled' });
    expect(fake.calls).toHaveLength(2);
  });
});
