import { finding, type Finding } from '../core/finding.ts';
import type { EngineContext } from '../core/context.ts';
import type { Account } from './schema.ts';
import type { ClientReadResult } from './reader-types.ts';
import { readThunderbird } from './thunderbird/reader.ts';
import { checkOutgoing } from './checks.ts';
import { checkDataFiles } from './datafiles.ts';
import { readOutlook } from './outlook/reader.ts';
import { readEvolution } from './linux/evolution.ts';
import { readKmail } from './linux/kmail.ts';
import { readClaws } from './linux/claws.ts';
import { readAppleMail } from './apple-mail.ts';
import { RegExeBackend } from './outlook/reg-exe.ts';
import type { RegistryBackend } from '../core/fix.ts';

export interface ReadOptions {
  /** The Windows registry; defaults to reg.exe on Windows and to none elsewhere (tests pass recorded hives). */
  registry?: RegistryBackend;
}

type Reader = { client: string; read: (ctx: EngineContext) => Promise<ClientReadResult> };

export function registryFor(ctx: EngineContext, opts: ReadOptions): RegistryBackend | null {
  return opts.registry ?? (ctx.platform === 'win32' ? new RegExeBackend(ctx.run) : null);
}

/** Runs every reader under ctx.home (a failing reader becomes a finding, never a crash) and all checks. */
export async function readAll(ctx: EngineContext, opts: ReadOptions = {}): Promise<ClientReadResult> {
  const all: ClientReadResult = { accounts: [], findings: [], fixes: [] };
  const registry = registryFor(ctx, opts);
  const readers: Reader[] = [
    { client: 'Thunderbird', read: readThunderbird },
    { client: 'Evolution', read: readEvolution },
    { client: 'KMail', read: readKmail },
    { client: 'Claws Mail', read: readClaws },
    { client: 'Apple Mail', read: readAppleMail },
  ];
  if (registry) readers.push({ client: 'Outlook', read: (c) => readOutlook(c, registry) });
  for (const r of readers) {
    try {
      const res = await r.read(ctx);
      all.accounts.push(...res.accounts);
      all.findings.push(...res.findings);
      all.fixes.push(...res.fixes);
    } catch (e) {
      all.findings.push(
        finding({
          id: 'accounts.reader-failed',
          area: 'accounts',
          severity: 'warning',
          title: `${r.client} settings could not be read`,
          detail: 'Its accounts are missing from this report; the other clients were read.',
          evidence: { client: r.client, error: (e as Error).message },
        }),
      );
    }
  }
  all.findings.push(...checkOutgoing(all.accounts, all.fixes));
  all.findings.push(...(await checkDataFiles(all.accounts, ctx)));
  return all;
}

/** Read every mail client's accounts under ctx.home, and check them. */
export async function readAccounts(ctx: EngineContext, opts: ReadOptions = {}): Promise<{ accounts: Account[]; findings: Finding[] }> {
  const { accounts, findings } = await readAll(ctx, opts);
  return { accounts, findings };
}
