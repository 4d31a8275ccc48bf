import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanPstPaths } from '../../../electron/pst/service.ts';
import { PstSection } from '../../../electron/pst/schema.ts';
import { expectedCounts, FIXTURES, sha256 } from '../../support/pst/fixtures.ts';
import { testContext } from '../../support/pst/context.ts';

// All 23 real fixtures: intact ones scan ok with SOURCES.md's counts, the naturally damaged one is damaged but its
// node B-tree (folders) is still read; the scan never writes the inputs.

const expected = expectedCounts();

describe('scan of the shared fixtures', () => {
  it('knows all 23 fixtures', () => {
    expect(expected).toHaveLength(23);
  });

  for (const e of expected) {
    it(`${e.file}: ${e.damaged ? 'damaged, NBT still read' : `ok with ${e.folders} folders / ${e.messages} messages`}`, async () => {
      const path = join(FIXTURES, e.file);
      const before = sha256(await readFile(path));
      const { section, findings } = await scanPstPaths([path], {}, testContext());
      expect(PstSection.parse(section)).toEqual(section);
      const [f] = section.files;
      expect(f).toBeDefined();
      expect(f!.bytes).toBe(e.bytes);
      expect(f!.format).toBe(e.format);
      expect(f!.encryption).toBe('permute');
      if (e.damaged) {
        expect(f!.status).toBe('damaged');
        expect(f!.problems.some((p) => p.structure === 'header' && /CRC/.test(p.detail))).toBe(true);
        expect(f!.problems.some((p) => p.structure === 'bbt-page')).toBe(true);
        // SOURCES.md: the NBT holds 5 folders + 1 search folder, all still reachable through recovered blocks.
        expect(f!.counts.folders).toBe(e.folders);
        expect(findings.some((x) => x.id === 'pst.damaged')).toBe(true);
      } else {
        expect(f!.problems.filter((p) => p.severity === 'error')).toEqual([]);
        expect(f!.status).toBe('ok');
        expect(f!.counts.folders).toBe(e.folders);
        expect(f!.counts.messages).toBe(e.messages);
        if (e.attachments !== null) expect(f!.counts.attachments).toBe(e.attachments);
        expect(f!.counts.damagedItems).toBe(0);
      }
      expect(sha256(await readFile(path))).toBe(before);
    });
  }

  it('flags the OST and the password-protected stores in the migration summary', async () => {
    const { section, findings } = await scanPstPaths([FIXTURES], {}, testContext());
    expect(section.files).toHaveLength(23);
    const ost = section.files.find((f) => f.path.endsWith('.ost'));
    expect(ost?.kind).toBe('ost');
    expect(ost?.passwordProtected).toBe(false);
    const pw = section.files.filter((f) => f.passwordProtected).map((f) => f.path.split('/').pop());
    expect(pw).toEqual(expect.arrayContaining(['aspose-passwordprotectedPST.pst', 'javalibpst-passworded.pst', 'pstsdk-test_ansi.pst']));
    expect(findings.map((f) => f.id)).toEqual(expect.arrayContaining(['pst.summary', 'pst.ost', 'pst.password-protected', 'pst.damaged']));
    const summary = findings.find((f) => f.id === 'pst.summary')!;
    expect(summary.evidence.files).toBe(23);
  });
});
