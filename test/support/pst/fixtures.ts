import { createHash } from 'node:crypto';
import { copyFile, mkdtemp, readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// Access to the shared, read-only PST fixtures and their expected counts (../shared/fixtures/pst/SOURCES.md).

export const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
export const FIXTURES = resolve(REPO_ROOT, '../shared/fixtures/pst');

export interface Expected {
  file: string;
  bytes: number;
  format: 'ansi' | 'unicode';
  folders: number;
  messages: number;
  /** null when SOURCES.md has no walk for the file (pst-extractor cannot open it). */
  attachments: number | null;
  damaged: boolean;
}

/**
 * Parses the fixture table. The "walk" column (pst-extractor's full walk) is the expected count; where the walk
 * could not run (ANSI files, the damaged file) the independent NBT count (folders + search folders / messages) is used.
 */
export function expectedCounts(): Expected[] {
  const md = readFileSync(join(FIXTURES, 'SOURCES.md'), 'utf8');
  const out: Expected[] = [];
  for (const line of md.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 10 || !/\.(pst|ost)$/.test(cells[1] ?? '')) continue;
    const [, file, bytes, , format, , , walk, nbt] = cells as [string, string, string, string, string, string, string, string, string];
    const w = /^(\d+) \/ (\d+) \/ (\d+)$/.exec(walk);
    const n = /^(\d+)\+(\d+)s \/ (\d+) \/ (\d+)$/.exec(nbt);
    if (!n) throw new Error(`cannot parse NBT counts for ${file}: ${nbt}`);
    out.push({
      file,
      bytes: Number(bytes),
      format: format === 'ANSI' ? 'ansi' : 'unicode',
      folders: w ? Number(w[1]) : Number(n[1]) + Number(n[2]),
      messages: w ? Number(w[2]) : Number(n[3]),
      attachments: w ? Number(w[3]) : null,
      damaged: file.includes('BADHEADERCRC'),
    });
  }
  return out;
}

export function sha256(buf: Buffer): string {
  return createHash('sha256').update(buf).digest('hex');
}

export async function sha256File(path: string): Promise<string> {
  return sha256(await readFile(path));
}

export async function tempDir(prefix = 'mailmedic-pst-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** Copies a fixture into a fresh temp dir (nothing may ever write the shared originals). */
export async function copyFixture(name: string, dir?: string): Promise<string> {
  const d = dir ?? (await tempDir());
  const p = join(d, name);
  await copyFile(join(FIXTURES, name), p);
  return p;
}
