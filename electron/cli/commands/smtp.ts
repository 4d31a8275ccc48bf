import type { Cli } from '../command.ts';
import { ApiError } from '../../core/errors.ts';
import { LIMITS } from '../../contract/api.ts';
import type { AuthMechanism } from '../../smtp/schema.ts';
import { readPasswordFromStdin, readSecretFromStdin } from '../password.ts';
import { call, emitReport, num, parsePorts } from './common.ts';

export interface SmtpOptions {
  ports?: string;
  timeout?: string;
  from?: string;
  to?: string;
  user?: string;
  passwordStdin?: boolean;
  oauthTokenStdin?: boolean;
  auth?: string;
  insecureTlsOk?: boolean;
  implicitPorts?: string;
  email?: string;
  out?: string;
  json?: boolean;
}

/** `mailmedic smtp HOST`: several ports probed at once, each outcome explained. */
export async function run(cli: Cli, host: string, o: SmtpOptions): Promise<void> {
  if (o.passwordStdin && o.oauthTokenStdin) throw new ApiError('bad-request', '--password-stdin and --oauth-token-stdin: stdin holds one of them, not both');
  const password = o.passwordStdin ? await readPasswordFromStdin() : undefined;
  // The token is held like the password: in memory for this one call, never printed, logged or written.
  const oauthToken = o.oauthTokenStdin ? await readSecretFromStdin('OAuth token', LIMITS.oauthTokenBytes) : undefined;
  const req = {
    host,
    ports: parsePorts(o.ports),
    timeoutMs: num(o.timeout),
    from: o.from,
    to: o.to,
    user: o.user,
    password,
    oauthToken,
    authMechanism: o.auth?.toUpperCase() as AuthMechanism | undefined,
    insecureTlsOk: o.insecureTlsOk,
    implicitPorts: parsePorts(o.implicitPorts),
    email: o.email,
  };
  await emitReport(cli, await call('smtp', req, cli.ctx()), o);
}
