import { CancelledError } from '../core/errors.ts';
// Internal problem record of the scanner; turned into the report's PstProblem once items are attributed.

export type ProblemSeverity = 'error' | 'warning' | 'info';

export interface RawProblem {
  structure: string;
  offset: number | null;
  bid?: number;
  nid?: number;
  /** For damage inside a node's subnode tree: the subnode (e.g. an attachment). */
  subnid?: number;
  detail: string;
  severity: ProblemSeverity;
  /** Further nodes/blocks the damage reaches (e.g. every NID listed in a damaged NBT leaf page). */
  nids?: number[];
  bids?: number[];
}

/** Collects problems with a cap so a file full of garbage cannot make the report unbounded. */
export class ProblemLog {
  readonly list: RawProblem[] = [];
  dropped = 0;
  constructor(private readonly cap = 5000) {}

  add(p: RawProblem): void {
    if (this.list.length < this.cap) this.list.push(p);
    else this.dropped++;
  }

  get errors(): number {
    return this.list.filter((p) => p.severity === 'error').length;
  }
}

export class ScanCancelled extends CancelledError {
  constructor() {
    super('scan');
  }
}

export function checkCancel(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new ScanCancelled();
}
