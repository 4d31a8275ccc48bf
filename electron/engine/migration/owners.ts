import path from 'node:path';
import type { EngineContext } from '../../core/context.ts';
import type { Account } from '../../clients/schema.ts';
import { resolveUnderHome } from '../../clients/datafiles.ts';
import type { OwnerSource } from '../../pst/migration/schema.ts';

// Owner evidence from this machine's mail profiles: an Outlook profile that attaches a data file says whose it is.
// The account that delivers into the file names the owner outright; a data file the profile attaches apart from
// any account (an archive PST) belongs to whoever sends from that profile.

const comparable = (p: string, caseless: boolean) => {
  const n = path.normalize(p.replace(/\\/g, '/')).replace(/\/+$/, '');
  return caseless ? n.toLowerCase() : n;
};

/** Pure: local path of each scanned file → the profile evidence that names its owner. */
export function profileOwners(files: string[], accounts: Account[], ctx: Pick<EngineContext, 'home' | 'platform'>): Map<string, OwnerSource> {
  const caseless = ctx.platform === 'win32' || ctx.platform === 'darwin';
  const byFile = new Map(files.map((f) => [comparable(f, caseless), f]));
  const out = new Map<string, OwnerSource>();
  const profileAddress = new Map<string, string>();
  for (const a of accounts) if (a.profile && a.email && !profileAddress.has(`${a.client}:${a.profile}`)) profileAddress.set(`${a.client}:${a.profile}`, a.email);
  for (const a of accounts) {
    for (const df of a.dataFiles) {
      if (!/\.(pst|ost)$/i.test(df)) continue;
      const local = resolveUnderHome(df, ctx as EngineContext);
      const file = local ? byFile.get(comparable(local, caseless)) : undefined;
      if (!file || out.has(file)) continue;
      const profile = a.profile ? `profile "${a.profile}"` : 'a mail profile';
      if (a.email) {
        out.set(file, { source: 'outlook-profile', value: a.email.toLowerCase(), address: true, confidence: 'high', evidence: `${a.client} ${profile} delivers the mail of ${a.email} into ${df}` });
        continue;
      }
      const sender = a.profile ? profileAddress.get(`${a.client}:${a.profile}`) : undefined;
      if (sender) {
        out.set(file, { source: 'outlook-profile', value: sender.toLowerCase(), address: true, confidence: 'medium', evidence: `${a.client} ${profile} (which sends as ${sender}) opens ${df}` });
      } else if (a.profile) {
        out.set(file, { source: 'outlook-profile', value: a.profile, address: false, confidence: 'low', evidence: `${a.client} ${profile} opens ${df}` });
      }
    }
  }
  return out;
}
