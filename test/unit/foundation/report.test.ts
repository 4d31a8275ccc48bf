import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildReport, exitCodeFor, sortFindings } from '../../../electron/report/build.ts';
import { finding } from '../../../electron/core/finding.ts';
import { reportJsonSchema } from '../../../electron/contract/report-schema.ts';
import { Report } from '../../../electron/contract/report.ts';
import { repoRoot } from '../../support/paths.ts';
import { reportValidator } from '../../support/report-schema.ts';

const validate = reportValidator();
const warn = finding({ id: 'x.warn', area: 'smtp', severity: 'warning', title: 'w', detail: '' });
const err = finding({ id: 'x.err', area: 'pst', severity: 'error', title: 'e', detail: '', evidence: { offset: 4096 } });
const info = finding({ id: 'x.info', area: 'general', severity: 'info', title: 'i', detail: '' });

describe('report model', () => {
  it('the committed JSON Schema is the one the zod model generates (run `npm run schema` after changing it)', () => {
    const committed = JSON.parse(readFileSync(path.join(repoRoot, 'electron/contract/report.schema.json'), 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(reportJsonSchema())));
  });

  it('a built report validates against the JSON Schema file and the zod model', () => {
    const report = buildReport('scan', new Date(), [info, warn, err]);
    expect(validate(report)).toEqual([]);
    expect(Report.parse(report)).toEqual(report);
    expect(report.schemaVersion).toBe(1);
    expect(report.tool.name).toBe('mailmedic');
  });

  it('the schema rejects what the contract forbids', () => {
    const report = buildReport('scan', new Date(), [info]);
    expect(validate({ ...report, schemaVersion: 2 })).not.toEqual([]);
    expect(validate({ ...report, findings: [{ ...info, severity: 'fatal' }] })).not.toEqual([]);
    const { evidence: _e, ...noEvidence } = info;
    expect(validate({ ...report, findings: [noEvidence] })).not.toEqual([]);
  });

  it('orders findings error → warning → info, keeping the engine order within a severity', () => {
    const w2 = { ...warn, id: 'x.warn2' };
    expect(sortFindings([info, warn, err, w2]).map((f) => f.id)).toEqual(['x.err', 'x.warn', 'x.warn2', 'x.info']);
  });

  it('exit code: 0 with only info findings, 1 with any warning or error', () => {
    expect(exitCodeFor(buildReport('scan', new Date(), []))).toBe(0);
    expect(exitCodeFor(buildReport('scan', new Date(), [info]))).toBe(0);
    expect(exitCodeFor(buildReport('scan', new Date(), [info, warn]))).toBe(1);
    expect(exitCodeFor(buildReport('scan', new Date(), [err]))).toBe(1);
  });
});
