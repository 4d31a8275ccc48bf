import type { NetworkSection } from '../schema.ts';

/** Options every per-OS collector takes. */
export interface CollectOptions {
  /** The SMTP server's address (already resolved), for the route question; a public address otherwise. */
  target: string;
  host: string | null;
}

export type CollectedSection = Omit<NetworkSection, 'platform'>;

/** Asked when no SMTP host is known: only the routing table is consulted, nothing is sent to it. */
export const DEFAULT_ROUTE_TARGET = '1.1.1.1';
