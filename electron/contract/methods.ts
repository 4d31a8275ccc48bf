// The method names alone, dependency-free, for the preload (which must stay tiny) and the renderer bridge.
export const METHOD_NAMES = [
  'health',
  'scan',
  'smtp',
  'explain',
  'accounts',
  'network',
  'pstScan',
  'pstSalvage',
  'fixList',
  'fixPreview',
  'fixApply',
  'undo',
  // Added for the UI (issue 8): the fix history, and the desktop app's native pickers / reveal in folder.
  'fixHistory',
  'pickPaths',
  'revealPath',
  'cancel',
  'pstExport',
] as const;
export type MethodName = (typeof METHOD_NAMES)[number];

/** Methods only the desktop app can answer (native dialogs, the file manager); the other faces refuse them. */
export const APP_ONLY_METHODS: readonly MethodName[] = ['pickPaths', 'revealPath', 'cancel'];

/** IPC channel of a method; the preload and the main process both derive it from here. */
export const channelOf = (m: MethodName) => `mailmedic:${m}` as const;
export const PROGRESS_CHANNEL = 'mailmedic:progress';
