import fs from 'node:fs/promises';
import path from 'node:path';
import type { EngineContext } from '../../core/context.ts';
import type { Guard } from '../../core/fix.ts';
import type { Account, ConnSecurity } from '../schema.ts';
import type { ClientReadResult } from '../reader-types.ts';
import { iniSection, parseIni, type IniDoc } from '../ini.ts';
import { readFileIfAny } from '../read-file.ts';
import { iniFix, portFixes } from './ini-fix.ts';
import { exportFix, withoutSecrets } from '../export.ts';
import { SMTP_AUTH_ON, smtpPortAction } from '../../core/fix-id.ts';
import { evolutionAuthMethod } from '../auth-method.ts';

// GNOME Evolution: one GLib key file per source in ~/.config/evolution/sources/<uid>.source.
// Account → [Mail Account] IdentityUid → identity's [Mail Submission] TransportUid → transport.

const GUARD: Guard = {
  kind: 'process-closed',
  client: 'Evolution',
  // The source registry holds every account in memory and writes the files back from there: a change made while it
  // runs is not seen by Evolution and can be overwritten (observed with evolution-data-server 3.46).
  names: ['evolution', 'evolution-source-registry'],
  howToClose: 'Quit Evolution (File › Quit) and run `evolution --force-shutdown` so its background account service (evolution-source-registry) lets go of the account files, then run the fix again.',
};

/** CamelNetworkSecurityMethod nicks; anything else Evolution treats as none. */
export function evolutionSecurity(m: string | undefined): ConnSecurity {
  return m === 'ssl-on-alternate-port' ? 'implicit' : m === 'starttls-on-standard-port' ? 'starttls' : 'none';
}
const SEC_NICK = { none: 'none', starttls: 'starttls-on-standard-port', implicit: 'ssl-on-alternate-port' } as const;

const num = (s: string | undefined) => (s && /^\d+$/.test(s) ? Number(s) : null);

export async function readEvolution(ctx: EngineContext): Promise<ClientReadResult> {
  const out: ClientReadResult = { accounts: [], findings: [], fixes: [] };
  const dir = path.join(ctx.home, '.config', 'evolution', 'sources');
  let names: string[];
  try {
    names = (await fs.readdir(dir)).filter((n) => n.endsWith('.source')).sort().slice(0, 5000);
  } catch {
    return out;
  }
  const sources = new Map<string, { file: string; doc: IniDoc }>();
  for (const n of names) {
    const file = path.join(dir, n);
    const bytes = await readFileIfAny(file);
    if (bytes) sources.set(n.slice(0, -'.source'.length), { file, doc: parseIni(bytes) });
  }
  for (const [uid, src] of sources) {
    const acct = iniSection(src.doc, 'Mail Account');
    const backend = acct.get('BackendName');
    if (!acct.size || !backend || ['none', 'vfolder', 'maildir', 'mbox', 'spooldir', 'local'].includes(backend) || iniSection(src.doc, 'Data Source').get('Enabled') === 'false') continue;
    const ident = sources.get(acct.get('IdentityUid') ?? '');
    const identity = ident ? iniSection(ident.doc, 'Mail Identity') : new Map<string, string>();
    const transportUid = ident ? iniSection(ident.doc, 'Mail Submission').get('TransportUid') : undefined;
    const tr = transportUid ? sources.get(transportUid) : undefined;
    const inAuth = iniSection(src.doc, 'Authentication');
    const trAuth = tr ? iniSection(tr.doc, 'Authentication') : null;
    const method = trAuth?.get('Method');
    const account: Account = {
      id: `evolution:${uid}`,
      client: 'evolution',
      profile: null,
      name: iniSection(src.doc, 'Data Source').get('DisplayName') ?? null,
      email: identity.get('Address') || null,
      incoming: {
        protocol: backend === 'imapx' || backend === 'imap' ? 'imap' : backend === 'pop' ? 'pop3' : backend === 'ews' ? 'ews' : 'other',
        host: inAuth.get('Host') || null,
        port: num(inAuth.get('Port')),
        security: evolutionSecurity(iniSection(src.doc, 'Security').get('Method')),
      },
      outgoing:
        tr && trAuth
          ? {
              host: trAuth.get('Host') || null,
              port: num(trAuth.get('Port')),
              security: evolutionSecurity(iniSection(tr.doc, 'Security').get('Method')),
              auth: !!method && method.toLowerCase() !== 'none',
              username: trAuth.get('User') || null,
              authMethod: evolutionAuthMethod(method),
            }
          : null,
      dataFiles: [],
      source: { file: src.file, registryKey: null },
    };
    out.accounts.push(account);
    const rawOf = (x: { file: string; doc: IniDoc } | undefined) => (x ? `# ${path.basename(x.file)}\n${withoutSecrets(Buffer.from(x.doc.text, 'latin1').toString('utf8'))}` : '');
    out.fixes.push(exportFix(account, [src, ident, tr].map(rawOf).filter(Boolean).join('\n')));
    if (!tr || !account.outgoing || iniSection(tr.doc, 'Mail Transport').get('BackendName') !== 'smtp') continue;
    const trFile = tr.file;
    out.fixes.push(
      ...portFixes(account, 'Evolution', (port, security, title) =>
        iniFix({
          account, file: trFile, action: smtpPortAction({ port, security }), title, guard: GUARD,
          edits: [['Authentication', 'Port', String(port)], ['Security', 'Method', SEC_NICK[security]]],
        }),
      ),
    );
    if (!account.outgoing.auth && account.outgoing.username) {
      out.fixes.push(iniFix({
        account, file: trFile, action: SMTP_AUTH_ON, title: `Evolution: log in to ${account.outgoing.host} before sending`, guard: GUARD,
        edits: [['Authentication', 'Method', 'PLAIN']],
      }));
    }
  }
  return out;
}
