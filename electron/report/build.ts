import os from 'node:os';
import { SCHEMA_VERSION, type ReportEnvelope } from './envelope.ts';
import type { Finding } from '../core/finding.ts';
import { VERSION } from '../core/version.ts';

/** Wraps what a command found into the versioned report envelope. */
export function buildReport<S extends object = object>(command: string, startedAt: Date, findings: Finding[], sections: S = {} as S): ReportEnvelope & S {
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'mailmedic', version: VERSION },
    command,
    host: { platform: process.platform, release: os.release(), hostname: os.hostname() },
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    findings: sortFindings(findings),
    ...sections,
  };
}

const RANK = { error: 0, warning: 1, info: 2 } as const;

/** Most serious first; stable otherwise, so the order the engine found them in is kept. */
export function sortFindings(findings: Finding[]): Finding[] {
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => RANK[a.f.severity] - RANK[b.f.severity] || a.i - b.i)
    .map(({ f }) => f);
}

/** The CLI's exit code contract: 0 = nothing wrong, 1 = at least one warning or error. (2 = could not run.) */
export function exitCodeFor(report: Pick<ReportEnvelope, 'findings'>): 0 | 1 {
  return report.findings.some((f) => f.severity !== 'info') ? 1 : 0;
}
