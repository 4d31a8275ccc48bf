// Token check timing: median 401 latency for wrong tokens that share 0, half or all-but-one characters with the
// real one. Constant-time comparison means the three medians differ by noise only.
import http from 'node:http';
import os from 'node:os';
import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import { startServer } from '../electron/server/http.ts';
import { defaultContext } from '../electron/engine/defaults.ts';
import { newToken } from '../electron/server/auth.ts';

const token = newToken();
const server = await startServer({
  ctx: defaultContext({ home: mkdtempSync(path.join(os.tmpdir(), 'mm-bench-')) }),
  token,
  staticDir: null,
  rateLimitPerMinute: 1_000_000,
});
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function once(candidate: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const req = http.request(`${server.url}/api/v1/explain`, { method: 'POST', agent, headers: { Authorization: `Bearer ${candidate}` } }, (res) => {
      res.resume();
      res.on('end', () => resolve(Number(process.hrtime.bigint() - t0) / 1000));
    });
    req.on('error', reject);
    req.end('{}');
  });
}

const flip = (s: string, from: number) => s.slice(0, from) + s.slice(from).replace(/./g, (c) => (c === 'A' ? 'B' : 'A'));
const cases = { 'no prefix': flip(token, 0), 'half prefix': flip(token, token.length / 2), 'all but last': flip(token, token.length - 1) };
const N = 2000;
const medians: Record<string, number> = {};
for (let round = 0; round < 2; round++) {
  for (const [name, cand] of Object.entries(cases)) {
    const times: number[] = [];
    for (let i = 0; i < N; i++) times.push(await once(cand));
    times.sort((a, b) => a - b);
    medians[name] = times[N / 2];
  }
}
console.log('401 latency, median of', N, 'requests (µs):');
for (const [name, m] of Object.entries(medians)) console.log(`  ${name.padEnd(14)} ${m.toFixed(1)}`);
const values = Object.values(medians);
console.log(`  spread: ${(Math.max(...values) - Math.min(...values)).toFixed(1)} µs`);
agent.destroy();
await server.close();
