import { expect } from 'vitest';
import { Report } from '../../electron/contract/report.ts';
import { reportValidator } from './report-schema.ts';

const validate = reportValidator();
const RANK = { error: 0, warning: 1, info: 2 } as const;

/**
 * The causes of a report tell one story per problem: valid against the contract and the committed JSON Schema, every
 * finding in exactly one cause (by position, since ids repeat across servers and files), fewer causes than findings
 * (unless `fewer: false`),
 * most serious first, and each cause's fixes taken from its own findings. Returns the causes.
 */
export function expectOneStory(json: unknown, opts: { fewer?: boolean } = {}): NonNullable<Report['causes']> {
  expect(validate(json)).toEqual([]);
  const report = Report.parse(json);
  const causes = report.causes;
  expect(causes, 'the report carries causes').toBeDefined();
  const seen = new Map<number, string>();
  for (const c of causes!) {
    expect(c.findings.length, c.id).toBe(c.findingIndexes.length);
    c.findingIndexes.forEach((at, k) => {
      expect(seen.has(at), `finding #${at} (${report.findings[at]?.id}) is in ${seen.get(at)} and in ${c.id}`).toBe(false);
      seen.set(at, c.id);
      expect(report.findings[at]?.id, `${c.id}: findings[${k}]`).toBe(c.findings[k]);
    });
    const own = new Set(c.findingIndexes.flatMap((at) => report.findings[at]!.fixes.map((f) => f.id)));
    for (const fix of c.fixes) expect(own.has(fix), `${c.id}: fix ${fix} comes from its findings`).toBe(true);
    const worst = Math.min(...c.findingIndexes.map((at) => RANK[report.findings[at]!.severity]));
    expect(RANK[c.severity], `${c.id}: severity is its most serious finding's`).toBe(worst);
  }
  expect([...seen.keys()].sort((a, b) => a - b), 'every finding is in a cause').toEqual(report.findings.map((_, i) => i));
  if (opts.fewer !== false) expect(causes!.length, 'fewer causes than findings').toBeLessThan(report.findings.length);
  const ranks = causes!.map((c) => RANK[c.severity]);
  expect(ranks, 'most serious first').toEqual([...ranks].sort((a, b) => a - b));
  return causes!;
}
