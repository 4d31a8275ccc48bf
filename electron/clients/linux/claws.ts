import path from 'node:path';
import type { EngineContext } from '../../core/context.ts';
import type { Guard } from '../../core/fix.ts';
import type { Account, ConnSecurity } from '../schema.ts';
import type { ClientReadResult } from '../reader-types.ts';
import { parseIni } from '../ini.ts';
import { readFileIfAny } from '../read-file.ts';
import { iniFix, portFixes } from './ini-fix.ts';
import { exportFix, iniSectionText } from '../export.ts';
import { SMTP_AUTH_ON, smtpPortAction } from '../../core/fix-id.ts';
import { clawsAuthMethod } from '../auth-method.ts';

// Claws Mail (and its ancestor Sylpheed): accountrc with one [Account: N] section per account.

const GUARD: Guard = {
  kind: 'process-closed',
  client: 'Claws Mail',
  names: ['claws-mail', 'sylpheed'],
  howToClose: 'Quit Claws Mail (File › Exit): it rewrites accountrc when it exits. Then run the fix again.',
};

const LOCATIONS = [
  { rel: '.claws-mail/accountrc', client: 'claws-mail' },
  { rel: 'AppData/Roaming/Claws-mail/accountrc', client: 'claws-mail' },
  { rel: '.sylpheed-2.0/accountrc', client: 'other' },
] as const;

/** ssl_* : 0 none, 1 SSL/TLS on connect, 2 STARTTLS. */
export function clawsSecurity(v: string | undefined): ConnSecurity | null {
  return v === undefined || v === '0' ? 'none' : v === '1' ? 'implicit' : v === '2' ? 'starttls' : null;
}

export async function readClaws(ctx: EngineContext): Promise<ClientReadResult> {
  const out: ClientReadResult = { accounts: [], findings: [], fixes: [] };
  for (const loc of LOCATIONS) {
    const file = path.join(ctx.home, ...loc.rel.split('/'));
    const bytes = await readFileIfAny(file);
    if (!bytes) continue;
    const doc = parseIni(bytes);
    for (const sec of doc.sections.filter((s) => /^Account: \d+$/.test(s.name)).slice(0, 1000)) {
      const get = (k: string) => sec.entries.filter((e) => e.key === k).pop()?.value;
      const n = sec.name.slice('Account: '.length);
      const proto = get('protocol');
      const isImap = proto === '3';
      const port = (set: string, p: string, dflt: number) => (get(set) === '1' && /^\d+$/.test(get(p) ?? '') ? Number(get(p)) : dflt);
      const smtpSec = clawsSecurity(get('ssl_smtp'));
      const inSec = clawsSecurity(get(isImap ? 'ssl_imap' : 'ssl_pop'));
      const account: Account = {
        id: `${loc.client === 'claws-mail' ? 'claws' : 'sylpheed'}:${n}`,
        client: loc.client,
        profile: null,
        name: get('account_name') ?? null,
        email: get('address') || null,
        incoming: {
          protocol: isImap ? 'imap' : proto === '0' ? 'pop3' : 'other',
          host: get('receive_server') || null,
          port: isImap ? port('set_imapport', 'imap_port', inSec === 'implicit' ? 993 : 143) : port('set_popport', 'pop_port', inSec === 'implicit' ? 995 : 110),
          security: inSec,
        },
        outgoing: {
          host: get('smtp_server') || null,
          port: port('set_smtpport', 'smtp_port', smtpSec === 'implicit' ? 465 : 25),
          security: smtpSec,
          auth: get('use_smtp_auth') === '1',
          username: get('smtp_user_id') || get('user_id') || null,
          authMethod: clawsAuthMethod(get('use_smtp_auth'), get('smtp_auth_method')),
        },
        dataFiles: [],
        source: { file, registryKey: null },
      };
      out.accounts.push(account);
    out.fixes.push(exportFix(account, iniSectionText(doc.text, sec)));
      const label = loc.client === 'claws-mail' ? 'Claws Mail' : 'Sylpheed';
      out.fixes.push(
        ...portFixes(account, label, (p, security, title) =>
          iniFix({
            account, file, action: smtpPortAction({ port: p, security }), title, guard: GUARD,
            edits: [[sec.name, 'set_smtpport', '1'], [sec.name, 'smtp_port', String(p)], [sec.name, 'ssl_smtp', security === 'implicit' ? '1' : '2']],
          }),
        ),
      );
      if (!account.outgoing!.auth) {
        out.fixes.push(iniFix({
          account, file, action: SMTP_AUTH_ON, title: `${label}: log in to ${account.outgoing!.host} before sending`, guard: GUARD,
          edits: [[sec.name, 'use_smtp_auth', '1']],
        }));
      }
    }
  }
  return out;
}
