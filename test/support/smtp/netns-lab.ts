import { createServer } from 'node:net';
import { diagnoseSmtp } from '../../../electron/smtp/service.ts';

// Runs INSIDE a network namespace the test created (ip netns exec): minimal SMTP listeners on 127.0.0.1
// for every port given, then the real probe over them. The namespace's nft rules decide what the probe sees.
// Usage: netns-lab.ts TIMEOUT_MS PORT... ; prints the smtp section as JSON.

const [timeoutArg, ...portArgs] = process.argv.slice(2);
const ports = portArgs.map(Number);
const servers = ports.map((port) =>
  createServer((s) => {
    s.on('error', () => undefined);
    s.write('220 lab.loopback.test ESMTP\r\n');
    s.on('data', (d) => {
      for (const line of d.toString().split('\r\n').filter(Boolean)) s.write(line === 'QUIT' ? '221 bye\r\n' : '250 lab.loopback.test\r\n');
    });
  }).listen(port, '127.0.0.1'),
);
await Promise.all(servers.map((s) => new Promise((resolve) => (s.listening ? resolve(null) : s.once('listening', resolve)))));
const { section } = await diagnoseSmtp({ host: '127.0.0.1', ports, timeoutMs: Number(timeoutArg) });
process.stdout.write(JSON.stringify(section));
for (const s of servers) s.close();
