import type { BrowserWindow, Dialog, OpenDialogOptions, SaveDialogOptions, Shell } from 'electron';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { RequestOf, ResponseOf } from '../contract/api.ts';

// The desktop-only methods of the contract: native open and save dialogs and "show in folder". The engine refuses
// them (the browser face types paths instead); ipc.ts routes them here. Electron parts are injected.

export interface NativeMethods {
  pickPaths(req: RequestOf<'pickPaths'>, win: BrowserWindow | null): Promise<ResponseOf<'pickPaths'>>;
  revealPath(req: RequestOf<'revealPath'>): Promise<ResponseOf<'revealPath'>>;
}

const MAX_PICKED = 1000;
const DATA_FILES = [{ name: 'Outlook data files', extensions: ['pst', 'ost'] }, { name: 'All files', extensions: ['*'] }];

type Req = RequestOf<'pickPaths'>;

function openOptions(req: Req): OpenDialogOptions {
  const folder = req.kind === 'folder';
  return {
    title: req.title ?? (folder ? 'Choose a folder' : 'Choose Outlook data files'),
    defaultPath: req.defaultPath,
    properties: folder ? ['openDirectory', 'createDirectory'] : ['openFile', 'multiSelections'],
    filters: folder ? undefined : (req.filters ?? DATA_FILES),
  };
}

function saveOptions(req: Req): SaveDialogOptions {
  // The dialog itself asks before an existing file is chosen; the engine still refuses to replace it unless asked.
  return { title: req.title ?? 'Save as', defaultPath: req.defaultPath, filters: req.filters, properties: ['createDirectory', 'showOverwriteConfirmation'] };
}

export function nativeMethods(dialog: Pick<Dialog, 'showOpenDialog' | 'showSaveDialog'>, shell: Pick<Shell, 'showItemInFolder'>): NativeMethods {
  return {
    async pickPaths(req, win) {
      if (req.kind === 'save') {
        const options = saveOptions(req);
        const r = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
        return { paths: r.canceled || !r.filePath ? [] : [r.filePath] };
      }
      const options = openOptions(req);
      const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
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
