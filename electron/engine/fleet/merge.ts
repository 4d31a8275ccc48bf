import { z } from 'zod';
import { Report } from '../../contract/report.ts';
import type { Finding } from '../../core/finding.ts';
import { rollUpMigration, type FleetMigration } from '../migration/fleet.ts';

// `mailmedic report merge`: many hosts' scan reports → one fleet summary for IT. Pure: reports in, summary out.

export const FLEET_SCHEMA_VERSION = 1 as const;
export type Verdict = 'ok' | 'problems' | 'incomplete';

export interface HostRow {
  source: string;
  hostname: string;
  platform: string;
  command: string;
  startedAt: string;
  verdict: Verdict;
  errors: number;
  warnings: number;
  port25Blocked: boolean;
  pstFiles: number;
  damagedPsts: number;
  salvageableMessages: number;
  topFinding: string | null;
  /** Readiness scans (`pst scan --migration`): files per verdict; null when the report has none. */
  migrationReady: number | null;
  migrationNeedsAttention: number | null;
  migrationBlocked: number | null;
}

export interface FleetSummary {
  schemaVersion: typeof FLEET_SCHEMA_VERSION;
  kind: 'mailmedic-fleet-summary';
  generatedAt: string;
  hosts: HostRow[];
  totals: {
    hosts: number;
    byVerdict: Record<Verdict, number>;
    hostsWithPort25Blocked: string[];
    pst: {
      files: number;
      damaged: number;
      unreadable: number;
      bytes: number;
      messages: number;
      salvageableMessages: number;
      salvageableBytes: number;
      nearAnsiLimit: number;
      ost: number;
      passwordProtected: number;
    };
    /** Readiness scans across hosts: per verdict, per host, and the same file (content hash) on several hosts. */
    migration: FleetMigration;
  };
  /** Finding ids across the fleet, most common first. */
  commonFindings: { id: string; title: string; severity: Finding['severity']; hosts: number }[];
  /** Inputs that were not MailMedic reports (or not this schema version). */
  invalid: { source: string; error: string }[];
}

const ANSI_LIMIT = 2 * 1024 ** 3;
const BLOCKED = new Set(['timeout', 'unreachable']);
const VERDICT_ORDER: Record<Verdict, number> = { problems: 0, incomplete: 1, ok: 2 };

export function mergeReports(inputs: { source: string; json: unknown }[], now = new Date()): FleetSummary {
  const hosts: HostRow[] = [];
  const invalid: FleetSummary['invalid'] = [];
  const findingHosts = new Map<string, { title: string; severity: Finding['severity']; hosts: Set<string> }>();
  const readiness: { hostname: string; source: string; files: NonNullable<Report['pst']>['files'] }[] = [];
  const pst = { files: 0, damaged: 0, unreadable: 0, bytes: 0, messages: 0, salvageableMessages: 0, salvageableBytes: 0, nearAnsiLimit: 0, ost: 0, passwordProtected: 0 };

  for (const { source, json } of inputs) {
    const parsed = Report.safeParse(json);
    if (!parsed.success) {
      invalid.push({ source, error: z.prettifyError(parsed.error).split('\n').slice(0, 3).join(' ') });
      continue;
    }
    const r = parsed.data;
    const hostKey = `${r.host.hostname} (${source})`;
    const errors = r.findings.filter((f) => f.severity === 'error').length;
    const warnings = r.findings.filter((f) => f.severity === 'warning').length;
    const notChecked = r.findings.some((f) => f.id.endsWith('.not-checked'));
    const smtp = [...(r.smtp ? [r.smtp] : []), ...(r.smtpHosts ?? [])];
    const port25Blocked = smtp.some((s) => s.ports.some((p) => p.port === 25 && BLOCKED.has(p.outcome)));
    const files = r.pst?.files ?? [];
    let salvageable = 0;
    for (const f of files) {
      pst.files++;
      pst.bytes += f.bytes;
      pst.messages += f.counts.messages;
      if (f.status === 'damaged') pst.damaged++;
      if (f.status === 'unreadable') pst.unreadable++;
      if (f.status !== 'unreadable') {
        const readable = Math.max(0, f.counts.messages - f.counts.damagedItems);
        salvageable += readable;
        pst.salvageableBytes += f.bytes;
      }
      if (f.format === 'ansi' && f.bytes >= ANSI_LIMIT * 0.9) pst.nearAnsiLimit++;
      if (f.kind === 'ost') pst.ost++;
      if (f.passwordProtected) pst.passwordProtected++;
    }
    pst.salvageableMessages += salvageable;
    const assessed = files.filter((f) => f.migration);
    if (assessed.length > 0) readiness.push({ hostname: r.host.hostname, source, files: assessed });
    const count = (v: string) => (assessed.length > 0 ? assessed.filter((f) => f.migration!.verdict === v).length : null);
    for (const f of r.findings) {
      const entry = findingHosts.get(f.id) ?? { title: f.title, severity: f.severity, hosts: new Set<string>() };
      entry.hosts.add(hostKey);
      findingHosts.set(f.id, entry);
    }
    hosts.push({
      source,
      hostname: r.host.hostname,
      platform: r.host.platform,
      command: r.command,
      startedAt: r.startedAt,
      verdict: errors + warnings > 0 ? 'problems' : notChecked ? 'incomplete' : 'ok',
      errors,
      warnings,
      port25Blocked,
      pstFiles: files.length,
      damagedPsts: files.filter((f) => f.status !== 'ok').length,
      salvageableMessages: salvageable,
      topFinding: r.findings.find((f) => f.severity !== 'info')?.title ?? null,
      migrationReady: count('ready'),
      migrationNeedsAttention: count('needs-attention'),
      migrationBlocked: count('blocked'),
    });
  }
  const byVerdict: Record<Verdict, number> = { ok: 0, problems: 0, incomplete: 0 };
  for (const h of hosts) byVerdict[h.verdict]++;
  const rank = { error: 0, warning: 1, info: 2 };
  return {
    schemaVersion: FLEET_SCHEMA_VERSION,
    kind: 'mailmedic-fleet-summary',
    generatedAt: now.toISOString(),
    hosts: hosts.sort((a, b) => VERDICT_ORDER[a.verdict] - VERDICT_ORDER[b.verdict] || a.hostname.localeCompare(b.hostname)),
    totals: {
      hosts: hosts.length,
      byVerdict,
      hostsWithPort25Blocked: hosts.filter((h) => h.port25Blocked).map((h) => h.hostname),
      pst,
      migration: rollUpMigration(readiness),
    },
    commonFindings: [...findingHosts.entries()]
      .map(([id, e]) => ({ id, title: e.title, severity: e.severity, hosts: e.hosts.size }))
      .sort((a, b) => b.hosts - a.hosts || rank[a.severity] - rank[b.severity] || a.id.localeCompare(b.id)),
    invalid,
  };
}
