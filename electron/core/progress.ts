/** Progress of long work (PST scans, probes), shown as a bar on a TTY and in the UI. */
export interface Progress {
  phase: string;
  done: number;
  total: number | null;
  unit: 'bytes' | 'items' | 'steps';
  detail?: string;
}
