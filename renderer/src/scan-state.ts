import type { Progress } from '../../electron/contract/api.ts';
import type { Report } from '../../electron/report/model.ts';

/** The last "Check my mail": shared by every screen (Sending, Accounts, Network read their parts of it). */
export type ScanState =
  | { kind: 'idle' }
  | { kind: 'running'; progress: Progress | null }
  | { kind: 'done'; report: Report }
  | { kind: 'error'; message: string };

export const lastReport = (s: ScanState): Report | null => (s.kind === 'done' ? s.report : null);
