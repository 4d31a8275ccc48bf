import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PSTFile, type PSTFolder, type PSTMessage } from 'pst-extractor';

// The independent readers a generated store is checked against: readpst (libpst), pffexport (libpff) and
// pst-extractor. Each returns what it managed to read, so tests compare counts with what the writer wrote.

const run = promisify(execFile);
const PEER_TIMEOUT_MS = 120_000;

export function hasCommand(cmd: string): boolean {
  return spawnSync('sh', ['-c', 'command -v "$0"', cmd], { timeout: 5000 }).status === 0;
}

function walkFiles(dir: string, out: string[] = [], depth = 0): string[] {
  if (depth > 32) return out; // bounded: generated trees are a few levels deep
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walkFiles(p, out, depth + 1);
    else out.push(p);
  }
  return out;
}

export interface PeerCount {
  code: number;
  messages: number;
  attachments: number;
  stderr: string;
}

/**
 * readpst -S writes one file per message ("N") and one per attachment ("N-name"). `-j 0`: readpst 0.6.76's default
 * parallel folder jobs race on the per-folder file numbers and lose 1–2 of 1,500 messages from run to run.
 */
export async function readpstCount(file: string, outDir: string): Promise<PeerCount> {
  const r = await run('readpst', ['-q', '-j', '0', '-D', '-S', '-o', outDir, file], { timeout: PEER_TIMEOUT_MS, maxBuffer: 16 << 20 }).then(
    (x) => ({ code: 0, stderr: x.stderr }),
    (e: { code?: number; stderr?: string }) => ({ code: typeof e.code === 'number' ? e.code : -1, stderr: e.stderr ?? String(e) }),
  );
  const names = walkFiles(outDir).map((p) => p.split('/').pop()!);
  return { ...r, messages: names.filter((n) => /^\d+$/.test(n)).length, attachments: names.filter((n) => /^\d+-./.test(n)).length };
}

/** pffexport writes a MessageNNNNN directory per message with an Attachments/ directory holding the files. */
export async function pffexportCount(file: string, target: string): Promise<PeerCount & { attachmentBytes: number }> {
  const r = await run('pffexport', ['-q', '-t', target, file], { timeout: PEER_TIMEOUT_MS, maxBuffer: 16 << 20 }).then(
    (x) => ({ code: 0, stderr: x.stderr }),
    (e: { code?: number; stderr?: string }) => ({ code: typeof e.code === 'number' ? e.code : -1, stderr: e.stderr ?? String(e) }),
  );
  let messages = 0;
  let attachments = 0;
  let attachmentBytes = 0;
  const root = `${target}.export`;
  const visit = (dir: string, depth: number) => {
    if (depth > 32) return;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (!e.isDirectory()) continue;
      const p = join(dir, e.name);
      if (/^Message\d+$/.test(e.name)) messages++;
      if (e.name === 'Attachments') {
        for (const f of walkFiles(p)) {
          attachments++;
          attachmentBytes += statSync(f).size;
        }
        continue;
      }
      visit(p, depth + 1);
    }
  };
  try {
    visit(root, 0);
  } catch {
    // no export directory: the count stays 0 and the exit code tells why
  }
  return { ...r, messages, attachments, attachmentBytes };
}

/** Every attachment of a message as pst-extractor reads it: name, size and SHA-256 of its bytes. */
export function extractorAttachments(m: PSTMessage): { name: string; size: number; sha256: string }[] {
  const attachments: { name: string; size: number; sha256: string }[] = [];
  for (let i = 0; i < m.numberOfAttachments; i++) {
    const a = m.getAttachment(i);
    const h = createHash('sha256');
    let size = 0;
    const s = a.fileInputStream;
    if (s) {
      const buf = Buffer.alloc(8176);
      for (let n = s.read(buf); n > 0; n = s.read(buf)) {
        h.update(buf.subarray(0, n));
        size += n;
      }
    }
    attachments.push({ name: a.longFilename || a.filename, size, sha256: h.digest('hex') });
  }
  return attachments;
}

export interface ExtractorMessage {
  folder: string;
  subject: string;
  body: string;
  bodyHtml: string;
  recipients: string[];
  attachments: { name: string; size: number; sha256: string }[];
}

export interface ExtractorWalk {
  folders: number;
  messages: ExtractorMessage[];
}

/** Walks every folder and message with pst-extractor, reading every attachment stream to the end. */
export function extractorWalk(file: string): ExtractorWalk {
  const pst = new PSTFile(file);
  try {
    const messages: ExtractorMessage[] = [];
    let folders = 0;
    const visit = (f: PSTFolder, path: string, depth: number) => {
      folders++;
      if (depth > 32) return;
      // Paths are relative to the IPM subtree (depth 1), as the writer reports them.
      const childPath = (name: string) => (depth === 0 ? '' : path ? `${path}/${name}` : name);
      if (f.hasSubfolders) for (const c of f.getSubFolders()) visit(c, childPath(c.displayName), depth + 1);
      if (f.contentCount === 0) return;
      for (let m = f.getNextChild() as PSTMessage | null, guard = 0; m && guard < 1_000_000; m = f.getNextChild() as PSTMessage | null, guard++) {
        const attachments = extractorAttachments(m);
        const recipients: string[] = [];
        for (let i = 0; i < m.numberOfRecipients; i++) {
          const r = m.getRecipient(i);
          if (r) recipients.push(r.smtpAddress || r.emailAddress);
        }
        messages.push({ folder: path, subject: m.subject, body: m.body, bodyHtml: m.bodyHTML, recipients, attachments });
      }
    };
    visit(pst.getRootFolder(), '', 0);
    return { folders, messages };
  } finally {
    pst.close();
  }
}
