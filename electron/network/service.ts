import type { Finding } from '../report/finding.ts';
import type { EngineContext } from '../engine/context.ts';
import type { NetworkSection } from './schema.ts';
import type { SmtpSection } from '../smtp/schema.ts';
import { NotImplementedError } from '../engine/context.ts';

/** Collect firewall/VPN/antivirus/proxy/route state for ctx.platform (read-only). */
export async function collectNetwork(
  _ctx: EngineContext,
  _opts: { smtpHost?: string } = {},
): Promise<{ section: NetworkSection; findings: Finding[] }> {
  throw new NotImplementedError('network checks');
}

/** Findings that join the network state with what the SMTP probe saw. */
export function correlateNetworkWithSmtp(_network: NetworkSection, _smtp: SmtpSection): Finding[] {
  return [];
}
