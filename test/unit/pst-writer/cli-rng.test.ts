import { describe, expect, it } from 'vitest';
import { parseCli } from '../../../test/support/pst-writer/cli.ts';
import { Rng } from '../../../test/support/pst-writer/rng.ts';

describe('gen-pst argument parsing', () => {
  it('parses the documented options', () => {
    const { out, opts } = parseCli(['--format', 'ansi', '--encoding', 'cyclic', '--folders', '7', '--messages', '120', '--attachment-kb', '4-64', '--seed', '42', '--out', '/tmp/x.pst']);
    expect(out).toBe('/tmp/x.pst');
    expect(opts).toEqual({ format: 'ansi', encoding: 'cyclic', ost: false, compress: false, folders: 7, messages: 120, attachmentKb: { min: 4, max: 64 }, seed: 42 });
  });

  it('writes the OST flavour with --ost and no attachments without --attachment-kb', () => {
    const { opts } = parseCli(['--format', 'unicode4k', '--ost', '--out', 'a.ost']);
    expect(opts.ost).toBe(true);
    expect(opts.compress).toBe(false);
    expect(opts.attachmentKb).toBeNull();
    expect(parseCli(['--format', 'unicode4k', '--compress', '--out', 'a.ost']).opts.compress).toBe(true);
  });

  it.each([
    [['--format', 'utf8', '--out', 'x'], /--format must be ansi, unicode or unicode4k/],
    [['--encoding', 'rot13', '--out', 'x'], /--encoding must be none, permute or cyclic/],
    [['--messages', '3.5', '--out', 'x'], /--messages must be an integer/],
    [['--folders', '99999', '--out', 'x'], /--folders must be an integer from 0 to 10000/],
    [['--attachment-kb', '64-4', '--out', 'x'], /--attachment-kb must be MIN-MAX/],
    [['--folders', '2'], /--out FILE is required/],
    [['--format', 'unicode', '--compress', '--out', 'x'], /--compress needs --format unicode4k/],
    [['--bogus', '1', '--out', 'x'], /bogus/],
  ])('rejects %j with a clear message', (args, msg) => {
    expect(() => parseCli(args)).toThrow(msg);
  });
});

describe('Rng', () => {
  it('is a pure function of its seed', () => {
    const a = new Rng(7);
    const b = new Rng(7);
    const seqA = Array.from({ length: 1000 }, () => a.u32());
    expect(Array.from({ length: 1000 }, () => b.u32())).toEqual(seqA);
    expect(new Set(seqA).size).toBeGreaterThan(990);
    const c = new Rng(8);
    expect(Array.from({ length: 10 }, () => c.u32())).not.toEqual(seqA.slice(0, 10));
  });

  it('keeps int() within bounds', () => {
    const r = new Rng(1);
    for (let i = 0; i < 10_000; i++) {
      const v = r.int(3, 9);
      expect(v).toBeGreaterThanOrEqual(3);
      expect(v).toBeLessThanOrEqual(9);
    }
  });
});
