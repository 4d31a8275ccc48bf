import { XMLParser } from 'fast-xml-parser';
import type { SmtpSecurity } from '../schema.ts';
import type { ProviderServer } from './schema.ts';

// Thunderbird autoconfig (config-v1.1.xml) → the outgoing SMTP servers it lists. Pure.

export const MAX_XML_BYTES = 256 * 1024;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  processEntities: false, // no entity expansion from untrusted XML
  isArray: (name) => ['emailProvider', 'outgoingServer', 'authentication', 'domain'].includes(name),
});

const SOCKET: Record<string, SmtpSecurity> = { SSL: 'implicit', STARTTLS: 'starttls', PLAIN: 'none' };

export interface AutoconfigResult {
  providerName: string | null;
  servers: ProviderServer[];
}

/** The five predefined XML entities only (entity expansion is off: no DOCTYPE tricks). */
function unescapeXml(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

function str(v: unknown): string | null {
  if (typeof v === 'string') return unescapeXml(v.trim());
  if (typeof v === 'number') return String(v);
  if (v && typeof v === 'object' && '#text' in v) return str((v as Record<string, unknown>)['#text']);
  return null;
}

/** Fills %EMAILADDRESS% / %EMAILLOCALPART% / %EMAILDOMAIN% when the address is known. */
function fill(pattern: string | null, email: string | null): string | null {
  if (pattern === null || email === null) return pattern;
  const at = email.lastIndexOf('@');
  return pattern
    .replaceAll('%EMAILADDRESS%', email)
    .replaceAll('%EMAILLOCALPART%', at > 0 ? email.slice(0, at) : email)
    .replaceAll('%EMAILDOMAIN%', at > 0 ? email.slice(at + 1) : '');
}

/** Throws on text that is not a clientConfig document. */
export function parseAutoconfig(xml: string, email: string | null = null): AutoconfigResult {
  if (xml.length > MAX_XML_BYTES) throw new Error(`autoconfig document larger than ${MAX_XML_BYTES} bytes`);
  const doc = parser.parse(xml) as Record<string, unknown>;
  const root = doc.clientConfig as Record<string, unknown> | undefined;
  if (!root || typeof root !== 'object') throw new Error('not a Thunderbird autoconfig document (no <clientConfig>)');
  const providers = (root.emailProvider as Array<Record<string, unknown>> | undefined) ?? [];
  const servers: ProviderServer[] = [];
  let providerName: string | null = null;
  for (const p of providers.slice(0, 10)) {
    providerName ??= str(p.displayName) ?? str(p['@id']);
    const outgoing = (p.outgoingServer as Array<Record<string, unknown>> | undefined) ?? [];
    for (const o of outgoing.slice(0, 20)) {
      if (str(o['@type']) !== 'smtp') continue;
      const hostname = fill(str(o.hostname), email);
      const port = Number(str(o.port));
      const security = SOCKET[(str(o.socketType) ?? '').toUpperCase()];
      if (!hostname || !Number.isInteger(port) || port < 1 || port > 65535 || !security) continue;
      const auth = ((o.authentication as unknown[] | undefined) ?? []).map(str).filter((a): a is string => !!a);
      servers.push({ hostname, port, security, authentication: auth, username: fill(str(o.username), email) });
    }
  }
  return { providerName, servers };
}
