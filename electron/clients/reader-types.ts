import type { Finding } from '../core/finding.ts';
import type { Fix } from '../core/fix.ts';
import type { Account } from './schema.ts';

/** What every client reader returns: accounts, its client-specific findings, and the fixes it can offer. */
export interface ClientReadResult {
  accounts: Account[];
  findings: Finding[];
  fixes: Fix[];
}
