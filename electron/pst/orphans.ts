import { readMessage } from './read-message.ts';
import type { WalkContext } from './walk-context.ts';
import { isNidOf, MAX_FOLDER_DEPTH, NID_TYPE_NORMAL_FOLDER, NID_TYPE_NORMAL_MESSAGE, visitFolder } from './walk-folders.ts';

// Objects the hierarchy and contents tables no longer reach (a damaged table or index, recovered node entries) are
// still part of the store: they are found in the node B-tree and read like the rest (an id below the lowest a store
// uses is damage, not a folder or message: the scan reports it).

/**
 * Visits every folder of the NBT that the hierarchy walk did not reach: under its NBT parent when that one is known,
 * parents first; whatever is left goes under "(recovered)".
 */
export async function recoverOrphanFolders(ctx: WalkContext): Promise<void> {
  const { folderPaths } = ctx;
  let pending = [...ctx.ndb.nbt.entries()].filter((e) => isNidOf(e.nid, [NID_TYPE_NORMAL_FOLDER]) && !folderPaths.has(e.nid));
  for (let pass = 0; pending.length > 0 && pass < MAX_FOLDER_DEPTH; pass++) {
    const ready = pending.filter((e) => folderPaths.has(e.nidParent));
    if (ready.length === 0) break;
    for (const e of ready) if (!folderPaths.has(e.nid)) await visitFolder(ctx, e.nid, folderPaths.get(e.nidParent) ?? '', 1, false);
    pending = pending.filter((e) => !folderPaths.has(e.nid));
  }
  for (const e of pending) if (!folderPaths.has(e.nid)) await visitFolder(ctx, e.nid, '(recovered)', 1, false);
}

/** Reads every message of the NBT that no contents table listed, as an orphan of its NBT parent folder. */
export async function recoverOrphanMessages(ctx: WalkContext): Promise<void> {
  for (const e of ctx.ndb.nbt.entries()) {
    if (isNidOf(e.nid, [NID_TYPE_NORMAL_MESSAGE]) && !ctx.seenMessages.has(e.nid)) await readMessage(ctx, e.nid, e.nidParent, true);
  }
}
