import { createHash } from 'node:crypto';
import { PSTFile, type PSTFolder } from 'pst-extractor';

// Independent oracle for salvage tests: pst-extractor (works on intact Unicode stores) lists every message's
// subject and the SHA-256 of every by-value attachment.

export interface PeerMessage {
  subject: string;
  attachmentHashes: string[];
}

export function peerWalk(path: string): PeerMessage[] {
  const file = new PSTFile(path);
  const out: PeerMessage[] = [];
  const visit = (folder: PSTFolder, depth: number) => {
    if (depth > 32) return;
    if (folder.contentCount > 0) {
      for (let m = folder.getNextChild(); m; m = folder.getNextChild()) {
        const hashes: string[] = [];
        for (let i = 0; i < m.numberOfAttachments; i++) {
          const a = m.getAttachment(i);
          const s = a.fileInputStream;
          // message/* parts (delivery reports) are folded into the body by mailparser, so they are compared elsewhere.
          if (a.attachMethod !== 1 || !s || a.mimeTag.startsWith('message/')) continue;
          const buf = Buffer.alloc(s.length.toNumber());
          s.readCompletely(buf);
          hashes.push(createHash('sha256').update(buf).digest('hex'));
        }
        out.push({ subject: m.subject, attachmentHashes: hashes });
      }
    }
    if (folder.hasSubfolders) for (const c of folder.getSubFolders()) visit(c, depth + 1);
  };
  visit(file.getRootFolder(), 0);
  file.close();
  return out;
}
