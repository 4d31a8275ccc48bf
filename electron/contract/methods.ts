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
  'fixHistory',
  'pickPaths',
  'revealPath',
  'cancel',
  'pstExport',
  'pstRepair',
] as const;
export type MethodName = (typeof METHOD_NAMES)[number];

/** IPC channel of a method; the preload and the main process both derive it from here. */
export const channelOf = (m: MethodName) => `mailmedic:${m}` as const;
export const PROGRESS_CHANNEL = 'mailmedic:progress';
