import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { Wine } from '../support/windows/wine.ts';
import { HKCU, LOOPBACK_SMTP, outlookModel, PROFILE16, ROOT16 } from '../support/windows/outlook-profiles.ts';
import { makeCerts } from '../support/e2e/certs.ts';
import { SMTPServer } from 'smtp-server';
import { readRegExport, regDiff, writeRegFile } from '../support/windows/reg-file.ts';
import { sharedDir } from '../support/paths.ts';
import { expectedCounts } from '../support/pst/fixtures.ts';

// Outlook 2010/2013/2016 profiles imported into Wine's registry with `reg import`, read and changed by the built
// CLI through Wine's reg.exe. Every assertion on a change reads the registry back with `reg export`.

const wine = new Wine(inject('wine'));
const model = outlookModel(wine.info.user);
const PST_FIXTURE = 'synthetic-uaslan-150msgs.pst';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** All three profile roots (and everything else of Microsoft's under HKCU) in one `reg export`. */
async function exportAll(): Promise<Buffer> {
  const b = await wine.regExport(`${HKCU}\\Software\\Microsoft`);
  if (!b) throw new Error('reg export HKCU\\Software\\Microsoft: key missing');
  return b;
}

/** The fix journal in %LOCALAPPDATA%\MailMedic (the data folder MailMedic uses on Windows). */
const journalDir = () => path.join(wine.profileDir, 'AppData/Local/MailMedic/journal');
const journalFiles = () => (existsSync(journalDir()) ? readdirSync(journalDir()).sort() : []);

beforeAll(async () => {
  await wine.regImport(writeRegFile(model.keys));
  const pst = wine.unix(model.pstPath);
  mkdirSync(path.dirname(pst), { recursive: true });
  copyFileSync(path.join(sharedDir, 'fixtures/pst', PST_FIXTURE), pst);
});

describe('Outlook profiles in the registry (reg import, reg.exe)', () => {
  it('reg import stored the profiles under their non-ASCII names, strings as UTF-16LE binary', async () => {
    const keys = readRegExport((await wine.regExport(ROOT16))!);
    const imap = keys.get(model.brokenImap.key.toLowerCase());
    expect(imap?.get('Display Name')).toBe('hex:' + [...Buffer.from('Jürgen Müller\0', 'utf16le')].map((b) => b.toString(16).padStart(2, '0')).join(','));
    expect(imap?.get('SMTP Port')).toBe('dword:000001d1');
  });

  it('accounts --json reads every mail account of every profile and version', async () => {
    const report = await wine.mailmedicJson<Json>(['accounts']);
    const got = (report.accounts as Json[])
      .filter((a) => a.client === 'outlook')
      .map((a) => ({ id: a.id, profile: a.profile, name: a.name, email: a.email, incoming: a.incoming, outgoing: a.outgoing, dataFiles: [...a.dataFiles].sort() }));
    const want = model.accounts.map((a) => ({ ...a, dataFiles: [...a.dataFiles].sort() }));
    expect(got.sort((a, b) => a.id.localeCompare(b.id))).toEqual(want.sort((a, b) => a.id.localeCompare(b.id)));
    const several = (report.findings as Json[]).find((f) => f.id === 'accounts.outlook.several-profiles' && f.evidence.version === '16.0');
    expect(several?.evidence).toMatchObject({ defaultProfile: PROFILE16 });
    expect([...several!.evidence.profiles].sort()).toEqual(['Outlook', PROFILE16].sort());
  });

  it('scan --offline links the SMTP advice to the account’s fix, and finds and scans the profile’s PST', async () => {
    const report = await wine.mailmedicJson<Json>(['scan', '--offline']);
    const findings = report.findings as Json[];
    const starttls465 = findings.find((f) => f.id === 'accounts.smtp.465-starttls' && f.evidence.account === model.brokenImap.id);
    expect(starttls465?.fixes.map((x: Json) => x.id)).toEqual([`${model.brokenImap.id}:smtp-587-starttls`, `${model.brokenImap.id}:smtp-465-implicit`]);
    expect(starttls465?.evidence.source).toMatch(/^HKCU\\Software\\Microsoft\\Office\\16\.0\\Outlook\\Profiles\\Büro – Jürgen\\/);
    const noAuth = findings.find((f) => f.id === 'accounts.smtp.no-auth' && f.evidence.account === model.brokenImap.id);
    expect(noAuth?.fixes.map((x: Json) => x.id)).toEqual([`${model.brokenImap.id}:smtp-auth-on`]);
    expect(findings.find((f) => f.id === 'accounts.smtp.587-implicit')?.evidence.account).toBe('outlook:15.0:Outlook_2013_rzte:00000003');
    // The POP3 account's PST is not there; the archive PST of the data-file service is, and the scan reads it.
    const missing = findings.filter((f) => f.id === 'accounts.datafile.missing').map((f) => f.evidence.path);
    expect(missing).toContain(model.accounts.find((a) => a.id.endsWith(':00000003') && a.id.includes('16.0'))!.dataFiles[0]);
    expect(missing).not.toContain(model.pstPath);
    const pst = (report.pst.files as Json[]).find((f) => f.path.toLowerCase() === model.pstPath.toLowerCase());
    const want = expectedCounts().find((e) => e.file === PST_FIXTURE)!;
    expect(pst).toMatchObject({ status: 'ok', counts: { messages: want.messages, folders: want.folders } });
  });

  it('scan against a loopback SMTP server links the probe’s advice to the account’s fix', async () => {
    // The account sends with STARTTLS on 465; this server answers on 587 with STARTTLS only (465 stays closed).
    const certs = makeCerts(LOOPBACK_SMTP);
    const ca = 'C:\\mailmedic-test\\loopback-ca.pem';
    mkdirSync(path.dirname(wine.unix(ca)), { recursive: true });
    copyFileSync(certs.caFile, wine.unix(ca));
    const server = new SMTPServer({ authOptional: true, disableReverseLookup: true, logger: false, key: certs.key, cert: certs.cert, onData: (s, _x, cb) => s.resume().on('end', () => cb()) });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e: Error) => reject(new Error(`cannot listen on ${LOOPBACK_SMTP}:587 for the loopback scan: ${e.message}`)));
      server.listen(587, LOOPBACK_SMTP, () => resolve());
    });
    try {
      const report = await wine.mailmedicJson<Json>(['scan', '--ports', '465,587', '--timeout', '8000'], { env: { NODE_EXTRA_CA_CERTS: ca } });
      const probed = (report.smtpHosts as Json[]).find((h) => h.host === LOOPBACK_SMTP);
      expect(probed?.ports.find((p: Json) => p.port === 587)).toMatchObject({ outcome: 'ok', security: 'starttls' });
      expect(probed?.ports.find((p: Json) => p.port === 465)?.outcome).not.toBe('ok');
      const advice = (report.findings as Json[]).find((f) => f.id === 'smtp.switch-port.465' && f.evidence.configured?.port === 465);
      expect(advice?.fixes.map((x: Json) => x.id)).toEqual([`${model.loopbackId}:smtp-587-starttls`]);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('a running OUTLOOK.EXE makes the fix refuse, and nothing is written', async () => {
    // Any program will do as OUTLOOK.EXE: here node.exe under that name, waiting.
    const outlook = await wine.startStandIn('C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE');
    try {
      const before = await exportAll();
      const journalBefore = journalFiles();
      const r = await wine.mailmedicJson<Json>(['fix', `${model.brokenImap.id}:smtp-587-starttls`, '--yes'], { okCodes: [1] });
      expect(r.applied).toBe(false);
      expect(r.message).toContain(`Outlook is running (process ${outlook.pid})`);
      expect((await exportAll()).equals(before)).toBe(true);
      expect(journalFiles()).toEqual(journalBefore);
    } finally {
      await wine.stop(outlook, outlook.pid);
    }
  });

  it('fix writes exactly the changed values through reg.exe, and undo puts them back', async () => {
    const before = await exportAll();
    const r = await wine.mailmedicJson<Json>(['fix', `${model.brokenImap.id}:smtp-587-starttls`, '--yes'], { okCodes: [0] });
    expect(r).toMatchObject({ applied: true });
    const after = await exportAll();
    const key = model.brokenImap.key.toLowerCase();
    // Nothing else under HKCU\Software\Microsoft changed: not the other profiles, not the other versions.
    expect(Object.fromEntries(regDiff(readRegExport(before), readRegExport(after)))).toEqual({
      [`${key}\\SMTP Port`]: ['dword:000001d1', 'dword:0000024b'],
      [`${key}\\SMTP Use Auth`]: [undefined, 'dword:00000001'],
    });
    // The undo record is in %LOCALAPPDATA%\MailMedic.
    expect(journalFiles()).toContain(`${r.journalId}.json`);
    const undo = await wine.mailmedicJson<Json>(['undo', r.journalId], { okCodes: [0] });
    expect(undo.journalId).toBe(r.journalId);
    expect((await exportAll()).equals(before)).toBe(true);
  });
});
