import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { nativeMethods } from '../../../electron/app/native.ts';
import { defaultContext } from '../../../electron/engine/defaults.ts';
import { startServer, type RunningServer } from '../../../electron/server/http.ts';
import { ApiCallError, clientOverIpc, createAgentClient } from '../../../renderer/src/api/bridge.ts';
import { fakeIpc } from '../../support/ipc.ts';

// The desktop app's dialogs end to end without Electron: the renderer bridge → the real registerIpc → the real
// nativeMethods, with Electron's dialog module replaced by one that records its options and answers as told.
// Over HTTP (and so in the browser) the same requests are not available.
const TOKEN = 'native-dialogs-token-0123456789abcdefghij';
const home = mkdtempSync(path.join(os.tmpdir(), 'mm-dialogs-home-'));
const ctx = () => defaultContext({ home, dataDir: mkdtempSync(path.join(os.tmpdir(), 'mm-dialogs-data-')) });

type Answer = { canceled: boolean; filePath?: string; filePaths?: string[] };
function fakeDialog(answers: Answer[]) {
  const shown: { dialog: 'open' | 'save'; options: unknown }[] = [];
  const next = () => answers.shift() ?? { canceled: true };
  return {
    shown,
    dialog: {
      showOpenDialog: async (options: unknown) => (shown.push({ dialog: 'open', options }), { filePaths: [], ...next() }),
      showSaveDialog: async (options: unknown) => (shown.push({ dialog: 'save', options }), next()),
    },
  };
}

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ ctx: ctx(), token: TOKEN, staticDir: null });
});
afterAll(() => server.close());

describe('pickPaths kind save', () => {
  it('desktop: a native save dialog at defaultPath with the given file types; the chosen path comes back, cancel gives none', async () => {
    const target = '/home/sam/Rescued/old-fixed.pst';
    const { dialog, shown } = fakeDialog([{ canceled: false, filePath: target }, { canceled: true, filePath: '' }]);
    const ipc = clientOverIpc(fakeIpc(ctx, { native: nativeMethods(dialog as never, { showItemInFolder: () => {} }) }).page(1).preload);
    const request = { kind: 'save' as const, title: 'Save the repaired file as…', defaultPath: '/data/mail/old-repaired.pst', filters: [{ name: 'Outlook data file', extensions: ['pst'] }] };
    await expect(ipc.pickPaths(request)).resolves.toEqual({ paths: [target] });
    await expect(ipc.pickPaths({ kind: 'save' })).resolves.toEqual({ paths: [] });
    expect(shown).toEqual([
      {
        dialog: 'save',
        options: {
          title: 'Save the repaired file as…',
          defaultPath: '/data/mail/old-repaired.pst',
          filters: [{ name: 'Outlook data file', extensions: ['pst'] }],
          properties: ['createDirectory', 'showOverwriteConfirmation'],
        },
      },
      { dialog: 'save', options: expect.objectContaining({ title: 'Save as', defaultPath: undefined, filters: undefined }) },
    ]);
  });

  it('desktop: the open dialogs are unchanged, and start at defaultPath when given', async () => {
    const { dialog, shown } = fakeDialog([{ canceled: false, filePaths: ['/data/a.pst'] }, { canceled: false, filePaths: ['/data'] }]);
    const ipc = clientOverIpc(fakeIpc(ctx, { native: nativeMethods(dialog as never, { showItemInFolder: () => {} }) }).page(1).preload);
    await expect(ipc.pickPaths({ kind: 'files', defaultPath: '/data' })).resolves.toEqual({ paths: ['/data/a.pst'] });
    await expect(ipc.pickPaths({ kind: 'folder' })).resolves.toEqual({ paths: ['/data'] });
    expect(shown.map((s) => s.dialog)).toEqual(['open', 'open']);
    expect(shown[0]!.options).toMatchObject({ defaultPath: '/data', properties: ['openFile', 'multiSelections'], filters: [{ extensions: ['pst', 'ost'] }, { extensions: ['*'] }] });
    expect(shown[1]!.options).toMatchObject({ properties: ['openDirectory', 'createDirectory'], filters: undefined });
  });

  it('a bad save request is refused before any dialog opens', async () => {
    const { dialog, shown } = fakeDialog([]);
    const page = fakeIpc(ctx, { native: nativeMethods(dialog as never, { showItemInFolder: () => {} }) }).page(1);
    for (const bad of [{ kind: 'save', filters: [{ name: 'x', extensions: ['.pst'] }] }, { kind: 'save', defaultPath: 'x'.repeat(5000) }, { kind: 'disk' }]) {
      expect(await page.invoke('pickPaths', bad)).toEqual({ error: { kind: 'bad-request', message: 'invalid pickPaths request' } });
    }
    expect(shown).toEqual([]);
  });

  it('over HTTP and over IPC without the native shell: not available', async () => {
    const request = { kind: 'save', defaultPath: path.join(home, 'x.pst') } as const;
    const failure = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e);
    const viaHttp = await failure(createAgentClient(server.url, TOKEN).pickPaths(request));
    expect(viaHttp).toBeInstanceOf(ApiCallError);
    expect(viaHttp).toMatchObject({ kind: 'not-available' });
    const raw = await fetch(`${server.url}/api/v1/pickPaths`, { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}` }, body: JSON.stringify(request) });
    expect(raw.status).toBe(501);
    const viaIpc = await failure(clientOverIpc(fakeIpc(ctx).page(1).preload).pickPaths(request));
    expect(viaIpc).toMatchObject({ kind: 'not-available', message: expect.stringMatching(/only in the desktop app/) });
  });
});
