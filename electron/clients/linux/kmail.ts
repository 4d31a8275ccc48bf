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

// KDE KMail: outgoing servers in ~/.config/mailtransports ([Transport <id>]), identities in emailidentities.
// Incoming accounts live in Akonadi resources and are not read here.

const GUARD: Guard = {
  kind: 'process-closed',
  client: 'KMail',
  names: ['kmail', 'kontact'],
  howToClose: 'Quit KMail/Kontact (File › Quit) and run `akonadictl stop` so the mail transport agent lets go of the file, then run the fix again.',
};

/** `encryption` is written by name (None/SSL/TLS; TLS = STARTTLS) or, by older versions, as 0/1/2. */
export function kmailSecurity(v: string | undefined): ConnSecurity | null {
  const s = (v ?? 'None').toLowerCase();
  return s === 'none' || s === '0' ? 'none' : s === 'ssl' || s === '1' ? 'implicit' : s === 'tls' || s === '2' ? 'starttls' : null;
}

export async function readKmail(ctx: EngineContext): Promise<ClientReadResult> {
  const out: ClientReadResult = { accounts: [], findings: [], fixes: [] };
  const file = path.join(ctx.home, '.config', 'mailtransports');
  const bytes = await readFileIfAny(file);
  if (!bytes) return out;
  const doc = parseIni(bytes);
  const idBytes = await readFileIfAny(path.join(ctx.home, '.config', 'emailidentities'));
  const identities = idBytes ? parseIni(idBytes).sections.filter((s) => s.name.startsWith('Identity')) : [];
  for (const sec of doc.sections.filter((s) => /^Transport /.test(s.name)).slice(0, 1000)) {
    const get = (k: string) => sec.entries.filter((e) => e.key === k).pop()?.value;
    if ((get('type') ?? 'smtp').toLowerCase() !== 'smtp' && get('type') !== '0') continue;
    const tid = get('id') ?? sec.name.slice('Transport '.length);
    const ident = identities.find((s) => s.entries.some((e) => e.key === 'Transport' && e.value === tid)) ?? identities[0];
    const iget = (k: string) => ident?.entries.filter((e) => e.key === k).pop()?.value;
    const port = get('port');
    const account: Account = {
      id: `kmail:${tid}`,
      client: 'kmail',
      profile: null,
      name: get('name') ?? null,
      email: iget('Email Address') ?? null,
      incoming: null,
      outgoing: {
        host: get('host') ?? null,
        port: port && /^\d+$/.test(port) ? Number(port) : 25,
        security: kmailSecurity(get('encryption')),
        auth: get('requiresAuthentication') === 'true',
        username: get('userName') ?? get('user') ?? null,
      },
      dataFiles: [],
      source: { file, registryKey: null },
    };
    out.accounts.push(account);
    out.fixes.push(exportFix(account, iniSectionText(doc.text, sec)));
    const numeric = /^\d$/.test(get('encryption') ?? '');
    out.fixes.push(
      ...portFixes(account, 'KMail', (p, security, title) =>
        iniFix({
          account, file, action: smtpPortAction({ port: p, security }), title, guard: GUARD,
          edits: [[sec.name, 'port', String(p)], [sec.name, 'encryption', numeric ? (security === 'implicit' ? '1' : '2') : security === 'implicit' ? 'SSL' : 'TLS']],
        }),
      ),
    );
    if (!account.outgoing!.auth) {
      out.fixes.push(iniFix({
        account, file, action: SMTP_AUTH_ON, title: `KMail: log in to ${account.outgoing!.host} before sending`, guard: GUARD,
        edits: [[sec.name, 'requiresAuthentication', 'true']],
      }));
    }
  }
  return out;
}
