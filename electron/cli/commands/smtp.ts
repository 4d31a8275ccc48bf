import type { Cli } from '../command.ts';
import { readPasswordFromStdin } from '../password.ts';
import { call, emitReport, num, parsePorts } from './common.ts';

export interface SmtpOptions {
  ports?: string;
  timeout?: string;
  from?: string;
  to?: string;
  user?: string;
  passwordStdin?: boolean;
  insecureTlsOk?: boolean;
  implicitPorts?: string;
  email?: string;
  out?: string;
  json?: boolean;
}

/** `mailmedic smtp HOST`: several ports probed at once, each outcome explained. */
export async function run(cli: Cli, host: string, o: SmtpOptions): Promise<void> {
  const password = o.passwordStdin ? await readPasswordFromStdin() : undefined;
  const req = {
    host,
    ports: parsePorts(o.ports),
    timeoutMs: num(o.timeout),
    from: o.from,
    to: o.to,
    user: o.user,
    password,
    insecureTlsOk: o.insecureTlsOk,
    implicitPorts: parsePorts(o.implicitPorts),
    email: o.email,
  };
  await emitReport(cli, await call('smtp', req, cli.ctx()), o);
}
