import fs from 'node:fs/promises';
import path from 'node:path';
import type { EngineContext } from '../core/context.ts';
import { finding, type Finding } from '../core/finding.ts';
import type { Account } from './schema.ts';

/** ANSI (97-2002) PSTs stop working at 2 GB; warn from 1.8 GB on. */
export const ANSI_LIMIT = 2 * 1024 ** 3;
export const ANSI_WARN = 1.8 * 1024 ** 3;

/** Pure: the PST header's wVer (offset 10) → format; 14/15 ANSI, 23+ Unicode ([MS-PST] 2.2.2.6 HEADER). */
export function pstFormat(header: Buffer): 'ansi' | 'unicode' | 'unknown' {
  if (header.length < 12 || header.toString('latin1', 0, 4) !== '!BDN') return 'unknown';
  const ver = header.readUInt16LE(10);
  return ver === 14 || ver === 15 ? 'ansi' : ver >= 23 ? 'unicode' : 'unknown';
}

export function isNetworkPath(p: string): boolean {
  return /^(\\\\|\/\/)[^\\/]+[\\/]/.test(p);
}

/**
 * Outlook paths are Windows paths (`C:\Users\jane\...`). Under `--home` on another OS, map the part after the
 * user's folder onto the home, so a mounted disk's files are found; null when it cannot be mapped.
 */
export function resolveUnderHome(p: string, ctx: EngineContext, hostPlatform: NodeJS.Platform = process.platform): string | null {
  if (hostPlatform === 'win32' || path.isAbsolute(p)) return p;
  const m = /^[A-Za-z]:\\Users\\[^\\]+\\(.+)$/i.exec(p);
  return m ? path.join(ctx.home, ...m[1]!.split('\\')) : null;
}

/** PST/OST data files: missing, on a network share, ANSI near its 2 GB limit. */
export async function checkDataFiles(accounts: Account[], ctx: EngineContext): Promise<Finding[]> {
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const a of accounts) {
    for (const file of a.dataFiles.slice(0, 100)) {
      if (!/\.(pst|ost)$/i.test(file) || seen.has(file)) continue;
      seen.add(file);
      const evidence: Record<string, unknown> = { account: a.id, path: file };
      if (isNetworkPath(file)) {
        out.push(finding({
          id: 'accounts.datafile.network-share', area: 'accounts', severity: 'warning',
          title: `${path.win32.basename(file)} is on a network share`,
          detail: 'Microsoft does not support PST/OST files on network shares: a dropped connection corrupts them and Outlook hangs while the share is slow.',
          evidence,
        }));
        continue;
      }
      const local = resolveUnderHome(file, ctx);
      if (!local) continue;
      evidence.resolved = local;
      let st;
      try {
        st = await fs.stat(local);
      } catch {
        out.push(finding({
          id: 'accounts.datafile.missing', area: 'accounts', severity: 'error',
          title: `${path.win32.basename(file)} does not exist`,
          detail: 'The profile points to a data file that is not there: Outlook shows "cannot open the set of folders" or creates an empty file.',
          evidence,
        }));
        continue;
      }
      evidence.size = st.size;
      if (/\.pst$/i.test(file) && st.size >= ANSI_WARN) {
        const fh = await fs.open(local, 'r');
        const header = Buffer.alloc(16);
        try {
          await fh.read(header, 0, 16, 0);
        } finally {
          await fh.close();
        }
        if (pstFormat(header) === 'ansi') {
          out.push(finding({
            id: 'accounts.datafile.ansi-near-limit', area: 'accounts', severity: st.size >= ANSI_LIMIT ? 'error' : 'warning',
            title: `${path.win32.basename(file)} is an old-format (ANSI) PST of ${(st.size / 1024 ** 3).toFixed(2)} GB`,
            detail: 'ANSI PSTs stop working at 2 GB. Create a new Unicode PST and move the mail into it (or archive old mail).',
            evidence: { ...evidence, format: 'ansi' },
          }));
        }
      }
    }
  }
  return out;
}
