import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { safeName } from '../../../electron/pst/salvage.ts';

describe('salvage file names', () => {
  it('never yields a path separator, a dot-only name or an over-long name', () => {
    expect(safeName('../../etc/passwd', 'x')).toBe('_.._etc_passwd');
    expect(safeName('..', 'fallback')).toBe('fallback');
    expect(safeName('  Re: Q3 budget?  ', 'x')).toBe('Re_ Q3 budget_');
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        const n = safeName(s, 'f');
        expect(n.length).toBeGreaterThan(0);
        expect(n.length).toBeLessThanOrEqual(80);
        expect(n).not.toMatch(/[/\\\0]/);
        expect(n === '.' || n === '..').toBe(false);
      }),
    );
  });
});
