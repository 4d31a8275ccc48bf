import path from 'node:path';
import type { Fix } from '../core/fix.ts';
import type { IniSection } from './ini.ts';
import type { Account, ConnSecurity } from './schema.ts';
import { readFileIfAny } from './read-file.ts';

// "Re-add the account" is the advice of last resort. It is guided, not automatic: first this fix saves the
// account's settings (never passwords) into MailMedic's data folder, with the steps to remove and re-add it.

const STEPS: Record<string, string[]> = {
  thunderbird: [
    'Account Settings › Account Actions (bottom left) › Remove Account.',
    'File › New › Existing Mail Account: enter your name, address and password, then "Configure manually".',
    'Enter the incoming and outgoing settings listed above, then Re-test and Done.',
  ],
  outlook: [
    'File › Account Settings › Account Settings, select the account, Remove (Outlook keeps the data file).',
    'File › Add Account, enter the address, Advanced options › "Let me set up my account manually".',
    'Choose the account type and enter the incoming and outgoing settings listed above.',
  ],
};
const GENERIC = ['Remove the account in the program\'s account settings.', 'Add it again and enter the incoming and outgoing settings listed above.'];

const SEC: Record<ConnSecurity, string> = { none: 'no encryption', starttls: 'STARTTLS', implicit: 'SSL/TLS' };
const PASSWORDISH = /pass(word)?|secret|token/i;

/** Drops any line that could carry a secret: exports are meant to be read and shared with a helper. */
export function withoutSecrets(raw: string): string {
  return raw
    .split('\n')
    .filter((l) => !PASSWORDISH.test(l))
    .join('\n');
}

/** The text of one INI section, as written, minus secret lines. */
export function iniSectionText(text: string, sec: IniSection): string {
  const lines = sec.entries.map((e) => Buffer.from(text.slice(e.lineStart, e.lineEnd), 'latin1').toString('utf8').replace(/\r?\n$/, ''));
  return withoutSecrets([`[${sec.name}]`, ...lines].join('\n'));
}

export function renderExport(a: Account, raw: string): string {
  const i = a.incoming;
  const o = a.outgoing;
  const lines = [
    `MailMedic: settings of ${a.email ?? a.name ?? a.id} (${a.client}${a.profile ? `, profile ${a.profile}` : ''})`,
    `Source: ${a.source.file ?? a.source.registryKey ?? 'unknown'}`,
    '',
    `Name:     ${a.name ?? ''}`,
    `Address:  ${a.email ?? ''}`,
    i ? `Incoming: ${i.protocol.toUpperCase()} ${i.host ?? '?'} port ${i.port ?? 'default'}, ${i.security ? SEC[i.security] : 'unknown security'}` : 'Incoming: (none)',
    o
      ? `Outgoing: SMTP ${o.host ?? '?'} port ${o.port ?? 'default'}, ${o.security ? SEC[o.security] : 'unknown security'}, ${o.auth ? `log in as ${o.username ?? 'your address'}` : 'no login'}`
      : 'Outgoing: (none)',
    `Data files: ${a.dataFiles.join(', ') || '(none)'}`,
    '',
    'To re-add the account:',
    ...(STEPS[a.client] ?? GENERIC).map((s, n) => `  ${n + 1}. ${s}`),
    '',
    'Settings as stored (passwords are never exported):',
    withoutSecrets(raw).trimEnd(),
    '',
  ];
  return lines.join('\n');
}

/** A fix that saves the account's settings to <dataDir>/exports/; undo deletes the export again. */
export function exportFix(a: Account, raw: string): Fix {
  const label = a.email ?? a.name ?? a.id;
  return {
    id: `${a.id}:export-settings`,
    title: `Save ${label}'s settings before removing and re-adding the account`,
    area: 'accounts',
    accounts: [a.id],
    action: 'export-settings',
    guards: [],
    plan: async (ctx) => {
      const file = path.join(ctx.dataDir, 'exports', `${a.id.replace(/[^A-Za-z0-9._-]+/g, '_')}.txt`);
      const before = await readFileIfAny(file);
      const after = Buffer.from(renderExport(a, raw), 'utf8');
      return before?.equals(after) ? [] : [{ kind: 'file', path: file, before, after }];
    },
  };
}
