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
  invoked: [] as [string, unknown, unknown][],
  listeners: new Map<string, Handler>(),
  windows: [] as { options: Record<string, unknown>; url?: string; contents: FakeContents }[],
  permissionHandler: null as Handler | null,
  protocolHandlers: new Map<string, Handler>(),
  privileged: [] as unknown[],
  appEvents: new Map<string, Handler>(),
  menu: null as unknown[] | null,
  protocolClients: [] as string[],
  revealed: [] as string[],
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
    on() {}
    isMinimized() {
      return false;
    }
    focus() {}
    loadURL(url: string) {
      const w = state.windows.find((x) => x.contents === this.webContents);
      if (w) w.url = url;
      return Promise.resolve();
    }
    static getAllWindows() {
      return state.windows;
    }
    static fromWebContents() {
      return null;
    }
  }
  return {
    app: {
      requestSingleInstanceLock: () => true,
      quit: vi.fn(),
      on: (name: string, fn: Handler) => state.appEvents.set(name, fn),
      whenReady: () => Promise.resolve(),
      getPath: () => mkdtempSync(path.join(os.tmpdir(), 'mm-userdata-')),
      setAsDefaultProtocolClient: (s: string) => state.protocolClients.push(s),
      isPackaged: true,
    },
    Menu: {
      buildFromTemplate: (t: unknown[]) => t,
      setApplicationMenu: (m: unknown[]) => (state.menu = m),
    },
    dialog: { showOpenDialog: vi.fn(), showMessageBox: vi.fn() },
    shell: { showItemInFolder: (p: string) => state.revealed.push(p) },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
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
      invoke: (ch: string, req: unknown, callId?: unknown) => {
        state.invoked.push([ch, req, callId]);
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

  it('IPC: one handler per contract method; the sender is checked; requests are validated; answers are envelopes', async () => {
    registerIpc({ handle: (ch: string, fn: Handler) => state.handlers.set(ch, fn) } as never, () => defaultContext());
    expect([...state.handlers.keys()].sort()).toEqual(METHOD_NAMES.map((m) => `mailmedic:${m}`).sort());
    const sender = { id: 1, isDestroyed: () => false, send: vi.fn() };
    const health = state.handlers.get('mailmedic:health') as Handler;
    await expect(health({ senderFrame: { url: 'app://mailmedic/index.html' }, sender }, {})).resolves.toEqual({ result: { name: 'mailmedic', version: expect.any(String) } });
    const refused = { error: { kind: 'bad-request', message: expect.stringMatching(/sender/) } };
    await expect(health({ senderFrame: { url: 'https://evil.example/' }, sender }, {})).resolves.toEqual(refused);
    await expect(health({ senderFrame: null, sender }, {})).resolves.toEqual(refused);
    const explain = state.handlers.get('mailmedic:explain') as Handler;
    await expect(explain({ senderFrame: { url: 'app://mailmedic/' }, sender }, { text: 42 })).resolves.toEqual({
      error: { kind: 'bad-request', message: expect.stringMatching(/^invalid explain request/) },
    });
    await expect(explain({ senderFrame: { url: 'app://mailmedic/' }, sender }, { text: '421' }, 'not an id!')).resolves.toEqual({
      error: { kind: 'bad-request', message: 'invalid call id' },
    });
  });

  it('preload exposes only call() and onProgress(), for contract methods only, without the IPC event', async () => {
    await import('../../../electron/app/preload.ts');
    const bridge = state.exposed.get('mailmedic') as { call: Handler; onProgress: Handler };
    expect(Object.keys(bridge).sort()).toEqual(['call', 'onProgress']);
    await expect(bridge.call('health', {})).resolves.toBe('ok');
    expect(state.invoked).toContainEqual(['mailmedic:health', {}, undefined]);
    await expect(bridge.call('pstScan', { paths: ['/a.pst'] }, 'call-1')).resolves.toBe('ok');
    expect(state.invoked).toContainEqual(['mailmedic:pstScan', { paths: ['/a.pst'] }, 'call-1']);
    await expect(bridge.call('openExternal', {})).rejects.toThrow(/unknown method/);
    const seen: unknown[] = [];
    const off = bridge.onProgress((p: unknown) => seen.push(p)) as () => void;
    (state.listeners.get('mailmedic:progress') as Handler)({ sender: 'secret' }, { callId: 'call-1', progress: { phase: 'smtp' } });
    expect(seen).toEqual([{ callId: 'call-1', progress: { phase: 'smtp' } }]);
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
    // Deep links: registered as the mailmedic:// handler; a second start with a link opens that finding;
    // a link of any other shape changes nothing.
    expect(state.protocolClients).toEqual(['mailmedic']);
    (state.appEvents.get('second-instance') as Handler)({}, ['/opt/MailMedic/mailmedic', 'mailmedic://finding/smtp.port-blocked.25']);
    expect(win?.url).toBe('app://mailmedic/index.html#/finding/smtp.port-blocked.25');
    const openUrl = { preventDefault: vi.fn() };
    (state.appEvents.get('open-url') as Handler)(openUrl, 'mailmedic://screen/../../etc');
    expect(openUrl.preventDefault).toHaveBeenCalled();
    expect(win?.url).toBe('app://mailmedic/index.html#/finding/smtp.port-blocked.25');
    (state.appEvents.get('open-url') as Handler)(openUrl, 'mailmedic://screen/pst');
    expect(win?.url).toBe('app://mailmedic/index.html#/pst');
    // The menu: packaged → no developer tools; Go → screens on Ctrl/Cmd+1…7.
    const labels = JSON.stringify(state.menu);
    expect(labels).not.toMatch(/toggleDevTools|"reload"/);
    const go = (state.menu as { label: string; submenu: { label: string; accelerator: string; click: () => void }[] }[]).find((m) => m.label === '&Go');
    expect(go?.submenu.map((i) => i.accelerator)).toEqual(['CmdOrCtrl+1', 'CmdOrCtrl+2', 'CmdOrCtrl+3', 'CmdOrCtrl+4', 'CmdOrCtrl+5', 'CmdOrCtrl+6', 'CmdOrCtrl+7']);
    go?.submenu[5].click();
    expect(win?.url).toBe('app://mailmedic/index.html#/explain');
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

  it('the page has no inline script; both faces send the CSP as a header (app:// above, HTTP in the server test)', () => {
    // No <meta> CSP: it would intersect with the header and stop the IT console (serve --console) reaching agents.
    const html = readFileSync(path.join(repoRoot, 'renderer/index.html'), 'utf8');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/\bon\w+=/);
  });
});

const { loadWindowState, saveWindowState, DEFAULT_STATE } = await import('../../../electron/app/window-state.ts');
const { deepLinkToAppUrl, deepLinkInArgv } = await import('../../../electron/app/deep-link.ts');
const { nativeMethods } = await import('../../../electron/app/native.ts');
const { menuTemplate } = await import('../../../electron/app/menu.ts');

describe('Electron shell: window state, deep links, native pickers, menu', () => {
  const display = { x: 0, y: 0, width: 1920, height: 1080 };

  it('window state: saved atomically and restored; missing, corrupt or off-screen falls back safely', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mm-winstate-'));
    const file = path.join(dir, 'sub', 'window-state.json');
    expect(loadWindowState(file, [display])).toEqual(DEFAULT_STATE);
    saveWindowState(file, { x: 100, y: 80, width: 1200, height: 800, maximized: true });
    expect(loadWindowState(file, [display])).toEqual({ x: 100, y: 80, width: 1200, height: 800, maximized: true });
    // The monitor it was on is gone: keep the size, let the OS place it.
    expect(loadWindowState(file, [{ x: 0, y: 0, width: 1024, height: 768 }].map((d) => ({ ...d, x: 5000 })))).toEqual({ width: 1200, height: 800, maximized: true });
    writeFileSync(file, '{"width": 10, "height": "tall"');
    expect(loadWindowState(file, [display])).toEqual(DEFAULT_STATE);
    writeFileSync(file, JSON.stringify({ width: 100, height: 100, maximized: false }));
    expect(loadWindowState(file, [display])).toEqual(DEFAULT_STATE);
  });

  it('deep links: only mailmedic://finding/<id> and mailmedic://screen/<name> become hash routes', () => {
    expect(deepLinkToAppUrl('mailmedic://finding/smtp.port-blocked.25')).toBe('app://mailmedic/index.html#/finding/smtp.port-blocked.25');
    expect(deepLinkToAppUrl('mailmedic://finding/thunderbird%3Ap1%3Asmtp1')).toBe('app://mailmedic/index.html#/finding/thunderbird%3Ap1%3Asmtp1');
    expect(deepLinkToAppUrl('mailmedic://screen/pst')).toBe('app://mailmedic/index.html#/pst');
    for (const bad of [
      'mailmedic://screen/nope',
      'mailmedic://finding/<script>',
      'mailmedic://finding/a/b',
      'mailmedic://open/https%3A%2F%2Fevil.example',
      'https://finding/x',
      'mailmedic://finding/%E0%A4%A',
      'not a url',
    ]) {
      expect(deepLinkToAppUrl(bad), bad).toBeNull();
    }
    expect(deepLinkInArgv(['/usr/bin/mailmedic', '--no-sandbox', 'mailmedic://screen/fixes'])).toBe('app://mailmedic/index.html#/fixes');
    expect(deepLinkInArgv(['/usr/bin/mailmedic'])).toBeNull();
  });

  it('native pickers: the right dialog, cancel gives no paths; reveal only existing absolute paths', async () => {
    const calls: unknown[] = [];
    const dialog = {
      showOpenDialog: (...args: unknown[]) => {
        calls.push(args.at(-1));
        return Promise.resolve({ canceled: calls.length === 2, filePaths: ['/home/sam/a.pst', '/home/sam/b.ost'] });
      },
    };
    const revealed: string[] = [];
    const native = nativeMethods(dialog as never, { showItemInFolder: (p: string) => revealed.push(p) });
    await expect(native.pickPaths({ kind: 'files' }, null)).resolves.toEqual({ paths: ['/home/sam/a.pst', '/home/sam/b.ost'] });
    await expect(native.pickPaths({ kind: 'folder', title: 'Save to' }, null)).resolves.toEqual({ paths: [] });
    expect(calls[0]).toMatchObject({ properties: ['openFile', 'multiSelections'], filters: [{ extensions: ['pst', 'ost'] }, { extensions: ['*'] }] });
    expect(calls[1]).toMatchObject({ title: 'Save to', properties: ['openDirectory', 'createDirectory'] });
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mm-reveal-'));
    await expect(native.revealPath({ path: dir })).resolves.toEqual({ shown: true });
    await expect(native.revealPath({ path: 'relative/x.pst' })).resolves.toEqual({ shown: false });
    await expect(native.revealPath({ path: path.join(dir, 'missing.pst') })).resolves.toEqual({ shown: false });
    expect(revealed).toEqual([dir]);
  });

  it('IPC: desktop-only methods go to the native handlers, validated; the engine refuses them elsewhere', async () => {
    const handlers = new Map<string, Handler>();
    const picked: unknown[] = [];
    const native = {
      pickPaths: async (req: unknown) => (picked.push(req), { paths: ['/x.pst'] }),
      revealPath: async () => ({ shown: false }),
    };
    registerIpc({ handle: (ch: string, fn: Handler) => handlers.set(ch, fn) } as never, () => defaultContext(), { native });
    const ev = { senderFrame: { url: 'app://mailmedic/index.html' }, sender: { id: 1, isDestroyed: () => false, send: vi.fn() } };
    await expect((handlers.get('mailmedic:pickPaths') as Handler)(ev, { kind: 'folder' })).resolves.toEqual({ result: { paths: ['/x.pst'] } });
    await expect((handlers.get('mailmedic:pickPaths') as Handler)(ev, { kind: 'disk' })).resolves.toEqual({ error: { kind: 'bad-request', message: 'invalid pickPaths request' } });
    await expect((handlers.get('mailmedic:pickPaths') as Handler)({ ...ev, senderFrame: { url: 'https://evil.example/' } }, { kind: 'folder' })).resolves.toMatchObject({
      error: { message: expect.stringMatching(/sender/) },
    });
    expect(picked).toEqual([{ kind: 'folder' }]);
    // Without native handlers (the CLI and HTTP faces), the engine answers that it is not available there.
    const plain = new Map<string, Handler>();
    registerIpc({ handle: (ch: string, fn: Handler) => plain.set(ch, fn) } as never, () => defaultContext());
    await expect((plain.get('mailmedic:pickPaths') as Handler)(ev, { kind: 'folder' })).resolves.toEqual({
      error: { kind: 'not-available', message: expect.stringMatching(/only in the desktop app/) },
    });
  });

  it('IPC cancel: stops only the asking window\'s call with that id; progress carries the call id', async () => {
    const handlers = new Map<string, Handler>();
    const signals = new Map<string, AbortSignal>();
    // The engine stand-in reports progress, then waits until its signal aborts, like a long PST scan does.
    const run = ((_m: string, r: { paths: string[] }, c: { signal: AbortSignal; onProgress: (p: unknown) => void }) =>
      new Promise((_res, rej) => {
        signals.set(r.paths[0], c.signal);
        c.onProgress({ phase: 'files', done: 0, total: 1, unit: 'items', detail: r.paths[0] });
        c.signal.addEventListener('abort', () => rej(Object.assign(new Error('scan cancelled'), { name: 'AbortError' })));
      })) as never;
    registerIpc({ handle: (ch: string, fn: Handler) => handlers.set(ch, fn) } as never, () => defaultContext(), { run });
    const pages = new Map<number, ReturnType<typeof vi.fn>>();
    const page = (id: number) => {
      if (!pages.has(id)) pages.set(id, vi.fn());
      return { senderFrame: { url: 'app://mailmedic/index.html' }, sender: { id, isDestroyed: () => false, send: pages.get(id) } };
    };
    const pstScan = handlers.get('mailmedic:pstScan') as Handler;
    const cancel = handlers.get('mailmedic:cancel') as Handler;
    const x = pstScan(page(1), { paths: ['/x'] }, 'a') as Promise<unknown>;
    const y = pstScan(page(1), { paths: ['/y'] }, 'b') as Promise<unknown>;
    const other = pstScan(page(2), { paths: ['/z'] }, 'a') as Promise<unknown>;
    await expect(pstScan(page(1), { paths: ['/w'] }, 'a')).resolves.toEqual({ error: { kind: 'bad-request', message: 'call id a is already running' } });
    expect(pages.get(1)?.mock.calls.map((c) => [c[0], c[1].callId, c[1].progress.detail])).toEqual([
      ['mailmedic:progress', 'a', '/x'],
      ['mailmedic:progress', 'b', '/y'],
    ]);
    await expect(cancel(page(1), { callId: 'nope' })).resolves.toEqual({ result: { cancelled: 0 } });
    await expect(cancel(page(1), { callId: 'a' })).resolves.toEqual({ result: { cancelled: 1 } });
    await expect(x).resolves.toEqual({ error: { kind: 'cancelled', message: 'scan cancelled' } });
    expect([...signals].map(([p, s]) => [p, s.aborted])).toEqual([['/x', true], ['/y', false], ['/z', false]]);
    await expect(cancel(page(1), { callId: 'a' })).resolves.toEqual({ result: { cancelled: 0 } });
    await expect(cancel(page(1), { method: 'pstScan' })).resolves.toMatchObject({ error: { kind: 'bad-request', message: 'invalid cancel request' } });
    await expect(cancel(page(1), { callId: 'b' })).resolves.toEqual({ result: { cancelled: 1 } });
    await expect(y).resolves.toMatchObject({ error: { kind: 'cancelled' } });
    expect(signals.get('/z')?.aborted).toBe(false);
    await expect(cancel(page(2), { callId: 'a' })).resolves.toEqual({ result: { cancelled: 1 } });
    await expect(other).resolves.toMatchObject({ error: { kind: 'cancelled' } });
  });

  it('menu: developer tools only in development; macOS gets its app menu', () => {
    const actions = { show: vi.fn(), quit: vi.fn(), about: vi.fn() };
    expect(JSON.stringify(menuTemplate(actions, { mac: false, dev: true }))).toContain('toggleDevTools');
    const mac = menuTemplate(actions, { mac: true, dev: false });
    expect(mac[0].label).toBe('MailMedic');
    expect(JSON.stringify(mac)).not.toContain('toggleDevTools');
  });
});
