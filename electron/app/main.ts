import { app, BrowserWindow, ipcMain, protocol, session } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultContext } from '../engine/defaults.ts';
import { registerIpc } from './ipc.ts';
import { appProtocolResponse } from './protocol.ts';
import { APP_ORIGIN, hardenWebContents, windowOptions } from './window.ts';

// The Electron shell: window, protocol, IPC. All the work happens in the engine (electron/<domain>/).
const here = path.dirname(fileURLToPath(import.meta.url));
const rendererRoot = path.join(here, '../renderer');
const preloadPath = path.join(here, '../preload/preload.cjs');

protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

if (!app.requestSingleInstanceLock()) app.quit();

let mainWindow: BrowserWindow | null = null;

function createWindow() {
  mainWindow = new BrowserWindow(windowOptions(preloadPath));
  hardenWebContents(mainWindow.webContents);
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  void mainWindow.loadURL(`${APP_ORIGIN}/index.html`);
}

app.on('second-instance', () => {
  if (mainWindow?.isMinimized()) mainWindow.restore();
  mainWindow?.focus();
});

app.on('web-contents-created', (_e, contents) => hardenWebContents(contents));

void app.whenReady().then(() => {
  // Nothing the app does needs a permission (camera, notifications, …): deny them all.
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  protocol.handle('app', (request) => appProtocolResponse(rendererRoot, request.url));
  registerIpc(ipcMain, () => defaultContext());
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
