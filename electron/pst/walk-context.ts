import { LtpError } from './ltp.ts';
import type { NdbResult } from './ndb.ts';
import { NodeReader, type Damage } from './nodes.ts';
import { checkCancel, type ProblemLog } from './problems.ts';
import type { PstSource } from './source.ts';
import type { StoreWalk } from './walk-model.ts';
import type { Progress } from '../core/progress.ts';
import type { WalkObserver } from './walk-observer.ts';

// State shared by one messaging-layer walk: the node reader, the store's code page, what has been reached so far,
// and the two ways a damaged object is logged (block damage from the NDB layer, LTP errors from the structures on top).

/** How many damaged blocks of one node are logged; the rest are the same story. */
const MAX_DAMAGE_PER_NODE = 20;
/** Progress is reported every this many folders + messages. */
const PROGRESS_EVERY = 50;

export class WalkContext {
  readonly reader: NodeReader;
  /** ANSI (32-bit) store: its tables use 4-byte row ids and 8-bit strings. */
  readonly ansi: boolean;
  /** PidTagMessageCodepage of the store, for 8-bit strings; 1252 until the store object says otherwise. */
  codepage = 1252;
  readonly walk: StoreWalk = { folders: [], messages: [], passwordProtected: false, attachments: 0 };
  /** Every folder visited (or being visited), with its path. */
  readonly folderPaths = new Map<number, string>();
  /** Every message read, so no message is read twice. */
  readonly seenMessages = new Set<number>();
  /** Folders + messages reached so far. */
  items = 0;
  /** Told about each object the walk opens (a readiness scan reads a few more properties of them). */
  readonly observe: WalkObserver | undefined;

  constructor(
    src: PstSource,
    readonly ndb: NdbResult,
    readonly log: ProblemLog,
    private readonly opts: { signal?: AbortSignal; onProgress?: (p: Progress) => void; observe?: WalkObserver },
  ) {
    this.observe = opts.observe;
    this.reader = new NodeReader(src, ndb);
    this.ansi = ndb.header.layout.id === 4;
  }

  checkCancel(): void {
    checkCancel(this.opts.signal);
  }

  /** Counts one folder or message reached. */
  progress(): void {
    this.items++;
    if (this.items % PROGRESS_EVERY === 0) this.opts.onProgress?.({ phase: 'items', done: this.items, total: null, unit: 'items' });
  }

  done(): void {
    this.opts.onProgress?.({ phase: 'items', done: this.items, total: this.items, unit: 'items' });
  }

  /** Logs the damaged blocks of a node, except those the NDB pass already reported (they are attributed later). */
  noteDamage(nid: number, what: string, damage: Damage[]): void {
    for (const d of damage.slice(0, MAX_DAMAGE_PER_NODE)) {
      if (this.ndb.badBlocks.has(d.bid)) continue;
      this.log.add({ structure: 'block', offset: null, nid, bid: d.bid, detail: `${what}: ${d.detail}`, severity: 'error' });
    }
  }

  /** Logs an object the LTP layer cannot read; any other error is a bug and is rethrown. */
  ltpFail(nid: number, structure: string, what: string, err: unknown): void {
    if (!(err instanceof LtpError)) throw err;
    this.log.add({ structure: err.structure ?? structure, offset: null, nid, detail: `${what}: ${err.message}`, severity: 'error' });
  }
}
