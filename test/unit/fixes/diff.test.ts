import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { unifiedDiff } from '../../../electron/fixes/diff.ts';

describe('unifiedDiff', () => {
  it('shows a one-line change with two lines of context and correct hunk numbers', () => {
    const a = Buffer.from('l1\nl2\nl3\nport 25\nl5\nl6\nl7\n');
    const b = Buffer.from('l1\nl2\nl3\nport 587\nl5\nl6\nl7\n');
    expect(unifiedDiff('prefs.js', a, b)).toBe(
      ['--- prefs.js', '+++ prefs.js', '@@ -2,5 +2,5 @@', ' l2', ' l3', '-port 25', '+port 587', ' l5', ' l6'].join('\n'),
    );
  });

  it('splits far-apart changes into separate hunks and strips CR from CRLF lines', () => {
    const lines = Array.from({ length: 20 }, (_, i) => `line${i}`);
    const a = Buffer.from(lines.join('\r\n') + '\r\n');
    const b = Buffer.from(lines.map((l, i) => (i === 2 ? 'X' : l)).join('\r\n') + '\r\nadded\r\n');
    const d = unifiedDiff('f', a, b);
    expect(d.match(/^@@/gm)).toHaveLength(2);
    expect(d).toContain('-line2\n+X');
    expect(d).toContain('+added');
    expect(d).not.toContain('\r');
  });

  it('says so when nothing changes', () => {
    expect(unifiedDiff('f', Buffer.from('a\n'), Buffer.from('a\n'))).toContain('(no change)');
  });

  it('property: applying the diff\'s -/+ lines to the old lines yields the new lines', () => {
    const linesArb = fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 30 });
    fc.assert(
      fc.property(linesArb, linesArb, (x, y) => {
        const d = unifiedDiff('f', Buffer.from(x.map((l) => l + '\n').join('')), Buffer.from(y.map((l) => l + '\n').join('')), 1000);
        const body = d.split('\n').filter((l) => /^[ +-]/.test(l) && !l.startsWith('---') && !l.startsWith('+++'));
        if (body.length === 0) {
          expect(x).toEqual(y);
          return;
        }
        expect(body.filter((l) => l[0] !== '+').map((l) => l.slice(1))).toEqual(x);
        expect(body.filter((l) => l[0] !== '-').map((l) => l.slice(1))).toEqual(y);
      }),
      { numRuns: 300 },
    );
  });
});
