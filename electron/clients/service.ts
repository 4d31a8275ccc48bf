import { finding, type Finding } from '../report/finding.ts';
import type { EngineContext } from '../engine/context.ts';
import type { Account } from './schema.ts';
import type { Fix } from '../fixes/types.ts';
import type { ClientReadResult } from './reader-types.ts';
import { readThunderbird } from './thunderbird/reader.ts';
import { checkOutgoing } from './checks.ts';
import { checkDataFiles } from './datafiles.ts';

type Reader = { client: string; read: (ctx: EngineContext) => Promise<ClientReadResult> };

const READERS: Reader[] = [{ client: 'Thunderbird', read: readThunderbird }];

/** Runs every reader under ctx.home (a failing reader becomes a finding, never a crash) and all checks. */
export async function readAll(ctx: EngineContext): Promise<ClientReadResult> {
  const all: ClientReadResult = { accounts: [], findings: [], fixes: [] };
  for (const r of READERS) {
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
export async function readAccounts(ctx: EngineContext): Promise<{ accounts: Account[]; findings: Finding[] }> {
  const { accounts, findings } = await readAll(ctx);
  return { accounts, findings };
}

export type { Fix };
