import type { MigrationVerdict } from '../../pst/migration/schema.ts';
import type { PstFileResult } from '../../pst/schema.ts';

// `report merge` over readiness scans: files and bytes per verdict, per host, and the files that exist on more than
// one host (same SHA-256), which should be imported once. Pure.

type Tally = Record<MigrationVerdict, { files: number; bytes: number }>;

export interface FleetMigration {
  /** Hosts whose reports hold a readiness scan. */
  hosts: number;
  byVerdict: Tally;
  perHost: { hostname: string; source: string; byVerdict: Tally }[];
  /** Content found on two or more hosts, largest first. */
  duplicatesAcrossHosts: { sha256: string; bytes: number; copies: { hostname: string; path: string }[] }[];
}

const tally = (): Tally => ({ ready: { files: 0, bytes: 0 }, 'needs-attention': { files: 0, bytes: 0 }, blocked: { files: 0, bytes: 0 } });

export function rollUpMigration(reports: { hostname: string; source: string; files: PstFileResult[] }[]): FleetMigration {
  const byVerdict = tally();
  const perHost: FleetMigration['perHost'] = [];
  const byHash = new Map<string, { bytes: number; copies: { hostname: string; path: string; host: string }[] }>();
  for (const r of reports) {
    const mine = tally();
    const host = `${r.hostname}\0${r.source}`;
    for (const f of r.files) {
      const v = f.migration!.verdict;
      for (const t of [mine, byVerdict]) {
        t[v].files++;
        t[v].bytes += f.bytes;
      }
      if (!f.sha256) continue;
      const e = byHash.get(f.sha256) ?? { bytes: f.bytes, copies: [] };
      e.copies.push({ hostname: r.hostname, path: f.path, host });
      byHash.set(f.sha256, e);
    }
    perHost.push({ hostname: r.hostname, source: r.source, byVerdict: mine });
  }
  const duplicatesAcrossHosts = [...byHash]
    .filter(([, e]) => new Set(e.copies.map((c) => c.host)).size > 1)
    .map(([sha256, e]) => ({ sha256, bytes: e.bytes, copies: e.copies.map(({ hostname, path }) => ({ hostname, path })) }))
    .sort((a, b) => b.bytes - a.bytes || a.sha256.localeCompare(b.sha256));
  return { hosts: reports.length, byVerdict, perHost: perHost.sort((a, b) => a.hostname.localeCompare(b.hostname)), duplicatesAcrossHosts };
}
