import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanPstPaths } from '../../../electron/pst/service.ts';
import type { PstFileResult } from '../../../electron/pst/schema.ts';
import { testContext } from '../../support/pst/context.ts';
import { breakHeaderCrc, flipBlockBytes, truncateTo } from '../../support/pst-writer/damage.ts';
import { writePst, type PstWriteSummary, type WrittenMessage } from '../../support/pst-writer/synth.ts';

// Exact damage: the writer knows which block holds which message and attachment, so these tests know the one item
// the scanner must name, and that it must name no other.

describe('exact damage on a generated store', () => {
  let dir: string;
  let clean: string;
  let s: PstWriteSummary;
  const written: WrittenMessage[] = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pstw-damage-'));
    clean = join(dir, 'clean.pst');
    s = writePst(clean, { format: 'unicode', encoding: 'permute', ost: false, folders: 3, messages: 12, attachmentKb: { min: 1, max: 3 }, attachmentsPerMessage: { min: 1, max: 2 }, seed: 21, onMessage: (m) => written.push(m) });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function scanCopy(name: string, damage: (f: string) => void): Promise<PstFileResult> {
    const f = join(dir, name);
    copyFileSync(clean, f);
    damage(f);
    return (await scanPstPaths([f], {}, testContext())).section.files[0]!;
  }

  const affects = (r: PstFileResult) => r.problems.flatMap((p) => p.affects).join('\n');

  it('a damaged message block names that message and no other', async () => {
    const victim = written[5]!;
    const r = await scanCopy('message.pst', (f) => flipBlockBytes(f, s.locate(victim.bid)!));
    expect(r.status).toBe('damaged');
    expect(r.counts.damagedItems).toBeGreaterThanOrEqual(1);
    const text = affects(r);
    expect(text).toContain(victim.subject);
    for (const m of written) if (m !== victim) expect(text).not.toContain(m.subject);
  });

  it('a damaged attachment block names that attachment of that message', async () => {
    const victim = written[8]!;
    const att = victim.attachments[0]!;
    const r = await scanCopy('attachment.pst', (f) => flipBlockBytes(f, s.locate(att.bid)!));
    expect(r.status).toBe('damaged');
    const text = affects(r);
    expect(text).toContain(att.name);
    expect(text).toContain(victim.subject);
    for (const m of written) if (m !== victim) expect(text).not.toContain(m.subject);
  });

  it('a broken header CRC and a truncated file are reported, not crashed on', async () => {
    const crc = await scanCopy('header.pst', breakHeaderCrc);
    expect(crc.status).not.toBe('ok');
    expect(crc.problems.some((p) => p.structure === 'header')).toBe(true);
    const cut = await scanCopy('truncated.pst', (f) => truncateTo(f, Math.floor(s.bytes * 0.6)));
    expect(cut.status).not.toBe('ok');
    expect(cut.problems.some((p) => /truncated/.test(p.detail))).toBe(true);
  });
});
