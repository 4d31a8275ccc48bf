// SMTP probe benchmark: a 4-port diagnosis vs the slowest single port (concurrency check) vs swaks run port by
// port (what a person would do by hand; --helo/-f/-t given so swaks does not look up this machine's name).
// Peers are raw servers on 127.0.0.1 whose greetings are delayed like slow or distant servers. Run: npx tsx bench/smtp.ts
import { createServer, type AddressInfo, type Server } from 'node:net';
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { diagnoseSmtp } from '../electron/smtp/service.ts';

const run = promisify(execFile);
const DELAYS_MS = [40, 120, 250, 500];
const RUNS = 5;

function slowServer(delay: number): Promise<Server> {
  const s = createServer((sock) => {
    sock.on('error', () => undefined);
    const timer = setTimeout(() => sock.write('220 bench.loopback.test ESMTP\r\n'), delay);
    sock.on('close', () => clearTimeout(timer));
    sock.on('data', (d) => {
      for (const line of d.toString().split('\r\n').filter(Boolean)) {
        sock.write(line === 'QUIT' ? '221 bye\r\n' : line.startsWith('EHLO') ? '250-bench.loopback.test\r\n250 PIPELINING\r\n' : '250 ok\r\n');
      }
    });
  });
  return new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve(s)));
}

async function time(fn: () => Promise<unknown> | unknown): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const servers = await Promise.all(DELAYS_MS.map(slowServer));
const ports = servers.map((s) => (s.address() as AddressInfo).port);
const probe = (p: number[]) => diagnoseSmtp({ host: '127.0.0.1', ports: p, timeoutMs: 5000 });

await probe(ports); // warm-up (module load, JIT)
const all: number[] = [];
const single: number[][] = ports.map(() => []);
for (let i = 0; i < RUNS; i++) {
  all.push(await time(() => probe(ports)));
  for (const [j, p] of ports.entries()) single[j]!.push(await time(() => probe([p])));
}
const singles = single.map(median);

const hasSwaks = spawnSync('swaks', ['--version'], { encoding: 'utf8' }).status === 0;
const swaks: number[] = [];
if (hasSwaks) {
  for (let i = 0; i < RUNS; i++) {
    swaks.push(await time(async () => {
      // async exec: the peers live in this process and must keep answering while swaks runs
      for (const p of ports) {
        await run('swaks', ['--server', '127.0.0.1', '--port', String(p), '--quit-after', 'EHLO', '--timeout', '5',
          '--helo', 'bench.loopback.test', '-f', 'a@bench.test', '-t', 'b@bench.test']);
      }
    }));
  }
}

const rows: Array<[string, number]> = [
  ['mailmedic, 4 ports at once', median(all)],
  ['mailmedic, slowest single port', Math.max(...singles)],
  ['mailmedic, 4 ports one by one (sum)', singles.reduce((a, b) => a + b, 0)],
];
if (hasSwaks) rows.push(['swaks, 4 ports one by one', median(swaks)]);
console.log(`greeting delays ${DELAYS_MS.join('/')} ms, median of ${RUNS} runs, ${process.version}`);
console.log(`${'what'.padEnd(40)}${'ms'.padStart(10)}`);
for (const [what, ms] of rows) console.log(`${what.padEnd(40)}${ms.toFixed(1).padStart(10)}`);
if (!hasSwaks) console.log('(swaks not installed: its row is left out)');
console.log(`overhead of 4 ports vs slowest single: ${(median(all) - Math.max(...singles)).toFixed(1)} ms`);
await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
