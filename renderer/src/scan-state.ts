import type { Report } from '../../electron/contract/report.ts';
import type { CallState } from './api/use-call.ts';

/** The last "Check my mail": shared by every screen (Sending, Accounts, Network read their parts of it). */
export type ScanState = CallState<'scan'>;

export const lastReport = (s: ScanState): Report | null => (s.kind === 'done' ? s.result : null);

/** The more recent of two reports (a screen's own re-read vs. the last full check), so neither goes stale. */
export function newer(a: Report | null, b: Report | null): Report | null {
  if (!a || !b) return a ?? b;
  return Date.parse(a.startedAt) >= Date.parse(b.startedAt) ? a : b;
}
