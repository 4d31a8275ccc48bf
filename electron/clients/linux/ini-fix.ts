import type { Change, Fix, Guard } from '../../core/fix.ts';
import type { Account } from '../schema.ts';
import { iniSetAll } from '../ini.ts';
import { readFileIfAny } from '../read-file.ts';

export type IniEdit = readonly [section: string, key: string, value: string];

/** A fix that changes a few keys of one INI/key file (Evolution, KMail, Claws); every other byte stays. */
export function iniFix(o: { account: Account; file: string; action: string; title: string; guard: Guard; edits: IniEdit[] }): Fix {
  return {
    id: `${o.account.id}:${o.action}`,
    title: o.title,
    area: 'accounts',
    accounts: [o.account.id],
    action: o.action,
    guards: [o.guard],
    plan: async (): Promise<Change[]> => {
      const before = await readFileIfAny(o.file);
      if (!before) throw new Error(`${o.file} is gone`);
      const after = iniSetAll(before, o.edits);
      return after.equals(before) ? [] : [{ kind: 'file', path: o.file, before, after }];
    },
  };
}

/** The two port fixes every client gets, unless already in place. */
export function portFixes(
  account: Account,
  label: string,
  make: (port: 587 | 465, security: 'starttls' | 'implicit', title: string) => Fix,
): Fix[] {
  const o = account.outgoing;
  if (!o?.host) return [];
  const out: Fix[] = [];
  if (!(o.port === 587 && o.security === 'starttls')) out.push(make(587, 'starttls', `${label}: send through ${o.host} on port 587 with STARTTLS`));
  if (!(o.port === 465 && o.security === 'implicit')) out.push(make(465, 'implicit', `${label}: send through ${o.host} on port 465 with SSL/TLS`));
  return out;
}
