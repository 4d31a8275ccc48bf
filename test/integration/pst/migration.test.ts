import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../electron/engine/dispatch.ts';
import { runReadinessScan } from '../../../electron/engine/migration/readiness.ts';
import { ITEM_LIMIT_BYTES } from '../../../electron/pst/migration/rules.ts';
import type { Report } from '../../../electron/contract/report.ts';
import type { PstFileResult } from '../../../electron/pst/schema.ts';
import { startServer } from '../../../electron/server/http.ts';
import { scanAll, stopWorkers } from '../../../electron/pst/pool.ts';
import { runMailmedic } from '../../support/cli.ts';
import { exited } from '../../support/child.ts';
import { outlookEmulator } from '../../support/clients/reg-exe-emulator.ts';
import { reportValidator } from '../../support/report-schema.ts';
import { testContext } from '../../support/pst/context.ts';
import { FIXTURES, tempDir } from '../../support/pst/fixtures.ts';
import { parseCsv } from '../../support/pst/csv.ts';
import { makeDamagedStore, makeStore } from '../../support/pst/make-store.ts';

// `pst scan --migration m365` on real files: the shared fixtures where one shows the rule (OST, password, Sent Items
// owner), stores made by the PST writer where none does (nesting, CP-932 ANSI, damage, a 150 MB item), copies for
// duplicates and name clashes, a child process holding a file, and the mapping CSV read back.

const IMPORT_COLUMNS = 'Workload,FilePath,Name,Mailbox,IsArchive,TargetRootFolder,ContentCodePage,SPFileContainer,SPManifestContainer,SPSiteUrl';

/** Copies a fixture into DIR (under another name when given); nothing ever writes the shared originals. */
function fixture(name: string, dir: string, as = name): string {
  mkdirSync(dir, { recursive: true });
  const p = join(dir, as);
  copyFileSync(join(FIXTURES, name), p);
  return p;
}

async function readiness(paths: string[], extra: Record<string, unknown> = {}): Promise<Report> {
  // Through dispatch: the contract validates the request and the response, as on every face.
  return dispatch('pstScan', { paths, migration: 'm365', ...extra }, testContext({ onProgress: () => {} }));
}

const byName = (r: Report, name: string): PstFileResult => r.pst!.files.find((f) => f.path.endsWith(`/${name}`))!;
const rulesOf = (f: PstFileResult) => f.migration!.reasons.map((x) => x.rule);

afterAll(() => stopWorkers());

describe('readiness verdicts on real stores', () => {
  it('OST blocked (pointing to pst repair); both password-protected fixtures need attention; a healthy store is ready', async () => {
    const dir = await tempDir();
    for (const f of ['aspose-SampleOstFile.ost', 'javalibpst-passworded.pst', 'aspose-passwordprotectedPST.pst', 'pstsdk-sample1.pst']) fixture(f, dir);
    const r = await readiness([dir]);
    expect(reportValidator()(r)).toEqual([]);
    const ost = byName(r, 'aspose-SampleOstFile.ost');
    expect(ost.migration).toMatchObject({ verdict: 'blocked', importName: null });
    expect(rulesOf(ost)).toEqual(['ost']);
    expect(ost.migration!.reasons[0]!.detail).toMatch(/pst repair/);
    for (const f of ['javalibpst-passworded.pst', 'aspose-passwordprotectedPST.pst']) {
      expect(byName(r, f).migration!.verdict).toBe('needs-attention');
      expect(rulesOf(byName(r, f))).toEqual(['password']);
    }
    expect(byName(r, 'pstsdk-sample1.pst').migration).toMatchObject({ verdict: 'ready', reasons: [], importName: 'pstsdk-sample1.pst' });
    expect(r.pst!.migration!.verdicts).toMatchObject({ ready: { files: 1 }, 'needs-attention': { files: 2 }, blocked: { files: 1 } });
    expect(r.pst!.migration!.importPlan.rows).toBe(3);
    // Every readable file carries its content hash, equal to the published one.
    expect(ost.sha256).toMatch(/^5ff8bc133935a03f/);
    expect(r.findings.map((f) => f.id)).toEqual(expect.arrayContaining(['pst.migration.summary', 'pst.migration.blocked', 'pst.migration.needs-attention']));
  });

  it('worker threads give the same readiness results as the in-process scan', async () => {
    const files = ['aspose-Test_part1.pst', 'pstsdk-sample2.pst', 'aspose-SampleOstFile.ost', 'javalibpst-passworded.pst'].map((f) => join(FIXTURES, f));
    const strip = (r: PstFileResult[]) => r.map(({ stats, ...rest }) => ({ ...rest, stats: { ...stats, durationMs: 0 } }));
    const one = await scanAll(files, { jobs: 1, deep: false, migration: true });
    const modes: string[] = [];
    const many = await scanAll(files, { jobs: 2, deep: false, migration: true, minWorkerBytes: 0, onMode: (m) => modes.push(m) });
    expect(modes).toEqual(['workers']);
    expect(strip(many)).toEqual(strip(one));
    expect(one.every((f) => f.sha256 && f.inventory && f.migration)).toBe(true);
  });

  it('an unreadable file is blocked', async () => {
    const dir = await tempDir();
    writeFileSync(join(dir, 'notes.pst'), 'this is not a PST');
    const f = byName(await readiness([dir]), 'notes.pst');
    expect(f.migration!.verdict).toBe('blocked');
    expect(f.migration!.reasons[0]).toMatchObject({ rule: 'unreadable' });
  });

  it('300 levels of nested folders block the file, naming the deepest folder; 299 levels do not', async () => {
    const dir = await tempDir();
    makeStore(dir, 'deep-300.pst', { folders: 300, messages: 2, nesting: 'chain' });
    makeStore(dir, 'deep-299.pst', { folders: 299, messages: 2, nesting: 'chain', seed: 2 });
    const r = await readiness([dir]);
    const deep = byName(r, 'deep-300.pst');
    expect(deep.status).toBe('ok'); // deep, not damaged: every folder was walked
    expect(deep.inventory!.maxFolderDepth).toBe(300);
    expect(deep.migration!.verdict).toBe('blocked');
    expect(deep.migration!.reasons[0]).toMatchObject({ rule: 'folder-depth', evidence: { depth: 300, limit: 300 } });
    expect(deep.migration!.reasons[0]!.evidence!.deepestFolder).toMatch(/^Top of Personal Folders\/Inbox\/Sent Items\/.*\/Old mail 25$/);
    const shallower = byName(r, 'deep-299.pst');
    expect(shallower.inventory!.maxFolderDepth).toBe(299);
    expect(rulesOf(shallower)).not.toContain('folder-depth');
  });

  it('a CP-932 ANSI store: the code page found, ContentCodePage 932 in the plan, its text read in that code page', async () => {
    const dir = await tempDir();
    makeStore(dir, 'yamada.pst', { format: 'ansi', codepage: 932, displayName: '山田太郎のメール', folders: 3, messages: 5 });
    const out = join(dir, 'plan.csv');
    const r = await readiness([dir], { importCsv: out, mailbox: 'yamada@contoso.co.jp' });
    const f = byName(r, 'yamada.pst');
    expect(f.format).toBe('ansi');
    expect(f.inventory).toMatchObject({ codepage: 932, displayName: '山田太郎のメール' });
    expect(f.migration!.reasons).toEqual([expect.objectContaining({ rule: 'ansi', evidence: expect.objectContaining({ codepage: 932, contentCodePage: 932 }) })]);
    const [header, row] = parseCsv(readFileSync(out, 'utf8'));
    expect(header!.join(',')).toBe(IMPORT_COLUMNS);
    expect(row).toEqual(['Exchange', '', 'yamada.pst', 'yamada@contoso.co.jp', 'FALSE', '', '932', '', '', '']);
  });

  it('a damaged store: the items the import will skip, by folder and subject', async () => {
    const dir = await tempDir();
    const d = makeDamagedStore(dir, 'damaged.pst', { folders: 3, messages: 8 });
    const f = byName(await readiness([dir]), 'damaged.pst');
    expect(f.status).toBe('damaged');
    expect(f.migration!.verdict).toBe('needs-attention');
    const reason = f.migration!.reasons.find((x) => x.rule === 'damaged-items')!;
    expect(reason.evidence).toEqual({ count: 1 });
    expect(reason.items).toEqual([{ folder: `Top of Personal Folders/${d.folder}`, subject: d.subject }]);
  });

  it('an item with a 151 MiB attachment (real bytes on disk) is listed with its folder, subject and size', async () => {
    const dir = await tempDir();
    const subjects: string[] = [];
    const s = makeStore(dir, 'big.pst', {
      encoding: 'none', folders: 1, messages: 1, attachmentKb: { min: 155_000, max: 155_000 }, attachmentsPerMessage: { min: 1, max: 1 },
      onMessage: (m) => subjects.push(m.subject),
    });
    try {
      expect(statSync(s.file).size).toBeGreaterThan(ITEM_LIMIT_BYTES);
      const f = byName(await readiness([dir]), 'big.pst');
      expect(f.status).toBe('ok');
      expect(f.migration!.verdict).toBe('needs-attention');
      const reason = f.migration!.reasons[0]!;
      expect(reason.rule).toBe('item-over-150mb');
      expect(reason.items).toEqual([{ folder: 'Top of Personal Folders/Inbox', subject: subjects[0], bytes: expect.any(Number) }]);
      expect(reason.items![0]!.bytes).toBeGreaterThanOrEqual(155_000 * 1024);
      expect(f.inventory!.largestItemBytes).toBe(reason.items![0]!.bytes);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('across files: duplicates, name clashes, owners', () => {
  it('duplicates name each other; two different files of one name get unique import Names, the rename listed', async () => {
    const dir = await tempDir();
    const a = fixture('aspose-Test_part1.pst', join(dir, 'jane'), 'mail.pst');
    const b = fixture('aspose-Test_part1.pst', join(dir, 'backup'), 'jane-copy.pst');
    const c = fixture('pstsdk-sample1.pst', join(dir, 'bob'), 'mail.pst');
    const r = await readiness([dir]);
    const s = r.pst!.migration!;
    expect(s.duplicates).toEqual([{ sha256: byName(r, 'jane/mail.pst').sha256, bytes: 2302976, paths: [b, a] }]);
    const dupA = byName(r, 'jane/mail.pst').migration!.reasons.find((x) => x.rule === 'duplicate')!;
    const dupB = byName(r, 'jane-copy.pst').migration!.reasons.find((x) => x.rule === 'duplicate')!;
    expect(dupA.detail).toContain(b);
    expect(dupB.detail).toContain(a);
    expect(s.nameClashes).toEqual([{ name: 'mail.pst', paths: [c, a] }]);
    expect(s.importPlan.renames).toEqual([{ path: a, name: 'mail.pst', as: 'jane-mail.pst' }]);
    expect(byName(r, 'bob/mail.pst').migration!.importName).toBe('mail.pst');
    expect(byName(r, 'jane/mail.pst').migration!.importName).toBe('jane-mail.pst');
    expect(byName(r, 'jane/mail.pst').migration!.reasons.find((x) => x.rule === 'name-clash')!.detail).toMatch(/imports this one as jane-mail\.pst/);
    expect(byName(r, 'bob/mail.pst').migration!.verdict).toBe('needs-attention');
  });

  it('owners: Sent Items of a real store, the Outlook profile that attaches a file, the disk owner; ownerless files apart', async () => {
    // A Windows home as the recorded Outlook profiles describe it (read through the reg.exe emulator).
    const home = await tempDir('mm-win-home-');
    const archive = fixture('pstsdk-sample1.pst', join(home, 'Documents/Outlook Files'), 'archive.pst');
    const ost = fixture('aspose-SampleOstFile.ost', join(home, 'AppData/Local/Microsoft/Outlook'), 'jane@example.com.ost');
    const sent = fixture('aspose-Outlook.pst', join(home, 'share'), 'saqib.pst');
    const nobody = fixture('ms-outlook-pst-rs-Empty.pst', join(home, 'share'), 'empty.pst');
    const diskOnly = fixture('aspose-SampleContacts.pst', join(home, 'share'), 'contacts.pst');
    const emu = outlookEmulator();
    const ctx = testContext({ home, platform: 'win32', run: emu.run, onProgress: () => {} });
    const r = await runReadinessScan({ paths: [home], migration: 'm365' }, ctx, {
      scan: { inUse: async () => new Map(), fileOwners: async (paths) => new Map(paths.map((p) => [p, p === diskOnly ? 'CONTOSO\\ann' : 'BUILTIN\\Administrators'])) },
    });
    const owner = (p: string) => r.pst!.files.find((f) => f.path === p)!.migration!.owner;
    expect(owner(ost)).toMatchObject({ guess: 'jane@example.com', confidence: 'high', sources: [expect.objectContaining({ source: 'outlook-profile' })] });
    expect(owner(ost).sources[0]!.evidence).toMatch(/delivers the mail of jane@example\.com/);
    expect(owner(archive)).toMatchObject({ guess: 'jane@example.com', confidence: 'medium' });
    expect(owner(sent)).toMatchObject({ guess: 'saqib.razzaq@xp.local', confidence: 'high' });
    expect(owner(sent).sources[0]!.evidence).toMatch(/of \d+ message\(s\) in 'Top of Personal Folders\/Sent Items' were sent by saqib\.razzaq@xp\.local/);
    expect(owner(diskOnly)).toMatchObject({ guess: 'CONTOSO\\ann', confidence: 'low', sources: [expect.objectContaining({ source: 'file-owner' })] });
    // "Empty" is the store's only clue: a name, not an address, and no mailbox follows from it.
    expect(owner(nobody)).toMatchObject({ guess: 'Empty', confidence: 'low' });
    expect(r.pst!.files.find((f) => f.path === nobody)!.inventory!.fileOwner).toBe('BUILTIN\\Administrators');
    // The high-confidence owner becomes the row's mailbox; the others are left for IT to fill in.
    expect(r.pst!.files.find((f) => f.path === sent)!.migration!.mailbox).toEqual({ address: 'saqib.razzaq@xp.local', source: 'owner' });
    expect(r.pst!.migration!.importPlan.withoutMailbox).toEqual(expect.arrayContaining([archive, nobody, diskOnly]));
    expect(r.pst!.migration!.ownerless).toEqual([]);

    const bare = await tempDir();
    const lost = fixture('aspose-PersonalStorageFile1.pst', bare, 'lost.pst');
    const r2 = await runReadinessScan({ paths: [bare], migration: 'm365' }, testContext({ onProgress: () => {} }), { scan: { fileOwners: async (p) => new Map(p.map((x) => [x, 'root'])) } });
    expect(r2.pst!.migration!.ownerless).toEqual([lost]);
    expect(r2.findings.find((f) => f.id === 'pst.migration.ownerless')!.detail).toContain(lost);
  });
});

describe('a file held open by another process', () => {
  let child: ChildProcess | null = null;
  afterEach(() => {
    if (child && !exited(child)) child.kill('SIGKILL');
  });

  it.runIf(process.platform === 'linux')('is blocked as in use, naming the process; the file is never written', async () => {
    const dir = await tempDir();
    const held = fixture('pstsdk-sample1.pst', dir, 'held.pst');
    fixture('pstsdk-sample2.pst', dir, 'free.pst');
    const before = readFileSync(held);
    child = spawn(process.execPath, ['-e', "require('fs').openSync(process.argv[1], 'r'); process.stdout.write('open\\n'); setInterval(() => {}, 1000);", held], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child!.stdout!.once('data', () => resolve());
      child!.once('exit', () => reject(new Error('holder exited')));
    });
    const r = await readiness([dir]);
    const f = byName(r, 'held.pst');
    expect(f.migration!.verdict).toBe('blocked');
    expect(f.migration!.reasons[0]).toMatchObject({ rule: 'in-use', evidence: { holders: [{ pid: child.pid, name: 'node' }] } });
    expect(f.migration!.reasons[0]!.detail).toMatch(new RegExp(`node \\(pid ${child.pid}\\)`));
    expect(rulesOf(byName(r, 'free.pst'))).not.toContain('in-use');
    expect(r.pst!.migration!.importPlan.rows).toBe(1);
    expect(readFileSync(held).equals(before)).toBe(true);
  });
});

describe('mailmedic pst scan --migration m365 (CLI)', () => {
  it('writes the mapping CSV: Microsoft columns, unique Names, mailboxes from the map, 500 rows at most per file', async () => {
    const dir = await tempDir();
    // 501 copies of a small ANSI store: 501 rows, so two CSV files; copies are duplicates of each other.
    for (let i = 0; i < 501; i++) fixture('gopst-32-bit.pst', join(dir, `u${Math.floor(i / 100)}`), `p${i}.pst`);
    fixture('aspose-SampleOstFile.ost', join(dir, 'u0'), 'cache.ost');
    const map = join(dir, 'map.csv');
    writeFileSync(map, `path,mailbox\n${dir}/u1,one@contoso.com\np7.pst,seven@contoso.com\n`);
    const out = join(dir, 'plan.csv');
    const html = join(dir, 'report.html');
    const r = await runMailmedic(['pst', 'scan', dir, '--migration', 'm365', '--mailbox', 'it@contoso.com', '--mailbox-map', map, '--import-csv', out, '--html', html, '--json'], { timeoutMs: 120_000 });
    expect(r.code).toBe(1); // files need attention
    const report = JSON.parse(r.stdout) as Report;
    expect(report.pst!.migration!.importPlan.csvFiles).toEqual([join(dir, 'plan-1.csv'), join(dir, 'plan-2.csv')]);
    const rows: string[][] = [];
    for (const file of report.pst!.migration!.importPlan.csvFiles) {
      const [header, ...part] = parseCsv(readFileSync(file, 'utf8'));
      expect(header!.join(',')).toBe(IMPORT_COLUMNS);
      expect(part.length).toBeLessThanOrEqual(500);
      rows.push(...part);
    }
    expect(rows).toHaveLength(501); // the OST is blocked: no row
    expect(new Set(rows.map((x) => x[2])).size).toBe(501);
    expect(rows.every((x) => x[0] === 'Exchange' && x[4] === 'FALSE' && x[6] === '')).toBe(true);
    const row = (name: string) => rows.find((x) => x[2] === name)!;
    expect(row('p7.pst').slice(1, 4)).toEqual(['u0', 'p7.pst', 'seven@contoso.com']);
    expect(row('p150.pst').slice(1, 4)).toEqual(['u1', 'p150.pst', 'one@contoso.com']);
    expect(row('p420.pst').slice(1, 4)).toEqual(['u4', 'p420.pst', 'it@contoso.com']);
    // The UI's download of this report: the same two files, byte for byte, one part at a time.
    const exported = (part?: number) => dispatch('pstExport', { section: report.pst!, format: 'import-csv', paths: [dir], ...(part ? { part } : {}) }, testContext());
    expect((await exported(1)).text).toBe(readFileSync(join(dir, 'plan-1.csv'), 'utf8'));
    expect((await exported(2)).text).toBe(readFileSync(join(dir, 'plan-2.csv'), 'utf8'));
    await expect(exported()).rejects.toMatchObject({ kind: 'bad-request', message: 'the import plan has 501 rows, more than the 500 Microsoft takes per CSV: ask for part 1 to 2' });
    await expect(exported(3)).rejects.toMatchObject({ kind: 'bad-request', message: expect.stringMatching(/there is no part 3$/) });
    const dup = report.pst!.files.find((f) => f.path.endsWith('/p0.pst'))!.migration!.reasons.find((x) => x.rule === 'duplicate')!;
    expect(dup.evidence).toMatchObject({ count: 500 });
    expect(dup.detail).toMatch(/and 495 more/);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('<h2>Microsoft 365 import readiness</h2>');
    expect(page).toContain('<tr class="blocked"><td class="verdict">blocked</td>');
    expect(page).not.toMatch(/<script/i);
  });

  it('bad input exits 2: a map line that is not an address (with its line number), an unreadable map, a mailbox that is not an address', async () => {
    const dir = await tempDir();
    fixture('pstsdk-sample1.pst', dir);
    const map = join(dir, 'map.csv');
    writeFileSync(map, 'path,mailbox\n/share/a,a@contoso.com\n/share/b,bob at contoso\n');
    // The command itself, twice (each run starts a process); the other cases through the engine's entry point, whose
    // 'bad-request' every face renders the same way (CLI exit 2, HTTP 400).
    const cases: [string[], RegExp][] = [
      [['--mailbox-map', map], /map\.csv, line 3: mailbox "bob at contoso" is not an e-mail address/],
      [['--mailbox', 'jane'], /not an e-mail address/],
    ];
    const runs = await Promise.all(cases.map(([args]) => runMailmedic(['pst', 'scan', dir, '--migration', 'm365', ...args])));
    runs.forEach((r, i) => {
      expect(r.code, cases[i]![0].join(' ')).toBe(2);
      expect(r.stderr).toMatch(cases[i]![1]);
    });
    const bad = (req: Record<string, unknown>) => dispatch('pstScan', { paths: [dir], ...req }, testContext());
    await expect(bad({ migration: 'm365', mailboxMap: join(dir, 'missing.csv') })).rejects.toMatchObject({ kind: 'bad-request', message: expect.stringMatching(/missing\.csv: cannot read it \(ENOENT\)/) });
    await expect(bad({ migration: 'm365', mailboxMap: dir })).rejects.toMatchObject({ kind: 'bad-request', message: expect.stringMatching(/not a file/) });
    await expect(bad({ importCsv: join(dir, 'x.csv') })).rejects.toMatchObject({ kind: 'bad-request', message: expect.stringMatching(/need --migration m365/) });
    await expect(bad({ migration: 'gmail' })).rejects.toMatchObject({ kind: 'bad-request' });
    await expect(bad({ migration: 'm365', importCsv: join(dir, 'no/such/folder/x.csv') })).rejects.toMatchObject({ kind: 'bad-request', message: expect.stringMatching(/does not exist/) });
  });
});

describe('the mapping CSV as the UI downloads it (pstExport import-csv)', () => {
  it('is the file --import-csv wrote for the same scan: subfolders as FilePath, renamed Names, mailboxes, code page', async () => {
    const dir = await tempDir();
    fixture('aspose-Test_part1.pst', join(dir, 'jane'), 'mail.pst');
    fixture('pstsdk-sample1.pst', join(dir, 'bob', 'old'), 'mail.pst');
    fixture('aspose-SampleOstFile.ost', dir, 'cache.ost');
    mkdirSync(join(dir, 'yamada'));
    makeStore(join(dir, 'yamada'), 'yamada.pst', { format: 'ansi', codepage: 932, folders: 2, messages: 3 });
    const map = join(dir, 'map.csv');
    writeFileSync(map, `path,mailbox\n${dir}/jane,jane@contoso.com\n`);
    const out = join(dir, 'plan.csv');
    const r = await readiness([dir], { importCsv: out, mailboxMap: map });
    expect(reportValidator()(r)).toEqual([]);
    const written = readFileSync(out, 'utf8');
    const { text } = await dispatch('pstExport', { section: r.pst!, format: 'import-csv', paths: [dir] }, testContext());
    expect(text).toBe(written);
    // What the rows say (the OST is blocked: no row).
    const [header, ...rows] = parseCsv(text);
    expect(header!.join(',')).toBe(IMPORT_COLUMNS);
    expect(rows.map((x) => x.slice(1, 4).concat(x[6]!)).sort()).toEqual([
      ['bob/old', 'mail.pst', '', ''],
      ['jane', 'jane-mail.pst', 'jane@contoso.com', ''],
      ['yamada', 'yamada.pst', '', '932'],
    ]);
    // Part 1 of a plan that fits one CSV is the whole plan.
    expect((await dispatch('pstExport', { section: r.pst!, format: 'import-csv', paths: [dir], part: 1 }, testContext())).text).toBe(written);
  });

  it('is refused without the scanned paths, for a plain scan, for an edited report, and for the other formats\' fields', async () => {
    const dir = await tempDir();
    fixture('pstsdk-sample1.pst', dir);
    const r = await readiness([dir]);
    const ctx = testContext();
    const refused = (req: Record<string, unknown>) => expect(dispatch('pstExport', { section: r.pst!, format: 'import-csv', ...req } as never, ctx)).rejects;
    await refused({}).toMatchObject({ kind: 'bad-request', message: expect.stringMatching(/import-csv needs the paths the readiness scan was given/) });
    await refused({ paths: [dir], part: 2 }).toMatchObject({ kind: 'bad-request', message: expect.stringMatching(/there is no part 2$/) });
    await expect(dispatch('pstExport', { section: r.pst!, format: 'csv', paths: [dir] }, ctx)).rejects.toMatchObject({ kind: 'bad-request' });
    const plain = await dispatch('pstScan', { paths: [dir] }, testContext({ onProgress: () => {} }));
    await expect(dispatch('pstExport', { section: plain.pst!, format: 'import-csv', paths: [dir] }, ctx)).rejects.toMatchObject({
      kind: 'bad-request',
      message: 'this report holds no Microsoft 365 readiness scan: there is no import plan',
    });
    const edited = { ...r.pst!, files: [] };
    await expect(dispatch('pstExport', { section: edited, format: 'import-csv', paths: [dir] }, ctx)).rejects.toMatchObject({
      kind: 'bad-request',
      message: expect.stringMatching(/^the report's import plan has 1 row\(s\) but its files give 0/),
    });
  });
});

describe('over HTTP', () => {
  it('the same request works, and output paths stay inside the allowed folders', async () => {
    const dir = await tempDir();
    fixture('pstsdk-sample1.pst', dir);
    const server = await startServer({ ctx: testContext({ onProgress: () => {} }), token: 'tok-0123456789abcdefghijklmnopqrstuvwxyz', staticDir: null, allowedRoots: [dir] });
    const post = (body: unknown) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.request(`${server.url}/api/v1/pstScan`, { method: 'POST', headers: { Authorization: 'Bearer tok-0123456789abcdefghijklmnopqrstuvwxyz', 'Content-Type': 'application/json' } }, (res) => {
          let text = '';
          res.setEncoding('utf8').on('data', (d: string) => (text += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        });
        req.on('error', reject);
        req.end(JSON.stringify(body));
      });
    try {
      const ok = await post({ paths: [dir], migration: 'm365', mailbox: 'a@contoso.com', importCsv: join(dir, 'plan.csv') });
      expect(ok.status).toBe(200);
      expect((JSON.parse(ok.body) as Report).pst!.files[0]!.migration!.verdict).toBe('ready');
      expect(readFileSync(join(dir, 'plan.csv'), 'utf8')).toMatch(/^Workload,.*\r\nExchange,,pstsdk-sample1\.pst,a@contoso\.com,/);
      expect((await post({ paths: [dir], migration: 'm365', importCsv: '/etc/mailmedic-plan.csv' })).status).toBe(400);
      expect((await post({ paths: [dir], migration: 'm365', mailbox: 'nobody' })).status).toBe(400);
    } finally {
      await server.close();
    }
  });
});

describe('report merge over readiness scans', () => {
  it('rolls up per verdict and per host, and finds the same file on two hosts by its content hash', async () => {
    const a = await tempDir();
    const b = await tempDir();
    fixture('aspose-Test_part1.pst', a, 'ana.pst');
    fixture('aspose-SampleOstFile.ost', a);
    fixture('aspose-Test_part1.pst', b, 'copy-of-ana.pst');
    fixture('pstsdk-sample1.pst', b);
    const files: string[] = [];
    for (const [dir, host] of [[a, 'PC-ANA'], [b, 'PC-BEN']] as const) {
      const r = await readiness([dir]);
      r.host.hostname = host;
      const f = join(dir, `${host}.json`);
      writeFileSync(f, JSON.stringify(r));
      files.push(f);
    }
    const out = await tempDir();
    const m = await runMailmedic(['report', 'merge', ...files, '--json', '--html', join(out, 'fleet.html'), '--csv', join(out, 'fleet.csv')]);
    const s = JSON.parse(m.stdout);
    expect(s.totals.migration.hosts).toBe(2);
    expect(s.totals.migration.byVerdict).toEqual({ ready: { files: 3, bytes: 2302976 * 2 + 271360 }, 'needs-attention': { files: 0, bytes: 0 }, blocked: { files: 1, bytes: 4080640 } });
    expect(s.totals.migration.perHost.map((h: { hostname: string; byVerdict: { blocked: { files: number } } }) => [h.hostname, h.byVerdict.blocked.files])).toEqual([['PC-ANA', 1], ['PC-BEN', 0]]);
    expect(s.totals.migration.duplicatesAcrossHosts).toEqual([{ sha256: expect.stringMatching(/^23af69496a47ba08/), bytes: 2302976, copies: [{ hostname: 'PC-ANA', path: join(a, 'ana.pst') }, { hostname: 'PC-BEN', path: join(b, 'copy-of-ana.pst') }] }]);
    expect(s.hosts.find((h: { hostname: string }) => h.hostname === 'PC-ANA')).toMatchObject({ migrationReady: 1, migrationBlocked: 1 });
    expect(readFileSync(join(out, 'fleet.html'), 'utf8')).toContain('The same file on several hosts (1)');
    expect(readFileSync(join(out, 'fleet.csv'), 'utf8').split('\r\n')[0]).toMatch(/,migrationReady,migrationNeedsAttention,migrationBlocked$/);
    expect(m.stdout.length).toBeGreaterThan(0);
  });
});

describe('a share of 10,000 small files', () => {
  it('finishes with bounded memory and reports progress file by file', { timeout: 240_000 }, async () => {
    const dir = await tempDir();
    for (let d = 0; d < 100; d++) {
      mkdirSync(join(dir, `user${d}`));
      for (let i = 0; i < 100; i++) writeFileSync(join(dir, `user${d}`, `mail${i}.pst`), `not a store: ${d}/${i}`);
    }
    let events = 0;
    let last = 0;
    let monotonic = true;
    const ctx = testContext({
      onProgress: (p) => {
        if (p.phase !== 'files') return;
        events++;
        if (p.done <= last) monotonic = false;
        last = p.done;
        expect(p.total).toBe(10_000);
      },
    });
    global.gc?.();
    const heap0 = process.memoryUsage().heapUsed;
    const r = await runReadinessScan({ paths: [dir], migration: 'm365' }, ctx);
    const grown = process.memoryUsage().heapUsed - heap0;
    expect(r.pst!.files).toHaveLength(10_000);
    expect(r.pst!.migration!.verdicts.blocked.files).toBe(10_000);
    expect(events).toBe(10_000);
    expect(monotonic).toBe(true);
    expect(last).toBe(10_000);
    // The results themselves (10,000 files with a reason each) are tens of MB at most; nothing grows per byte read.
    expect(grown).toBeLessThan(256 * 1024 ** 2);
    rmSync(dir, { recursive: true, force: true });
  });
});
