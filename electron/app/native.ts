import type { BrowserWindow, Dialog, Shell } from 'electron';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { RequestOf, ResponseOf } from '../contract/api.ts';

// The desktop-only methods of the contract: native open dialogs and "show in folder". The engine refuses
// them (the browser face types paths instead); ipc.ts routes them here. Electron parts are injected.

export interface NativeMethods {
  pickPaths(req: RequestOf<'pickPaths'>, win: BrowserWindow | null): Promise<ResponseOf<'pickPaths'>>;
  revealPath(req: RequestOf<'revealPath'>): Promise<ResponseOf<'revealPath'>>;
}

const MAX_PICKED = 1000;

export function nativeMethods(dialog: Pick<Dialog, 'showOpenDialog'>, shell: Pick<Shell, 'showItemInFolder'>): NativeMethods {
  return {
    async pickPaths(req, win) {
      const options = {
        title: req.title ?? (req.kind === 'folder' ? 'Choose a folder' : 'Choose Outlook data files'),
        properties: req.kind === 'folder' ? (['openDirectory', 'createDirectory'] as const) : (['openFile', 'multiSelections'] as const),
        filters: req.kind === 'folder' ? undefined : [{ name: 'Outlook data files', extensions: ['pst', 'ost'] }, { name: 'All files', extensions: ['*'] }],
      };
      const r = win ? await dialog.showOpenDialog(win, { ...options, properties: [...options.properties] }) : await dialog.showOpenDialog({ ...options, properties: [...options.properties] });
      return { paths: r.canceled ? [] : r.filePaths.slice(0, MAX_PICKED) };
    },
    async revealPath(req) {
      // Only absolute paths that exist: the page cannot make the file manager open arbitrary things.
      if (!path.isAbsolute(req.path) || !existsSync(req.path)) return { shown: false };
      shell.showItemInFolder(path.normalize(req.path));
      return { shown: true };
    },
  };
}
