import { z } from 'zod';
import { Report } from './report.ts';

/** The report's JSON Schema, derived from the zod model so the two can never drift apart. */
export function reportJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(Report, { target: 'draft-2020-12', io: 'output' }) as Record<string, unknown>;
  return {
    $id: 'https://mailmedic.invalid/schema/report-v1.json',
    title: 'MailMedic report (schemaVersion 1)',
    description:
      'One document per command run (`mailmedic <command> --json`, every API call returning a report). ' +
      'Fields are only ever added within a schemaVersion; a breaking change bumps it.',
    ...schema,
  };
}
