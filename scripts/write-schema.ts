// Regenerates electron/contract/report.schema.json from the zod model (a test fails when it is stale).
import { writeFileSync } from 'node:fs';
import { reportJsonSchema } from '../electron/contract/report-schema.ts';

const file = new URL('../electron/contract/report.schema.json', import.meta.url);
writeFileSync(file, JSON.stringify(reportJsonSchema(), null, 2) + '\n');
console.log(`wrote ${file.pathname}`);
