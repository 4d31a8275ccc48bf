import { describe, expect, it } from 'vitest';
import { parseMailboxMap, ruleFor } from '../../../electron/engine/migration/mailbox-map.ts';
import { IMPORT_CSV_COLUMNS, importNames, importRow, nameClashes, relativeFolder, splitImportCsv } from '../../../electron/engine/migration/plan.ts';
import { profileOwners } from '../../../electron/engine/migration/owners.ts';
import { rollUpMigration } from '../../../electron/engine/migration/fleet.ts';
import type { PstFileResult } from '../../../electron/pst/schema.ts';
import type { Account } from '../../../electron/clients/schema.ts';
import { parseCsv } from '../../support/pst/csv.ts';

// The import plan and the mailbox map as pure functions. The CLI run on real stores is in
// test/integration/pst/migration.test.ts.

const file = (path: string, over: Partial<PstFileResult> = {}): PstFileResult => ({
  path, bytes: 1000, format: 'unicode', kind: 'pst', encryption: 'permute', passwordProtected: false, status: 'ok',
  counts: { folders: 1, messages: 1, attachments: 0, damagedItems: 0 }, problems: [], ...over,
});

describe('mailbox map', () => {
  it('reads paths, folder prefixes, file names and segments; header, comments, quotes and ; separators', () => {
    const rules = parseMailboxMap(
      '\uFEFFpath,mailbox\r\n# IT share\r\n/share/users/jane,Jane@Contoso.com\r\n"/share/users/jane/old, 2019.pst";old@contoso.com\r\narchive.pst,archive@contoso.com\r\nteam/x\tteam@contoso.com\r\n\r\nC:\\PST\\Bob\\,bob@contoso.com\r\n',
      'map.csv',
    );
    expect(rules.map((r) => [r.line, r.kind, r.mailbox])).toEqual([
      [3, 'path', 'jane@contoso.com'], [4, 'path', 'old@contoso.com'], [5, 'name', 'archive@contoso.com'], [6, 'segments', 'team@contoso.com'], [8, 'path', 'bob@contoso.com'],
    ]);
    const to = (p: string, caseless = false) => ruleFor(p, rules, caseless)?.mailbox ?? null;
    expect(to('/share/users/jane/a.pst')).toBe('jane@contoso.com');
    expect(to('/share/users/jane/old, 2019.pst')).toBe('old@contoso.com'); // the exact file beats the folder
    expect(to('/share/users/jane/archive.pst')).toBe('archive@contoso.com'); // a file-name rule beats a folder
    expect(to('/share/users/janet/a.pst')).toBeNull(); // folders match whole segments only
    expect(to('/mnt/team/x/y.pst')).toBe('team@contoso.com');
    expect(to('c:/pst/bob/2020/a.pst')).toBe('bob@contoso.com'); // Windows paths: any case, any slash
    expect(to('/SHARE/users/jane/a.pst')).toBeNull();
    expect(to('/SHARE/users/jane/a.pst', true)).toBe('jane@contoso.com');
  });

  it('a bad line is a usage error with its line number', () => {
    expect(() => parseMailboxMap('a.pst,a@x.com\nb.pst,not-an-address\n', 'm.csv')).toThrow(/m\.csv, line 2: mailbox "not-an-address" is not an e-mail address/);
    expect(() => parseMailboxMap('# c\n\nonly-one-field\n', 'm.csv')).toThrow(/line 3: expected "path or file name,mailbox"/);
    expect(() => parseMailboxMap('a.pst,a@x.com\n"open,b@x.com\n', 'm.csv')).toThrow(/line 2: a quote is not closed/);
    expect(() => parseMailboxMap('a.pst,a@x.com,extra\n', 'm.csv')).toThrow(/line 1: more than two fields/);
    expect(() => parseMailboxMap('a.pst,a@x.com\nPK\u0003\u0004\0\0,\n', 'm.csv')).toThrow(/line 2: not a text file/);
  });
});

describe('import plan', () => {
  const files = [
    file('/share/jane/archive.pst'), file('/share/bob/Archive.pst'), file('/share/ann/archive.pst'),
    file('/share/bob-archive.pst'), file('/share/x/mail.pst', { format: 'ansi', inventory: { displayName: null, codepage: 936, maxFolderDepth: 1, deepestFolder: null, largestItemBytes: 0, sentItems: { folder: null, messages: 0, senders: [] } } }),
  ];

  it('names clash case-insensitively; the first path keeps its name, the others get their folder in front, numbered if taken', () => {
    expect([...nameClashes(files).values()]).toEqual([['/share/jane/archive.pst', '/share/bob/Archive.pst', '/share/ann/archive.pst']]);
    const names = importNames(files);
    expect(Object.fromEntries(names)).toEqual({
      '/share/ann/archive.pst': 'archive.pst',
      '/share/bob/Archive.pst': 'Archive (2).pst', // "bob-Archive.pst" is taken by /share/bob-archive.pst (any case)
      '/share/jane/archive.pst': 'jane-archive.pst',
      '/share/bob-archive.pst': 'bob-archive.pst',
      '/share/x/mail.pst': 'mail.pst',
    });
    expect(new Set([...names.values()].map((n) => n.toLowerCase())).size).toBe(files.length);
  });

  it('rows: Microsoft columns, Exchange, FilePath below the scanned folder, ContentCodePage for double-byte ANSI stores', () => {
    expect(relativeFolder('/share/x/y/mail.pst', ['/share', '/share/x'])).toBe('y');
    expect(relativeFolder('/elsewhere/mail.pst', ['/share'])).toBe('');
    expect(importRow(files[4]!, 'mail.pst', 'x', 'li@contoso.com')).toEqual({
      Workload: 'Exchange', FilePath: 'x', Name: 'mail.pst', Mailbox: 'li@contoso.com', IsArchive: 'FALSE', TargetRootFolder: '', ContentCodePage: '936',
      SPFileContainer: '', SPManifestContainer: '', SPSiteUrl: '',
    });
  });

  it('splits at 500 rows; every part parses back with the column set and the names stay unique across parts', () => {
    const row = (i: number) => importRow(file(`/s/f${i}.pst`), i === 7 ? '-odd, "name".pst' : `f${i}.pst`, '', `u${i}@contoso.com`);
    expect(splitImportCsv('/out/plan.csv', [row(1)]).map((p) => p.file)).toEqual(['/out/plan.csv']);
    for (const n of [500, 501, 1001]) {
      const parts = splitImportCsv('/out/plan.csv', Array.from({ length: n }, (_, i) => row(i)));
      expect(parts.map((p) => p.rows)).toEqual(n === 500 ? [500] : n === 501 ? [500, 1] : [500, 500, 1]);
      if (n > 500) expect(parts.map((p) => p.file)).toEqual(parts.map((_, i) => `/out/plan-${i + 1}.csv`));
      const names: string[] = [];
      for (const p of parts) {
        const [header, ...rows] = parseCsv(p.text);
        expect(header).toEqual([...IMPORT_CSV_COLUMNS]);
        expect(rows.length).toBeLessThanOrEqual(500);
        for (const r of rows) expect(r).toHaveLength(IMPORT_CSV_COLUMNS.length);
        names.push(...rows.map((r) => r[2]!));
      }
      expect(new Set(names).size).toBe(n);
      // Names are never altered (no spreadsheet-formula prefix): they must match the uploaded files.
      expect(names).toContain('-odd, "name".pst');
    }
  });
});

describe('owners from mail profiles', () => {
  const account = (over: Partial<Account>): Account => ({
    id: 'x', client: 'outlook', profile: 'Outlook', name: null, email: null, incoming: null, outgoing: null, dataFiles: [], source: { file: null, registryKey: null }, ...over,
  });

  it('the delivering account names the owner; an archive the profile opens belongs to whoever sends from it', () => {
    const home = '/home/jane';
    const accounts = [
      account({ email: 'jane@contoso.com', dataFiles: ['C:\\Users\\jane\\AppData\\Local\\Microsoft\\Outlook\\jane@contoso.com.ost'] }),
      account({ dataFiles: ['C:\\Users\\jane\\Documents\\Outlook Files\\Archive.pst', '\\\\nas\\pst\\other.pst'] }),
    ];
    const files = [`${home}/AppData/Local/Microsoft/Outlook/jane@contoso.com.ost`, `${home}/Documents/Outlook Files/Archive.pst`, `${home}/unrelated.pst`];
    const got = profileOwners(files, accounts, { home, platform: 'linux' });
    expect(got.get(files[0]!)).toMatchObject({ source: 'outlook-profile', value: 'jane@contoso.com', confidence: 'high' });
    expect(got.get(files[1]!)).toMatchObject({ value: 'jane@contoso.com', confidence: 'medium' });
    expect(got.get(files[1]!)!.evidence).toMatch(/sends as jane@contoso.com/);
    expect(got.has(files[2]!)).toBe(false);
  });
});

describe('fleet roll-up', () => {
  it('totals per verdict and host; the same content on two hosts is listed once with both copies', () => {
    const m = (verdict: 'ready' | 'blocked', sha256: string, bytes: number, path: string) => ({ ...file(path, { bytes, sha256 }), migration: { verdict, reasons: [], owner: { guess: null, confidence: null, sources: [] } } });
    const r = rollUpMigration([
      { hostname: 'PC-A', source: 'a.json', files: [m('ready', 'aa', 10, 'C:\\a.pst'), m('blocked', 'bb', 5, 'C:\\b.ost'), m('ready', 'cc', 3, 'C:\\c.pst'), m('ready', 'cc', 3, 'C:\\c2.pst')] },
      { hostname: 'PC-B', source: 'b.json', files: [m('ready', 'aa', 10, 'D:\\copy.pst')] },
    ]);
    expect(r.byVerdict).toEqual({ ready: { files: 4, bytes: 26 }, 'needs-attention': { files: 0, bytes: 0 }, blocked: { files: 1, bytes: 5 } });
    expect(r.perHost.map((h) => [h.hostname, h.byVerdict.ready.files])).toEqual([['PC-A', 3], ['PC-B', 1]]);
    // "cc" is duplicated on one host only: that is the host's own report's business.
    expect(r.duplicatesAcrossHosts).toEqual([{ sha256: 'aa', bytes: 10, copies: [{ hostname: 'PC-A', path: 'C:\\a.pst' }, { hostname: 'PC-B', path: 'D:\\copy.pst' }] }]);
  });
});
