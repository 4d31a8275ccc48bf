import { join } from 'node:path';
// The one place the readiness tests reach the PST writer: when the writer moves, only these imports change.
import { writePst, type PstWriteOptions, type PstWriteSummary } from '../pst-writer/synth.ts';
import { flipBlockBytes } from '../pst-writer/damage.ts';

export type { PstWriteSummary };

export type StoreOptions = Partial<PstWriteOptions>;

/** Writes a small, valid Unicode store (3 folders, 6 messages unless told otherwise) to DIR/NAME. */
export function makeStore(dir: string, name: string, opts: StoreOptions = {}): PstWriteSummary & { file: string } {
  const file = join(dir, name);
  const summary = writePst(file, { format: 'unicode', encoding: 'permute', ost: false, folders: 3, messages: 6, seed: 1, ...opts });
  return { ...summary, file };
}

/**
 * Writes a store and damages the property context of its first message (its CRC no longer matches): the scanner
 * must name exactly that message. Returns the message's folder and subject.
 */
export function makeDamagedStore(dir: string, name: string, opts: StoreOptions = {}): { file: string; folder: string; subject: string } {
  const written: { bid: number; folder: string; subject: string }[] = [];
  const s = makeStore(dir, name, { ...opts, onMessage: (m) => written.push({ bid: m.bid, folder: m.folder, subject: m.subject }) });
  const victim = written.find((m) => m.folder !== '')!;
  flipBlockBytes(s.file, s.locate(victim.bid)!);
  return { file: s.file, folder: victim.folder, subject: victim.subject };
}
