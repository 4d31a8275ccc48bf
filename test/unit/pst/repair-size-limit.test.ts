import { describe, expect, it } from 'vitest';
import { OUTLOOK_DATA_LIMIT_BYTES, outlookSizeNote } from '../../../electron/pst/repair/size-limit.ts';

// A new store over Outlook's default data limit for a Unicode PST (47.5 GB) opens, but takes no new items: the
// repair says so and how to write parts Outlook can keep using.

const GiB = 1024 ** 3;

describe('Outlook size-limit note', () => {
  it('stays silent up to 47.5 GB, the limit included', () => {
    expect(OUTLOOK_DATA_LIMIT_BYTES).toBe(47.5 * GiB);
    expect(outlookSizeNote([{ path: '/x/new.pst', bytes: OUTLOOK_DATA_LIMIT_BYTES }], false)).toBeNull();
    expect(outlookSizeNote([], false)).toBeNull();
  });

  it('names an output over it and suggests parts of 20 GB', () => {
    const note = outlookSizeNote([{ path: '/x/new.pst', bytes: 55 * GiB }], false);
    expect(note).toBe(
      '/x/new.pst (55.0 GB) is over 47.5 GB, the most data Outlook 2010 and later let a PST hold by default (WarnLargeFileSize, Microsoft KB 832925): ' +
        'Outlook opens it, but adds no new items until that limit is raised. Repair again with --split-gb 20 (parts of at most 20 GB, also what a Microsoft 365 import recommends) to get parts Outlook can keep using',
    );
  });

  it('names only the split parts over it, and asks for a smaller split', () => {
    const note = outlookSizeNote([
      { path: '/x/new-1.pst', bytes: 49 * GiB },
      { path: '/x/new-2.pst', bytes: 10 * GiB },
      { path: '/x/new-3.pst', bytes: 48 * GiB },
    ], true)!;
    expect(note.startsWith('/x/new-1.pst (49.0 GB), /x/new-3.pst (48.0 GB) are over 47.5 GB')).toBe(true);
    expect(note).toContain('Outlook opens them, but adds no new items');
    expect(note).toContain('Repair again with a smaller --split-gb to get parts');
    expect(note).not.toContain('new-2.pst');
  });
});
