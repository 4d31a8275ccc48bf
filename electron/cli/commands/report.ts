import { readFile, writeFile } from 'node:fs/promises';
import { ApiError } from '../../core/errors.ts';
import { mergeReports, type FleetSummary } from '../../engine/fleet/merge.ts';
import { fleetToCsv, fleetToHtml } from '../../engine/fleet/export.ts';
import type { Cli } from '../command.ts';

const MAX_REPORT_BYTES = 64 * 1024 * 1024;

/** `mailmedic report merge REPORT…`: the fleet view of many hosts' `scan --json --out` files. */
export async function merge(cli: Cli, files: string[], o: { csv?: string; html?: string; json?: boolean }): Promise<void> {
  const inputs = await Promise.all(
    files.map(async (source) => {
      try {
        const text = await readFile(source, 'utf8');
        if (text.length > MAX_REPORT_BYTES) return { source, json: null };
        return { source, json: JSON.parse(text) as unknown };
      } catch (e) {
        return { source, json: { unreadable: (e as Error).message } };
      }
    }),
  );
  const summary = mergeReports(inputs);
  if (summary.hosts.length === 0) throw new ApiError('bad-request', `no valid MailMedic report among ${files.length} file(s)`);
  if (o.csv) await writeFile(o.csv, fleetToCsv(summary));
  if (o.html) await writeFile(o.html, fleetToHtml(summary));
  cli.io.stdout(o.json ? JSON.stringify(summary, null, 2) + '\n' : formatFleet(summary));
  for (const bad of summary.invalid) cli.io.stderr(`mailmedic: skipped ${bad.source}: ${bad.error}\n`);
  cli.exit(summary.totals.byVerdict.problems > 0 ? 1 : 0);
}

function formatFleet(s: FleetSummary): string {
  const t = s.totals;
  const lines = [
    `Fleet: ${t.hosts} hosts — ${t.byVerdict.ok} ok, ${t.byVerdict.problems} with problems, ${t.byVerdict.incomplete} incomplete.`,
    `Port 25 blocked on: ${t.hostsWithPort25Blocked.join(', ') || 'none'}`,
    `PST/OST: ${t.pst.files} files, ${t.pst.damaged} damaged, ${t.pst.unreadable} unreadable; salvageable ${t.pst.salvageableMessages}/${t.pst.messages} messages.`,
    ...migrationLines(t.migration),
    '',
    'Hosts:',
    ...s.hosts.map((h) => `  ${h.verdict.padEnd(10)} ${h.hostname.padEnd(24)} ${h.topFinding ?? ''}`),
    '',
    'Most common problems:',
    ...s.commonFindings.filter((f) => f.severity !== 'info').slice(0, 10).map((f) => `  ${String(f.hosts).padStart(4)} × ${f.title}  [${f.id}]`),
  ];
  return lines.join('\n') + '\n';
}

function migrationLines(m: FleetSummary['totals']['migration']): string[] {
  if (m.hosts === 0) return [];
  const c = (t: { files: number; bytes: number }) => `${t.files} (${(t.bytes / 1024 ** 3).toFixed(2)} GB)`;
  return [
    `Microsoft 365 import readiness on ${m.hosts} host(s): ${c(m.byVerdict.ready)} ready, ${c(m.byVerdict['needs-attention'])} need attention, ${c(m.byVerdict.blocked)} blocked; ${m.duplicatesAcrossHosts.length} file(s) on several hosts.`,
  ];
}
