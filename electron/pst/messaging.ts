import { openPropBag } from './objects.ts';
import type { NdbResult } from './ndb.ts';
import { recoverOrphanFolders, recoverOrphanMessages } from './orphans.ts';
import type { ProblemLog } from './problems.ts';
import { PR } from './props.ts';
import type { PstSource } from './source.ts';
import { WalkContext } from './walk-context.ts';
import { visitFolder } from './walk-folders.ts';
import type { StoreWalk } from './walk-model.ts';
import type { Progress } from '../core/progress.ts';
import type { WalkObserver } from './walk-observer.ts';

// Messaging layer walk: folder hierarchy from the root folder (NID 0x122) through hierarchy tables, messages through
// contents tables, attachments through each message's attachment table. Every object that cannot be read is logged
// with its NID and the walk goes on; messages the tables no longer reach are picked up from the NBT.

export { folderLabel, messageLabel, type MessageInfo, type StoreWalk } from './walk-model.ts';

const NID_ROOT_FOLDER = 0x122;
const NID_MESSAGE_STORE = 0x21;

export async function walkStore(
  src: PstSource,
  ndb: NdbResult,
  log: ProblemLog,
  opts: { signal?: AbortSignal; onProgress?: (p: Progress) => void; observe?: WalkObserver },
): Promise<StoreWalk> {
  const ctx = new WalkContext(src, ndb, log, opts);
  await readStoreObject(ctx);
  await visitFolder(ctx, NID_ROOT_FOLDER, '', 0, false);
  await recoverOrphanFolders(ctx);
  reportHiddenFolders(ctx);
  await recoverOrphanMessages(ctx);
  ctx.done();
  return ctx.walk;
}

/** The message store object: whether the store has a password, and the code page of its 8-bit strings. */
async function readStoreObject(ctx: WalkContext): Promise<void> {
  const store = await ctx.reader.node(NID_MESSAGE_STORE);
  if (!store) return;
  try {
    const bag = openPropBag(store, ctx.reader);
    // PidTagPstPassword holds a CRC of the password; Outlook offers no password for offline caches (.ost), and the
    // fixture OST carries a stray value there, so only PST stores are reported as protected.
    const pw = await bag.num(PR.PST_PASSWORD);
    ctx.walk.passwordProtected = ctx.ndb.header.kind !== 'ost' && pw !== null && pw !== 0;
    ctx.codepage = (await bag.num(PR.MESSAGE_CODEPAGE)) ?? 1252;
    await ctx.observe?.store?.(bag);
  } catch (err) {
    ctx.ltpFail(NID_MESSAGE_STORE, 'property-context', 'message store properties unreadable', err);
  }
}

/** One info problem naming the folders some clients never show (see FolderInfo.hidden). */
function reportHiddenFolders(ctx: WalkContext): void {
  const hidden = ctx.walk.folders.filter((f) => f.hidden);
  if (hidden.length === 0) return;
  ctx.log.add({
    structure: 'folder',
    offset: null,
    detail: `${hidden.length} folder(s) sit under a folder that does not flag subfolders (PidTagSubfolders), so some clients never show them: ${hidden.slice(0, 5).map((f) => f.path).join(', ')}${hidden.length > 5 ? ', …' : ''}; they are not in the folder count but are scanned and salvaged`,
    severity: 'info',
    nids: hidden.map((f) => f.nid),
  });
}
