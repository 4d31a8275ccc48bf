import { describe, expect, it } from 'vitest';
import { ANSI, UNICODE, UNICODE4K } from '../../../electron/pst/layout.ts';
import { mapPageCount, mapPagesOf } from '../../../electron/pst/map-pages.ts';

// Placement of the allocation-map pages ([MS-PST] 2.2.2.7.2–2.2.2.7.6), shared by the scanner and the PST writer.

const region = (r: number) => 0x4400 + r * 253_952;
const names = (l: typeof UNICODE, r: number) => mapPagesOf(l, r).map((p) => `${p.name}@+${p.ib - region(r)}`);

describe('map pages of an AMap region', () => {
  it('puts the AMap first and a PMap after it in every eighth region (first PMap at 0x4600)', () => {
    expect(names(UNICODE, 0)).toEqual(['AMap@+0', 'PMap@+512']);
    expect(mapPagesOf(UNICODE, 0)[1]!.ib).toBe(0x4600);
    expect(names(UNICODE, 1)).toEqual(['AMap@+0']);
    expect(names(UNICODE, 8)).toEqual(['AMap@+0', 'PMap@+512']);
  });

  it('places FMaps after the 128 AMaps the header covers, then every 496 AMaps', () => {
    expect(names(UNICODE, 127)).toEqual(['AMap@+0']);
    expect(names(UNICODE, 128)).toEqual(['AMap@+0', 'PMap@+512', 'FMap@+1024']);
    expect(mapPagesOf(UNICODE, 128)[2]!.ib).toBe(0x4800 + 253_952 * 128);
    expect(names(UNICODE, 128 + 496)).toEqual(['AMap@+0', 'PMap@+512', 'FMap@+1024']);
    expect(names(UNICODE, 129 + 496)).toEqual(['AMap@+0']);
  });

  it('places FPMaps after the 1,024 PMaps (2 GB) the header covers, never in an FMap region', () => {
    expect(names(UNICODE, 8192)).toEqual(['AMap@+0', 'PMap@+512', 'FPMap@+1024']);
    expect(names(UNICODE, 8192 + 31_744)).toEqual(['AMap@+0', 'PMap@+512', 'FPMap@+1024']);
    const differ: number[] = [];
    for (let r = 0; r < 50_000; r++) if (mapPageCount(UNICODE, r) !== mapPagesOf(UNICODE, r).length) differ.push(r);
    expect(differ).toEqual([]);
  });

  it('uses the same rule for ANSI stores and only AMaps for the 4K format', () => {
    expect(names(ANSI, 128)).toEqual(['AMap@+0', 'PMap@+512', 'FMap@+1024']);
    expect(mapPagesOf(UNICODE4K, 128).map((p) => p.name)).toEqual(['AMap']);
    expect(mapPageCount(UNICODE4K, 0)).toBe(1);
  });
});
