import type { FolderInfo, MessageInfo } from './walk-model.ts';
import type { PropBag } from './objects.ts';

// Optional listener of the messaging walk: a readiness scan reads a few more properties of the objects the walk has
// already opened (store, folders, messages, attachments) instead of walking the store a second time.

export interface WalkObserver {
  /** The message store object's properties. */
  store?(bag: PropBag): Promise<void>;
  /** A folder reached at `depth` (0 = root folder, 1 = top of the store, 2 = Inbox and its siblings). */
  folder?(f: FolderInfo, depth: number): void;
  /** A message whose property context could be read. */
  message?(m: MessageInfo, bag: PropBag): Promise<void>;
  /** An attachment object of message `m` that could be read. */
  attachment?(m: MessageInfo, bag: PropBag): Promise<void>;
}
