// A real SMTP server (smtp-server) for the namespace tests: `smtp-peer.ts ADDRESS PORT…`.
// Prints "READY" once every port listens; runs until killed.
import { SMTPServer } from 'smtp-server';

const [address, ...ports] = process.argv.slice(2);
let waiting = ports.length;
for (const p of ports) {
  const server = new SMTPServer({ banner: 'mailmedic namespace peer', disabledCommands: ['STARTTLS', 'AUTH'], logger: false });
  server.on('error', (e) => {
    process.stderr.write(`smtp-peer ${p}: ${e.message}\n`);
    process.exit(1);
  });
  server.listen(Number(p), address, () => {
    if (--waiting === 0) process.stdout.write('READY\n');
  });
}
