import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repairPst } from '../../../electron/pst/repair.ts';
import { scanFile } from '../../../electron/pst/scan-file.ts';
import { expectedCounts, FIXTURES, sha256File, tempDir } from '../../support/pst/fixtures.ts';
import { compareObjects, peerKey, peerWalk, snapshot } from '../../support/pst/repair-check.ts';
import { hasCommand, pffexportCount, readpstCount } from '../../support/pst-writer/peers.ts';

// Round trip on every shared fixture: the repaired store scans clean with MailMedic's own checks, readpst, pffexport
// and pst-extractor open it and read what they read in the source, and every property of every folder, message, FAI,
// recipient and attachment of the source is in the new store with the same value (named properties by name).
// Real Outlook cannot run here: these three readers plus the scanner are the proof that the store is sound.

const HAS_READPST = hasCommand('readpst');
const HAS_PFFEXPORT = hasCommand('pffexport');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const clean = (s: string) => (s.charCodeAt(0) === 1 ? s.slice(2) : s);

describe.each(expectedCounts().map((e) => [e.file, e] as const))('repair %s', (file, expected) => {
  it('writes a new store that every reader opens, with every item and property of the source', async () => {
    const source = join(FIXTURES, file);
    const before = await sha256File(source);
    const dir = await tempDir('mailmedic-repair-');
    dirs.push(dir);
    const out = join(dir, 'repaired.pst');
    const scan = await scanFile(source);
    const r = await repairPst(source, { out });

    // The source is untouched; one output, at the name asked for.
    expect(await sha256File(source)).toBe(before);
    expect(r.outputs.map((o) => o.path)).toEqual([out]);
    const readable = scan.walk!.messages.filter((m) => m.readable).length;
    expect(r.counts).toEqual({ kept: readable, partial: 0, recovered: 0, lost: 0 });
    if (!expected.damaged) expect(readable).toBe(expected.messages);

    // MailMedic's own full scan of the output: ok, no problem at all, the same items.
    const check = await scanFile(out);
    expect(check.result.problems.filter((p) => p.severity !== 'info')).toEqual([]);
    expect(check.result.status).toBe('ok');
    expect(check.result.format).toBe('unicode');
    expect(check.result.kind).toBe('pst');
    expect(check.result.encryption).toBe('permute');
    expect(check.result.counts.messages).toBe(readable);
    expect(check.result.counts.attachments).toBe(scan.result.counts.attachments);

    // Property level: every source object (by NID) and every property of it, named ones by name.
    const a = await snapshot(source);
    const b = await snapshot(out);
    for (const [nid, obj] of a.objects) {
      const copy = b.objects.get(nid);
      expect(copy, `object 0x${nid.toString(16)}`).toBeDefined();
      expect(compareObjects(obj, copy!, { folder: (nid & 0x1f) === 0x02, ost: a.kind === 'ost' })).toEqual([]);
    }

    // The peers: they open the new store, and read what they read in the source (the damaged fixture, which no
    // peer can open, only needs to open).
    if (HAS_READPST) {
      const got = await readpstCount(out, mkdir(dir, 'readpst-out'));
      expect(got.code, got.stderr).toBe(0);
      const was = await readpstCount(source, mkdir(dir, 'readpst-src'));
      if (was.code === 0) expect([got.messages, got.attachments]).toEqual([was.messages, was.attachments]);
    }
    if (HAS_PFFEXPORT) {
      const got = await pffexportCount(out, join(dir, 'pff-out'));
      expect(got.code, got.stderr).toBe(0);
      const was = await pffexportCount(source, join(dir, 'pff-src'));
      if (was.code === 0) expect([got.messages, got.attachments, got.attachmentBytes]).toEqual([was.messages, was.attachments, was.attachmentBytes]);
    }
    const peer = peerWalk(out);
    expect(peer).toHaveLength(readable);
    if (expected.format === 'unicode' && !expected.damaged) {
      // Subject, plain and HTML text, recipients, attachment names and SHA-256 of every message, as in the source.
      expect(peer.map(peerKey).sort()).toEqual(peerWalk(source).map(peerKey).sort());
    } else {
      // pst-extractor opens no ANSI store: the source side comes from the property snapshot.
      const text = (o: { props: Map<string, string> }, k: string) => o.props.get(k)?.replace(/^str:/, '') ?? '';
      const srcMessages = [...a.objects].filter(([nid]) => (nid & 0x1f) === 0x04).map(([, o]) => o);
      expect(peer.map((m) => [m.subject, m.body]).sort()).toEqual(srcMessages.map((o) => [clean(text(o, '0x0037')), text(o, '0x1000')]).sort());
    }
  });
});

function mkdir(dir: string, name: string): string {
  const p = join(dir, name);
  mkdirSync(p);
  return p;
}
