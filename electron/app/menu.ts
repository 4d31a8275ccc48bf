import type { MenuItemConstructorOptions } from 'electron';

// The application menu as data (testable without Electron): screens on Ctrl/Cmd+1…7, the usual edit and
// window roles (so copy/paste and zoom work for keyboard users), and no developer tools in a packaged app.

export interface MenuActions {
  show(route: string): void;
  quit(): void;
  about(): void;
}

const SCREENS: [string, string][] = [
  ['Overview', 'overview'],
  ['Sending', 'sending'],
  ['Accounts', 'accounts'],
  ['Network', 'network'],
  ['PST files', 'pst'],
  ['Explain an error', 'explain'],
  ['Fixes', 'fixes'],
];

export function menuTemplate(actions: MenuActions, opts: { mac: boolean; dev: boolean }): MenuItemConstructorOptions[] {
  const go: MenuItemConstructorOptions[] = SCREENS.map(([label, route], i) => ({
    label,
    accelerator: `CmdOrCtrl+${i + 1}`,
    click: () => actions.show(route),
  }));
  const view: MenuItemConstructorOptions[] = [
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
    ...(opts.dev ? ([{ type: 'separator' }, { role: 'reload' }, { role: 'toggleDevTools' }] as MenuItemConstructorOptions[]) : []),
  ];
  return [
    ...(opts.mac ? [{ label: 'MailMedic', submenu: [{ label: 'About MailMedic', click: actions.about }, { type: 'separator' }, { role: 'hide' }, { role: 'quit' }] } as MenuItemConstructorOptions] : []),
    {
      label: '&File',
      submenu: [opts.mac ? { role: 'close' } : { label: 'Quit', accelerator: 'Ctrl+Q', click: actions.quit }],
    },
    { label: '&Edit', submenu: [{ role: 'undo' }, { role: 'redo' }, { type: 'separator' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }] },
    { label: '&Go', submenu: go },
    { label: '&View', submenu: view },
    { label: '&Window', submenu: [{ role: 'minimize' }, { role: 'close' }] },
    ...(opts.mac ? [] : [{ label: '&Help', submenu: [{ label: 'About MailMedic', click: actions.about }] } as MenuItemConstructorOptions]),
  ];
}
