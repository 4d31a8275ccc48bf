import type { Finding } from '../report/finding.ts';
import type { EngineContext } from '../engine/context.ts';
import type { Account } from './schema.ts';
import { NotImplementedError } from '../engine/context.ts';

/** Read every mail client's accounts under ctx.home, and check them. */
export async function readAccounts(_ctx: EngineContext): Promise<{ accounts: Account[]; findings: Finding[] }> {
  throw new NotImplementedError('reading mail client accounts');
}
