import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, screen, session, shell } from 'electron';
import path from 'node:path';
import { builtFile } from '../core/built.ts';
import { tuneGarbageCollector } from '../core/gc.ts';
import { defaultContext } from '../engine/defaults.ts';
import { VERSION } from '../core/version.ts';
import { registerIpc } from './ipc.ts';
import { appProtocolResponse } from './protocol.ts';
import { APP_ORIGIN, hardenWebContents, windowOptions } from './window.ts';
import { loadWindowState, saveWindowState, stateOf } from './window-state.ts';
import { DEEP_LINK_SCHEME, deepLinkInArgv, deepLinkToAppUrl } from './deep-link.ts';
import { menuTemplate } from './menu.ts';
import { nativeMethods } from './native.ts';

// The Electron shell: window, protocol, IPC, menu, deep links. All the work happens in the engine (electron/<domain>/).
// The UI and the preload from the same build as this file (scripts/build.mjs).
const rendererRoot = builtFile('renderer');
const preloadPath = builtFile('preload/preload.cjs');
const HOME_URL = `${APP_ORIGIN}/index.html`;

tuneGarbageCollector();

protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

if (!app.requestSingleInstanceLock()) app.quit();
// mailmedic://finding/<id> opens (or focuses) the app on that finding.
app.setAsDefaultProtocolClient?.(DEEP_LINK_SCHEME);

let mainWindow: BrowserWindow | null = null;
// A link that arrived before the window existed (macOS open-url at launch, or argv of the first start).
let pendingUrl: string | null = deepLinkInArgv(process.argv);

function stateFile(): string {
  return path.join(app.getPath('userData'), 'window-state.json');
}

function createWindow() {
  const displays = screen?.getAllDisplays?.().map((d) => d.workArea) ?? [];
  const state = loadWindowState(stateFile(), displays);
  mainWindow = new BrowserWindow({ ...windowOptions(preloadPath), x: state.x, y: state.y, width: state.width, height: state.height });
  hardenWebContents(mainWindow.webContents);
  mainWindow.once('ready-to-show', () => {
    if (state.maximized) mainWindow?.maximize();
    mainWindow?.show();
  });
  mainWindow.on('close', () => {
    if (mainWindow) saveWindowState(stateFile(), stateOf(mainWindow));
  });
  mainWindow.on('closed', () => (mainWindow = null));
  void mainWindow.loadURL(pendingUrl ?? HOME_URL);
  pendingUrl = null;
}

/** Shows an app URL (from a deep link or the menu) in the window, bringing it to the front. */
function show(url: string) {
  if (!mainWindow) {
    pendingUrl = url;
    return;
  }
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.focus();
  void mainWindow.loadURL(url);
}

app.on('second-instance', (_event, argv) => {
  const link = deepLinkInArgv(argv);
  if (link) show(link);
  else if (mainWindow) {
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  }
});

app.on('open-url', (event, url) => {
  event.preventDefault();
  const target = deepLinkToAppUrl(url);
  if (target) show(target);
});

app.on('web-contents-created', (_e, contents) => hardenWebContents(contents));

void app.whenReady().then(() => {
  // Nothing the app does needs a permission (camera, notifications, …): deny them all.
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  protocol.handle('app', (request) => appProtocolResponse(rendererRoot, request.url));
  registerIpc(ipcMain, () => defaultContext(), { native: nativeMethods(dialog, shell), windowOf: (event) => BrowserWindow.fromWebContents?.(event.sender) ?? null });
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      menuTemplate(
        {
          show: (route) => show(`${HOME_URL}#/${route}`),
          quit: () => app.quit(),
          about: () => void dialog.showMessageBox({ type: 'info', title: 'About MailMedic', message: `MailMedic ${VERSION}`, detail: 'Finds out why your e-mail will not send, and fixes it safely.' }),
        },
        { mac: process.platform === 'darwin', dev: !app.isPackaged },
      ),
    ),
  );
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
