import { describe, expect, it } from 'vitest';
import { csvField, sectionToCsv, sectionToHtml } from '../../../electron/pst/export.ts';
import { ANSI_WARN_BYTES, pstFindings } from '../../../electron/pst/findings.ts';
import type { PstFileResult } from '../../../electron/pst/schema.ts';

function file(over: Partial<PstFileResult>): PstFileResult {
  return {
    path: '/data/a.pst', bytes: 271360, format: 'unicode', kind: 'pst', encryption: 'permute', passwordProtected: false, status: 'ok',
    counts: { folders: 6, messages: 2, attachments: 1, damagedItems: 0 }, problems: [], ...over,
  };
}

const damaged = file({
  path: '/data/b,"q".pst',
  status: 'damaged',
  counts: { folders: 6, messages: 2, attachments: 1, damagedItems: 1 },
  problems: [{ structure: 'block', offset: 0xba00, bid: '0x150', nid: null, detail: 'block CRC mismatch', severity: 'error', affects: ["Inbox/'=HYPERLINK(1)' (2024-03-12): attachment 'plan.xlsx'"] }],
});

describe('CSV/HTML writers', () => {
  it('quotes per RFC 4180 and defuses spreadsheet formulas', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(csvField(-3)).toBe('-3');
    const csv = sectionToCsv({ files: [file({}), damaged] });
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('path,bytes,format,kind,encryption,passwordProtected,status,folders,messages,attachments,damagedItems,problems,firstProblem,affects');
    expect(lines[1]).toBe('/data/a.pst,271360,unicode,pst,permute,false,ok,6,2,1,0,0,,');
    expect(lines[2]).toContain('"/data/b,""q"".pst"');
    expect(lines[2]).toContain('block: block CRC mismatch');
  });

  it('HTML is escaped and self-contained', () => {
    const html = sectionToHtml({ files: [file({ path: '/x/<script>alert(1)</script>.pst' }), damaged] });
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('attachment &#39;plan.xlsx&#39;');
    expect(html).not.toMatch(/<(script|link|img)\b/);
  });
});

describe('migration summary findings', () => {
  it('names damaged, ANSI-near-limit, OST and password-protected stores', () => {
    const f = pstFindings([
      file({}),
      damaged,
      file({ path: '/big.pst', format: 'ansi', bytes: ANSI_WARN_BYTES + 1 }),
      file({ path: '/c.ost', kind: 'ost' }),
      file({ path: '/p.pst', passwordProtected: true }),
    ]);
    const ids = f.map((x) => x.id);
    expect(ids).toEqual(['pst.summary', 'pst.damaged', 'pst.ansi-size-limit', 'pst.ost', 'pst.password-protected']);
    expect(f[0]!.evidence).toMatchObject({ files: 5, messages: 10, damagedItems: 1 });
    expect(f[1]!.evidence.path).toBe('/data/b,"q".pst');
    expect(pstFindings([file({ format: 'ansi', bytes: 1024 })]).map((x) => x.id)).toEqual(['pst.summary']);
  });
});
