import fs from 'node:fs/promises';
import path from 'node:path';
import { createHash } from 'node:crypto';

/** The points between the steps of apply; tests kill the process at each of them. */
export type ApplyStep =
  | 'backup-written'
  | 'journal-pending'
  | 'temp-written'
  | 'temp-synced'
  | 'renamed'
  | 'verified'
  | 'journal-applied';

export type StepHook = (step: ApplyStep, detail: string) => void | Promise<void>;

export function sha256(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

/** Writes bytes to a new file and fsyncs it before returning. */
export async function writeSynced(file: string, bytes: Buffer, mode = 0o600): Promise<void> {
  const fh = await fs.open(file, 'w', mode);
  try {
    await fh.writeFile(bytes);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** fsync a directory so a rename in it survives a power cut; not possible on Windows, where rename is enough. */
async function syncDir(dir: string): Promise<void> {
  try {
    const fh = await fs.open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    /* not supported on this platform/filesystem */
  }
}

/** The temp file sits next to the target (same filesystem, so the rename is atomic). */
export function tempPathFor(target: string, tag: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.mailmedic-${tag}.tmp`);
}

/**
 * Replaces `target` with `bytes` atomically: write temp → fsync → rename over the target → fsync dir → re-read and
 * verify. At every instant the target is either the old or the new file, never a partial one. Keeps the
 * target's mode and owner.
 */
export async function atomicReplace(target: string, bytes: Buffer, tag: string, onStep?: StepHook): Promise<void> {
  const tmp = tempPathFor(target, tag);
  let mode = 0o644;
  let owner: { uid: number; gid: number } | null = null;
  try {
    const st = await fs.stat(target);
    mode = st.mode & 0o7777;
    owner = { uid: st.uid, gid: st.gid };
  } catch {
    /* new file */
  }
  try {
    const fh = await fs.open(tmp, 'w', mode);
    try {
      await fh.writeFile(bytes);
      await onStep?.('temp-written', tmp);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fs.chmod(tmp, mode);
    if (owner && process.getuid?.() === 0) await fs.chown(tmp, owner.uid, owner.gid);
    await onStep?.('temp-synced', tmp);
    await fs.rename(tmp, target);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
  await syncDir(path.dirname(target));
  await onStep?.('renamed', target);
  const back = await fs.readFile(target);
  if (!back.equals(bytes)) throw new Error(`verification failed: ${target} does not hold the bytes just written`);
  await onStep?.('verified', target);
}
