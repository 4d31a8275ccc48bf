import { beforeEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../../support/paths.ts';

// The Electron binary cannot run here, so the shell is checked through a mocked `electron` module:
// the only place a mock is right, since the thing under test is our use of Electron's API, not Electron.
type Handler = (...args: unknown[]) => unknown;
const state = vi.hoisted(() => ({
  handlers: new Map<string, Handler>(),
  exposed: new Map<string, unknown>(),
  invoked: [] as [string, unknown][],
  listeners: new Map<string, Handler>(),
  windows: [] as { options: Record<string, unknown>; url?: string; contents: FakeContents }[],
  permissionHandler: null as Handler | null,
  protocolHandlers: new Map<string, Handler>(),
  privileged: [] as unknown[],
}));

class FakeContents {
  events = new Map<string, Handler>();
  openHandler: Handler | null = null;
  on(name: string, fn: Handler) {
    this.events.set(name, fn);
    return this;
  }
  setWindowOpenHandler(fn: Handler) {
    this.openHandler = fn;
  }
}

vi.mock('electron', () => {
  class BrowserWindow {
    webContents = new FakeContents();
    constructor(public options: Record<string, unknown>) {
      state.windows.push({ options, contents: this.webContents });
    }
    once() {}
    loadURL(url: string) {
      state.windows[state.windows.length - 1].url = url;
      return Promise.resolve();
    }
    static getAllWindows() {
      return state.windows;
    }
  }
  return {
    app: {
      requestSingleInstanceLock: () => true,
      quit: vi.fn(),
      on: vi.fn(),
      whenReady: () => Promise.resolve(),
    },
    BrowserWindow,
    ipcMain: { handle: (ch: string, fn: Handler) => state.handlers.set(ch, fn) },
    protocol: {
      registerSchemesAsPrivileged: (s: unknown[]) => state.privileged.push(...s),
      handle: (scheme: string, fn: Handler) => state.protocolHandlers.set(scheme, fn),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (fn: Handler) => (state.permissionHandler = fn),
        setPermissionCheckHandler: vi.fn(),
      },
    },
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => state.exposed.set(key, api) },
    ipcRenderer: {
      invoke: (ch: string, req: unknown) => {
        state.invoked.push([ch, req]);
        return Promise.resolve('ok');
      },
      on: (ch: string, fn: Handler) => state.listeners.set(ch, fn),
      removeListener: (ch: string) => state.listeners.delete(ch),
    },
  };
});

const { windowOptions, hardenWebContents, isAppUrl } = await import('../../../electron/app/window.ts');
const { registerIpc } = await import('../../../electron/app/ipc.ts');
const { appProtocolResponse } = await import('../../../electron/app/protocol.ts');
const { METHOD_NAMES } = await import('../../../electron/contract/methods.ts');
const { defaultContext } = await import('../../../electron/engine/defaults.ts');

describe('Electron shell: security checklist', () => {
  beforeEach(() => state.handlers.clear());

  it('window: context isolation, sandbox, no Node integration, web security, no webview', () => {
    const wp = windowOptions('/x/preload.cjs').webPreferences ?? {};
    expect(wp).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      preload: '/x/preload.cjs',
    });
    expect(wp).not.toHaveProperty('enableBlinkFeatures');
  });

  it('navigation away from the app and new windows are blocked', () => {
    const contents = new FakeContents();
    hardenWebContents(contents as never);
    expect(contents.openHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    const navigate = contents.events.get('will-navigate') as Handler;
    const external = { preventDefault: vi.fn() };
    navigate(external, 'https://evil.example/');
    expect(external.preventDefault).toHaveBeenCalled();
    const internal = { preventDefault: vi.fn() };
    navigate(internal, 'app://mailmedic/index.html#/pst');
    expect(internal.preventDefault).not.toHaveBeenCalled();
    const webview = { preventDefault: vi.fn() };
    (contents.events.get('will-attach-webview') as Handler)(webview);
    expect(webview.preventDefault).toHaveBeenCalled();
    expect(isAppUrl('file:///etc/passwd')).toBe(false);
    expect(isAppUrl('app://mailmedic.evil/')).toBe(false);
  });

  it('IPC: one handler per contract method; the sender is checked; requests are validated', async () => {
    registerIpc({ handle: (ch: string, fn: Handler) => state.handlers.set(ch, fn) } as never, () => defaultContext());
    expect([...state.handlers.keys()].sort()).toEqual(METHOD_NAMES.map((m) => `mailmedic:${m}`).sort());
    const sender = { isDestroyed: () => false, send: vi.fn() };
    const health = state.handlers.get('mailmedic:health') as Handler;
    await expect(health({ senderFrame: { url: 'app://mailmedic/index.html' }, sender }, {})).resolves.toMatchObject({ name: 'mailmedic' });
    await expect(health({ senderFrame: { url: 'https://evil.example/' }, sender }, {})).rejects.toThrow(/sender/);
    await expect(health({ senderFrame: null, sender }, {})).rejects.toThrow(/sender/);
    const explain = state.handlers.get('mailmedic:explain') as Handler;
    await expect(explain({ senderFrame: { url: 'app://mailmedic/' }, sender }, { text: 42 })).rejects.toThrow(/invalid explain request/);
  });

  it('preload exposes only call() and onProgress(), for contract methods only, without the IPC event', async () => {
    await import('../../../electron/app/preload.ts');
    const bridge = state.exposed.get('mailmedic') as { call: Handler; onProgress: Handler };
    expect(Object.keys(bridge).sort()).toEqual(['call', 'onProgress']);
    await expect(bridge.call('health', {})).resolves.toBe('ok');
    expect(state.invoked).toContainEqual(['mailmedic:health', {}]);
    await expect(bridge.call('openExternal', {})).rejects.toThrow(/unknown method/);
    const seen: unknown[] = [];
    const off = bridge.onProgress((p: unknown) => seen.push(p)) as () => void;
    (state.listeners.get('mailmedic:progress') as Handler)({ sender: 'secret' }, { phase: 'smtp' });
    expect(seen).toEqual([{ phase: 'smtp' }]);
    off();
    expect(state.listeners.has('mailmedic:progress')).toBe(false);
  });

  it('main: denies every permission, serves app:// (not file://), opens a hardened window', async () => {
    await import('../../../electron/app/main.ts');
    await new Promise((r) => setTimeout(r, 0));
    const decide = vi.fn();
    state.permissionHandler?.({}, 'media', decide);
    expect(decide).toHaveBeenCalledWith(false);
    expect(state.protocolHandlers.has('app')).toBe(true);
    expect(state.privileged).toContainEqual(expect.objectContaining({ scheme: 'app' }));
    const win = state.windows.at(-1);
    expect(win?.url).toBe('app://mailmedic/index.html');
    expect((win?.options.webPreferences as Record<string, unknown>).sandbox).toBe(true);
    expect(win?.contents.openHandler).not.toBeNull();
  });

  it('app:// serves only files inside the renderer folder, each with a CSP', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'mm-proto-'));
    mkdirSync(path.join(root, 'assets'));
    writeFileSync(path.join(root, 'index.html'), '<html></html>');
    writeFileSync(path.join(root, 'assets', 'a.js'), 'x');
    const ok = await appProtocolResponse(root, 'app://mailmedic/');
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect((await appProtocolResponse(root, 'app://mailmedic/assets/a.js')).headers.get('content-type')).toContain('javascript');
    expect((await appProtocolResponse(root, 'app://mailmedic/..%2f..%2fetc%2fpasswd')).status).toBe(404);
    expect((await appProtocolResponse(root, 'app://other/index.html')).status).toBe(404);
  });

  it('the page itself carries a CSP without inline scripts', () => {
    const html = readFileSync(path.join(repoRoot, 'renderer/index.html'), 'utf8');
    expect(html).toMatch(/Content-Security-Policy/);
    expect(html).toMatch(/script-src 'self'/);
    expect(html).not.toMatch(/unsafe-eval/);
  });
});
