import { describe, expect, it } from 'vitest';
import { fileReasons, FOLDER_DEPTH_LIMIT, inUseReason, ITEM_LIMIT_BYTES, sortReasons, verdictOf, type FileFacts } from '../../../electron/pst/migration/rules.ts';
import { fileOwnerSource, isAddress, pickOwner, storeOwnerSources } from '../../../electron/pst/migration/owner.ts';
import { parseLsof } from '../../../electron/pst/migration/in-use.ts';
import { parsePasswd } from '../../../electron/pst/migration/disk-owner.ts';
import { readinessHtml } from '../../../electron/pst/migration/html.ts';
import type { PstInventory } from '../../../electron/pst/migration/schema.ts';
import type { PstFileResult } from '../../../electron/pst/schema.ts';

// The Microsoft 365 import rules and the owner guess as pure functions: boundaries and wording on made-up results
// (the real stores that show each rule are in test/integration/pst/migration.test.ts).

const GiB = 1024 ** 3;

function result(over: Partial<PstFileResult> = {}): PstFileResult {
  return {
    path: '/share/jane/archive.pst', bytes: 271360, format: 'unicode', kind: 'pst', encryption: 'permute', passwordProtected: false, status: 'ok',
    counts: { folders: 6, messages: 2, attachments: 1, damagedItems: 0 }, problems: [], ...over,
  };
}

function inventory(over: Partial<PstInventory> = {}): PstInventory {
  return { displayName: 'Personal Folders', codepage: null, maxFolderDepth: 2, deepestFolder: 'Top/Inbox/x', largestItemBytes: 1000, sentItems: { folder: null, messages: 0, senders: [] }, ...over };
}

function facts(over: Partial<FileFacts> = {}, inv: Partial<PstInventory> = {}): FileFacts {
  return { inventory: inventory(inv), largeItems: [], largeItemCount: 0, damagedItems: [], ...over };
}

const rules = (r: PstFileResult, f: FileFacts | null = facts()) => fileReasons(r, f).map((x) => x.rule);

describe('per-file rules', () => {
  it('a healthy Unicode PST is ready', () => {
    expect(fileReasons(result(), facts())).toEqual([]);
    expect(verdictOf([])).toBe('ready');
  });

  it('unreadable and OST block; an unreadable OST gets both reasons, blocking first', () => {
    expect(rules(result({ status: 'unreadable', error: 'not a PST' }), null)).toEqual(['unreadable']);
    expect(rules(result({ kind: 'ost' }))).toEqual(['ost']);
    const both = fileReasons(result({ kind: 'ost', status: 'unreadable' }), null);
    expect(both.map((r) => r.rule)).toEqual(['unreadable', 'ost']);
    expect(both[1]!.detail).toMatch(/pst repair/);
    expect(verdictOf(both)).toBe('blocked');
  });

  it(`folder depth: ${FOLDER_DEPTH_LIMIT - 1} levels pass, ${FOLDER_DEPTH_LIMIT} block, with the deepest path`, () => {
    expect(rules(result(), facts({}, { maxFolderDepth: FOLDER_DEPTH_LIMIT - 1 }))).toEqual([]);
    const deep = fileReasons(result(), facts({}, { maxFolderDepth: FOLDER_DEPTH_LIMIT, deepestFolder: 'Top/' + 'a/'.repeat(300) + 'last' }));
    expect(deep[0]).toMatchObject({ rule: 'folder-depth', evidence: { depth: 300, limit: 300 } });
    expect(deep[0]!.detail).toMatch(/…\/.*a\/last\. Move/);
    expect(deep[0]!.detail.length).toBeLessThan(400);
  });

  it('password, damaged items (with folders and subjects), damaged structures and large items need attention', () => {
    expect(rules(result({ passwordProtected: true }))).toEqual(['password']);
    const damaged = fileReasons(result({ status: 'damaged', counts: { folders: 6, messages: 2, attachments: 1, damagedItems: 2 } }), facts({ damagedItems: [{ folder: 'Inbox', subject: 'Q3' }, { folder: 'Old', subject: null }] }));
    expect(damaged[0]).toMatchObject({ rule: 'damaged-items', items: [{ folder: 'Inbox', subject: 'Q3' }, { folder: 'Old', subject: null }], evidence: { count: 2 } });
    const structure = fileReasons(result({ status: 'damaged', problems: [{ structure: 'amap', offset: 0, detail: 'AMap page CRC mismatch', severity: 'error', affects: [] }] }), facts());
    expect(structure[0]).toMatchObject({ rule: 'damaged-structure' });
    expect(structure[0]!.detail).toMatch(/AMap page CRC mismatch/);
    const big = fileReasons(result(), facts({ largeItems: [{ folder: 'Inbox', subject: 'video', bytes: ITEM_LIMIT_BYTES + 1 }], largeItemCount: 1 }));
    expect(big[0]).toMatchObject({ rule: 'item-over-150mb', items: [{ folder: 'Inbox', subject: 'video', bytes: ITEM_LIMIT_BYTES + 1 }] });
    expect(verdictOf(big)).toBe('needs-attention');
  });

  it('over 20 GB: a split plan in parts of 20 GB or less', () => {
    expect(rules(result({ bytes: 20 * GiB }))).toEqual([]);
    const r = fileReasons(result({ bytes: 45 * GiB }), facts())[0]!;
    expect(r).toMatchObject({ rule: 'file-over-20gb', evidence: { parts: 3 } });
    expect(r.detail).toMatch(/into 3 PSTs of 20 GB or less/);
  });

  it('ANSI: the code page found, the ContentCodePage for double-byte ones, the ~1.93 GB ceiling when near it', () => {
    const sjis = fileReasons(result({ format: 'ansi' }), facts({}, { codepage: 932 }))[0]!;
    expect(sjis).toMatchObject({ rule: 'ansi', evidence: { codepage: 932, contentCodePage: 932, nearCeiling: false } });
    expect(sjis.detail).toMatch(/Japanese.*932.*ContentCodePage 932/);
    const west = fileReasons(result({ format: 'ansi', bytes: 1.85 * GiB }), facts({}, { codepage: 1252 }))[0]!;
    expect(west).toMatchObject({ evidence: { codepage: 1252, contentCodePage: null, nearCeiling: true } });
    expect(west.detail).toMatch(/ContentCodePage stays empty.*1\.93 GB/);
    expect(fileReasons(result({ format: 'ansi' }), facts({}, { codepage: null }))[0]!.detail).toMatch(/1252 assumed/);
  });

  it('in-use names the holder; reasons sort blocking first', () => {
    const r = inUseReason([{ pid: 42, name: 'OUTLOOK.EXE' }]);
    expect(r.detail).toMatch(/OUTLOOK\.EXE \(pid 42\)/);
    expect(sortReasons([{ rule: 'password', detail: '' }, r, { rule: 'unreadable', detail: '' }]).map((x) => x.rule)).toEqual(['unreadable', 'in-use', 'password']);
  });
});

describe('owner guess', () => {
  it('Sent Items: high when most mail there comes from one address, low when it is spread', () => {
    const sure = storeOwnerSources(inventory({ sentItems: { folder: 'Top/Sent Items', messages: 10, senders: [{ address: 'jane@contoso.com', messages: 9 }] } }));
    expect(sure).toEqual([expect.objectContaining({ source: 'sent-items', value: 'jane@contoso.com', address: true, confidence: 'high' })]);
    const spread = storeOwnerSources(inventory({ sentItems: { folder: 'Sent', messages: 3, senders: [{ address: 'a@x.org', messages: 1 }] } }));
    expect(spread[0]!.confidence).toBe('low');
  });

  it('display names: generic ones say nothing, an address is medium, a name low', () => {
    expect(storeOwnerSources(inventory({ displayName: 'Outlook Data File' }))).toEqual([]);
    expect(storeOwnerSources(inventory({ displayName: 'Personal Folders' }))).toEqual([]);
    expect(storeOwnerSources(inventory({ displayName: 'Jane@Contoso.com' }))[0]).toMatchObject({ value: 'jane@contoso.com', address: true, confidence: 'medium' });
    expect(storeOwnerSources(inventory({ displayName: '山田太郎のメール' }))[0]).toMatchObject({ address: false, confidence: 'low' });
  });

  it('disk owners: system and administrator accounts are nobody', () => {
    for (const o of ['root', 'BUILTIN\\Administrators', 'NT AUTHORITY\\SYSTEM', 'S-1-5-21-1-2-3-1001', '1001', null]) expect(fileOwnerSource(o)).toBeNull();
    expect(fileOwnerSource('CONTOSO\\jane')).toMatchObject({ source: 'file-owner', value: 'CONTOSO\\jane', confidence: 'low', address: false });
  });

  it('the guess: the most confident address, profile first on ties, less sure when sources disagree; none → ownerless', () => {
    expect(pickOwner([])).toEqual({ guess: null, confidence: null, sources: [] });
    const profile = { source: 'outlook-profile' as const, value: 'jane@contoso.com', address: true, confidence: 'high' as const, evidence: '' };
    const sent = { source: 'sent-items' as const, value: 'jane@contoso.com', address: true, confidence: 'high' as const, evidence: '' };
    const disk = { source: 'file-owner' as const, value: 'CONTOSO\\jane', address: false, confidence: 'low' as const, evidence: '' };
    expect(pickOwner([disk, sent, profile])).toMatchObject({ guess: 'jane@contoso.com', confidence: 'high' });
    expect(pickOwner([disk, sent, profile]).sources[0]!.source).toBe('outlook-profile');
    expect(pickOwner([profile, { ...sent, value: 'boss@contoso.com' }])).toMatchObject({ guess: 'jane@contoso.com', confidence: 'medium' });
    expect(pickOwner([disk])).toMatchObject({ guess: 'CONTOSO\\jane', confidence: 'low' });
  });

  it('addresses', () => {
    for (const a of ['jane@contoso.com', 'j.o-e+x@mail.example.co.uk']) expect(isAddress(a)).toBe(true);
    for (const a of ['jane', 'jane@', '@x.com', 'jane@localhost', 'a b@x.com', 'x@y.', 'CONTOSO\\jane@x.com']) expect(isAddress(a)).toBe(false);
  });
});

describe('probes and reports', () => {
  it('parses lsof -F pcn and passwd', () => {
    const m = parseLsof('p123\ncOUTLOOK\nn/share/a.pst\nn/share/b.pst\np9\ncrsync\nn/share/a.pst\n');
    expect(m.get('/share/a.pst')).toEqual([{ pid: 123, name: 'OUTLOOK' }, { pid: 9, name: 'rsync' }]);
    expect(parsePasswd('root:x:0:0::/root:/bin/sh\njane:x:1000:1000::/home/jane:/bin/sh\n# junk\n').get(1000)).toBe('jane');
  });

  it('the HTML readiness table is escaped, coloured by verdict, and absent without a readiness scan', () => {
    const f = result({ path: '/x/<b>.pst' });
    f.migration = { verdict: 'blocked', reasons: [inUseReason([{ pid: 1, name: '<script>' }])], owner: { guess: null, confidence: null, sources: [] } };
    const html = readinessHtml({ files: [f] });
    expect(html).toContain('<tr class="blocked"><td class="verdict">blocked</td><td>/x/&lt;b&gt;.pst</td>');
    expect(html).not.toContain('<script>');
    expect(readinessHtml({ files: [result()] })).toBe('');
  });
});
