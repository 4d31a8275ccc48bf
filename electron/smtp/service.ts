import type { Finding } from '../report/finding.ts';
import type { SmtpSection } from './schema.ts';
import type { ExplainSection } from './explain-schema.ts';
import { NotImplementedError } from '../engine/context.ts';

export interface SmtpProbeOptions {
  host: string;
  ports?: number[];
  timeoutMs?: number;
  from?: string;
  to?: string;
  user?: string;
  /** In memory only; never logged, stored or put into a transcript. */
  password?: string;
  insecureTlsOk?: boolean;
  signal?: AbortSignal;
}

/** Probe a host's SMTP ports concurrently and diagnose the result. */
export async function diagnoseSmtp(_opts: SmtpProbeOptions): Promise<{ section: SmtpSection; findings: Finding[] }> {
  throw new NotImplementedError('SMTP diagnosis');
}

/** Explain an SMTP error text in plain words. */
export function explainSmtpText(_text: string): { section: ExplainSection; findings: Finding[] } {
  throw new NotImplementedError('explain');
}
