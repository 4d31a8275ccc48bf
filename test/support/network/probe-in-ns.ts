// Run inside the client namespace: `probe-in-ns.ts HOST PORT TIMEOUT_MS`. Prints one line
// "RESULT {json}" with a plain TCP connect outcome and MailMedic's own SMTP probe section.
import net from 'node:net';
import { diagnoseSmtp } from '../../../electron/smtp/service.ts';

const [host, portText, timeoutText] = process.argv.slice(2);
const port = Number(portText);
const timeoutMs = Number(timeoutText);

function plainConnect(): Promise<{ outcome: string; banner: string | null }> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    const done = (outcome: string, banner: string | null = null) => {
      clearTimeout(timer);
      s.destroy();
      resolve({ outcome, banner });
    };
    const timer = setTimeout(() => done('timeout'), timeoutMs);
    s.once('data', (d) => done('ok', d.toString().trim()));
    s.once('error', (e: NodeJS.ErrnoException) => done(e.code === 'ECONNREFUSED' ? 'refused' : (e.code ?? e.message)));
  });
}

const plain = await plainConnect();
let smtp: unknown = null;
let smtpError: string | null = null;
try {
  smtp = (await diagnoseSmtp({ host, ports: [port], timeoutMs })).section;
} catch (e) {
  smtpError = (e as Error).message;
}
process.stdout.write(`RESULT ${JSON.stringify({ plain, smtp, smtpError })}\n`);
