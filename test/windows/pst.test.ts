import { copyFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { Wine } from '../support/windows/wine.ts';
import { sharedDir } from '../support/paths.ts';
import { expectedCounts, sha256 } from '../support/pst/fixtures.ts';

// PST files in the Outlook data-file folder (Documents\Outlook Files), names with spaces and accents, scanned by
// the built CLI with its worker threads as a win32 process; salvage and repair write to Windows paths.

const wine = new Wine(inject('wine'));
const folder = () => `C:\\Users\\${wine.info.user}\\Documents\\Outlook Files`;
const FILES: Array<{ fixture: string; name: string }> = [
  { fixture: 'synthetic-uaslan-150msgs.pst', name: 'Büro – Jürgen Müller 2023.pst' },
  { fixture: 'pstsdk-sample1.pst', name: 'Alte Daten (Zoë).pst' },
  { fixture: 'aspose-AddingBulkMessages-BADHEADERCRC.pst', name: 'Kaputt – Kopfzeile.pst' },
];
// The folder Outlook's "Open Outlook Data File" shows: a subfolder is searched too.
const SUB = 'Archiv älter';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

beforeAll(() => {
  for (const [i, f] of FILES.entries()) {
    const dest = wine.unix(`${folder()}${i === 1 ? `\\${SUB}` : ''}\\${f.name}`);
    mkdirSync(path.dirname(dest), { recursive: true });
    copyFileSync(path.join(sharedDir, 'fixtures/pst', f.fixture), dest);
  }
});

const winPathOf = (i: number) => `${folder()}${i === 1 ? `\\${SUB}` : ''}\\${FILES[i]!.name}`;

describe('PST files under Documents\\Outlook Files', () => {
  it('pst scan of the folder finds every file (names with spaces and accents, a subfolder) and checks each', async () => {
    const report = await wine.mailmedicJson<Json>(['pst', 'scan', folder()]);
    const files = report.pst.files as Json[];
    const byPath = new Map(files.map((f) => [f.path.toLowerCase(), f]));
    const counts = expectedCounts();
    for (const [i, f] of FILES.entries()) {
      const got = byPath.get(winPathOf(i).toLowerCase());
      const want = counts.find((c) => c.file === f.fixture)!;
      expect(got, winPathOf(i)).toBeDefined();
      expect(got!.bytes).toBe(want.bytes);
      if (want.damaged) expect(got!.status).toBe('damaged');
      else expect(got).toMatchObject({ status: 'ok', counts: { messages: want.messages, folders: want.folders } });
    }
    // Every path is a Windows path inside the folder.
    for (const f of files) expect(f.path.toLowerCase().startsWith(folder().toLowerCase() + '\\')).toBe(true);
  });

  it('pst salvage writes every message to a Windows folder, the store is only read', async () => {
    const src = winPathOf(0);
    const before = sha256(readFileSync(wine.unix(src)));
    const out = `C:\\Users\\${wine.info.user}\\Desktop\\Gerettet – Büro`;
    const report = await wine.mailmedicJson<Json>(['pst', 'salvage', src, '--out', out]);
    expect(report.command).toBe('pst salvage');
    const dir = wine.unix(out);
    const emls = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.eml'));
    const want = expectedCounts().find((c) => c.file === FILES[0]!.fixture)!;
    expect(emls).toHaveLength(want.messages);
    const salvage = JSON.parse(readFileSync(path.join(dir, 'salvage-report.json'), 'utf8')) as Json;
    expect(salvage).toMatchObject({ written: want.messages, failed: [] });
    expect(sha256(readFileSync(wine.unix(src)))).toBe(before);
  });

  it('pst repair writes a new PST beside the old one (temp file renamed into place), replaces it only with --force', async () => {
    const src = winPathOf(0);
    const before = sha256(readFileSync(wine.unix(src)));
    // A folder of its own: other test files share this Wine prefix and put stores under Documents\Outlook Files.
    const outDir = `C:\\Users\\${wine.info.user}\\Desktop\\Repariert`;
    mkdirSync(wine.unix(outDir), { recursive: true });
    const out = `${outDir}\\Büro – repariert.pst`;
    const want = expectedCounts().find((c) => c.file === FILES[0]!.fixture)!;
    const report = await wine.mailmedicJson<Json>(['pst', 'repair', src, '--out', out], { okCodes: [0] });
    expect(report.command).toBe('pst repair');
    expect(report.pst.repair.counts).toEqual({ kept: want.messages, partial: 0, recovered: 0, lost: 0 });
    expect(report.pst.repair.outputs[0].path.toLowerCase()).toBe(out.toLowerCase());
    const written = readFileSync(wine.unix(out));
    expect(written.subarray(0, 4).toString('latin1')).toBe('!BDN');
    // Only the new store: no temporary name left behind.
    expect(readdirSync(wine.unix(outDir))).toEqual(['Büro – repariert.pst']);
    expect(sha256(readFileSync(wine.unix(src)))).toBe(before);

    const again = await wine.mailmedic(['pst', 'repair', src, '--out', out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists/);
    const forced = await wine.mailmedicJson<Json>(['pst', 'repair', src, '--out', out, '--force'], { okCodes: [0] });
    expect(forced.pst.repair.outputs[0].messages).toBe(want.messages);
  });

  it('a store Outlook holds open without sharing gets a clear "in use" answer from scan and repair, and nothing is written', async () => {
    const dir = `C:\\Users\\${wine.info.user}\\Documents\\Geöffnet`;
    const src = `${dir}\\Outlook – offen.pst`;
    mkdirSync(wine.unix(dir), { recursive: true });
    copyFileSync(path.join(sharedDir, 'fixtures/pst', 'pstsdk-sample1.pst'), wine.unix(src));
    const out = `${dir}\\repariert.pst`;
    const outlook = await wine.startStandIn('C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE', src);
    try {
      const scan = await wine.mailmedicJson<Json>(['pst', 'scan', src], { okCodes: [0, 1, 2] });
      expect(scan.pst.files[0]).toMatchObject({ status: 'unreadable' });
      expect(scan.pst.files[0].error).toMatch(/in use by another program \(Outlook keeps its data files open while it runs\): close that program and try again/);
      const repair = await wine.mailmedic(['pst', 'repair', src, '--out', out]);
      expect(repair.code).toBe(2);
      expect(repair.stderr).toMatch(/in use by another program/);
      expect(readdirSync(wine.unix(dir))).toEqual(['Outlook – offen.pst']);
    } finally {
      await wine.stop(outlook, outlook.pid);
    }
    // With Outlook closed, the same command repairs it.
    const want = expectedCounts().find((c) => c.file === 'pstsdk-sample1.pst')!;
    const report = await wine.mailmedicJson<Json>(['pst', 'repair', src, '--out', out], { okCodes: [0] });
    expect(report.pst.repair.counts.kept).toBe(want.messages);
  });

  it('pst scan --migration m365 gives each file a verdict and writes the import CSV to a Windows path (folders below the scan as FilePath)', async () => {
    // A share of its own (other test files put stores of the same content under Outlook Files: duplicates).
    const share = `C:\\Users\\${wine.info.user}\\Documents\\Umzug`;
    const placed = FILES.map((f, i) => `${share}${i === 1 ? `\\${SUB}` : ''}\\${f.name}`);
    for (const [i, p] of placed.entries()) {
      mkdirSync(path.dirname(wine.unix(p)), { recursive: true });
      copyFileSync(path.join(sharedDir, 'fixtures/pst', FILES[i]!.fixture), wine.unix(p));
    }
    const csv = `C:\\Users\\${wine.info.user}\\Desktop\\Import – Büro.csv`;
    const r = await wine.mailmedic(['pst', 'scan', share, '--migration', 'm365', '--mailbox', 'juergen@contoso.com', '--import-csv', csv, '--json']);
    // A damaged file needs attention: exit 1, and every file still gets its verdict and its CSV row.
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as Json;
    expect(report.pst.files).toHaveLength(FILES.length);
    const verdictOf = (i: number) => (report.pst.files as Json[]).find((f) => f.path.toLowerCase() === placed[i]!.toLowerCase())?.migration;
    expect(verdictOf(0)).toMatchObject({ verdict: 'ready' });
    expect(verdictOf(1)).toMatchObject({ verdict: 'ready' });
    expect(verdictOf(2)).toMatchObject({ verdict: 'needs-attention', reasons: [expect.objectContaining({ rule: 'damaged-structure' })] });
    // Microsoft's mapping file, CRLF lines; the file in the subfolder keeps its folder as FilePath.
    const lines = readFileSync(wine.unix(csv), 'utf8').split('\r\n');
    expect(lines[0]).toBe('Workload,FilePath,Name,Mailbox,IsArchive,TargetRootFolder,ContentCodePage,SPFileContainer,SPManifestContainer,SPSiteUrl');
    expect(lines).toContain(`Exchange,${SUB},${FILES[1]!.name},juergen@contoso.com,FALSE,,,,,`);
    expect(lines).toContain(`Exchange,,${FILES[0]!.name},juergen@contoso.com,FALSE,,,,,`);
    expect(lines).toContain(`Exchange,,${FILES[2]!.name},juergen@contoso.com,FALSE,,,,,`);
  });
});
