import type { RepairOutput } from './run.ts';

// Outlook 2010 and later stop adding data to a Unicode PST at 47.5 GB (WarnLargeFileSize, 48,640 MB) and let the
// file grow no further than 50 GB (MaxLargeFileSize, 51,200 MB), unless those registry values were raised (Microsoft
// KB 832925, "How to configure the size limit for both (.pst) and (.ost) files in Outlook"). A repaired store that
// large still opens, but Outlook refuses new mail in it; the note says so, and how to write smaller parts.

const MiB = 1024 ** 2;
/** WarnLargeFileSize's default: the most data Outlook lets a Unicode PST hold. */
export const OUTLOOK_DATA_LIMIT_BYTES = 48_640 * MiB;

const gb = (n: number) => `${(n / 1024 ** 3).toFixed(1)} GB`;

/** The note for outputs over Outlook's default data limit, or null when every output is within it. */
export function outlookSizeNote(outputs: Pick<RepairOutput, 'path' | 'bytes'>[], split: boolean): string | null {
  const big = outputs.filter((o) => o.bytes > OUTLOOK_DATA_LIMIT_BYTES);
  if (big.length === 0) return null;
  const which = big.map((o) => `${o.path} (${gb(o.bytes)})`).join(', ');
  const smaller = split ? 'a smaller --split-gb' : '--split-gb 20 (parts of at most 20 GB, also what a Microsoft 365 import recommends)';
  return `${which} ${big.length === 1 ? 'is' : 'are'} over 47.5 GB, the most data Outlook 2010 and later let a PST hold by default (WarnLargeFileSize, Microsoft KB 832925): Outlook opens ${big.length === 1 ? 'it' : 'them'}, but adds no new items until that limit is raised. Repair again with ${smaller} to get parts Outlook can keep using`;
}
