import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyFix, previewFix, undoFix } from '../../../electron/engine/fix-catalog.ts';
import { readAccounts } from '../../../electron/clients/service.ts';
import { fixtureContext } from '../../support/clients/context.ts';
import { outlookEmulator } from '../../support/clients/reg-exe-emulator.ts';

const BASE = 'HKCU\\Software\\Microsoft\\Office\\16.0\\Outlook\\Profiles\\Outlook\\9375CFF0413111d3B88A00104B2A6676';
const home = () => fs.mkdtempSync(path.join(os.tmpdir(), 'mm-win-'));

describe('Outlook port fix as registry changes, through reg.exe', () => {
  it('465+STARTTLS → 465 SSL/TLS: preview, apply (values verified), journal, undo restores values and types', async () => {
    const emu = outlookEmulator();
    const ctx = fixtureContext(home(), { platform: 'win32', run: emu.run });
    const key = `${BASE}\\00000002`;
    const id = 'outlook:16.0:Outlook:00000002:smtp-465-implicit';
    const before = new Map(emu.keys.get(key.toLowerCase())!.values);

    const p = await previewFix(id, ctx);
    expect(p.preview).toContain(`registry ${key}\n- "SMTP Secure Connection" = REG_DWORD 2 (0x2)\n+ "SMTP Secure Connection" = REG_DWORD 1 (0x1)`);
    expect(p.preview).toContain('+ "SMTP Use SSL" = REG_DWORD 1 (0x1)');
    expect(p.preview).not.toContain('SMTP Port'); // already 465

    const r = await applyFix(id, ctx);
    expect(r.applied).toBe(true);
    expect(emu.value(key, 'SMTP Secure Connection')).toEqual({ type: 'REG_DWORD', data: 1 });
    expect(emu.value(key, 'SMTP Use SSL')).toEqual({ type: 'REG_DWORD', data: 1 });
    expect(emu.calls.filter((c) => c[1] === 'add').map((c) => c.slice(3))).toEqual([
      ['/v', 'SMTP Secure Connection', '/t', 'REG_DWORD', '/d', '1', '/f'],
      ['/v', 'SMTP Use SSL', '/t', 'REG_DWORD', '/d', '1', '/f'],
    ]);
    const acc = (await readAccounts(ctx)).accounts.find((a) => a.id === 'outlook:16.0:Outlook:00000002')!;
    expect(acc.outgoing).toMatchObject({ port: 465, security: 'implicit' });

    await undoFix(r.journalId!, ctx);
    expect(emu.keys.get(key.toLowerCase())!.values).toEqual(before);
  });

  it('values the fix added are deleted again on undo (POP account without SMTP Port / Secure Connection)', async () => {
    const emu = outlookEmulator();
    const ctx = fixtureContext(home(), { platform: 'win32', run: emu.run });
    const key = `${BASE}\\00000003`;
    const before = new Map(emu.keys.get(key.toLowerCase())!.values);
    expect(before.has('SMTP Port')).toBe(false);
    const r = await applyFix('outlook:16.0:Outlook:00000003:smtp-587-starttls', ctx);
    expect(r.applied).toBe(true);
    expect(emu.value(key, 'SMTP Port')).toEqual({ type: 'REG_DWORD', data: 587 });
    expect(emu.value(key, 'SMTP Secure Connection')).toEqual({ type: 'REG_DWORD', data: 2 });
    expect(emu.value(key, 'SMTP Use SSL')).toBeUndefined(); // only reset when it exists
    const journal = JSON.parse(fs.readFileSync(path.join(ctx.dataDir, 'journal', `${r.journalId}.json`), 'utf8'));
    expect(journal.changes).toContainEqual({ kind: 'registry', key, name: 'SMTP Port', before: null, after: { type: 'REG_DWORD', data: 587 } });
    await undoFix(undefined, ctx);
    expect(emu.keys.get(key.toLowerCase())!.values).toEqual(before);
  });

  it('a profile with a non-ASCII name ("Büro") is read and fixed exactly (reg export, not console text)', async () => {
    const emu = outlookEmulator();
    const key = 'HKCU\\Software\\Microsoft\\Office\\16.0\\Outlook\\Profiles\\Büro\\9375CFF0413111d3B88A00104B2A6676\\00000002';
    emu.keys.set(key.toLowerCase(), {
      path: key,
      values: new Map([
        ['clsid', { type: 'REG_SZ', data: '{ED475412-B0D6-11D2-8C3B-00104B2A6676}' }],
        ['Account Name', { type: 'REG_SZ', data: 'Müller GmbH' }],
        ['SMTP Server', { type: 'REG_BINARY', data: Buffer.from('smtp.example.de\0', 'utf16le') }],
        ['SMTP Port', { type: 'REG_DWORD', data: 25 }],
      ]),
    });
    const ctx = fixtureContext(home(), { platform: 'win32', run: emu.run });
    const acc = (await readAccounts(ctx)).accounts.find((a) => a.profile === 'Büro')!;
    expect(acc).toMatchObject({ id: 'outlook:16.0:B_ro:00000002', name: 'Müller GmbH', source: { registryKey: key } });
    const r = await applyFix('outlook:16.0:B_ro:00000002:smtp-587-starttls', ctx);
    expect(r.applied, r.message).toBe(true);
    expect(emu.value(key, 'SMTP Port')).toEqual({ type: 'REG_DWORD', data: 587 });
    await undoFix(r.journalId!, ctx);
    expect(emu.value(key, 'SMTP Port')).toEqual({ type: 'REG_DWORD', data: 25 });
  });

  it('refuses while OUTLOOK.EXE runs and changes nothing', async () => {
    const emu = outlookEmulator();
    emu.processes.push('"OUTLOOK.EXE","9120","Console","1","312,456 K"');
    const ctx = fixtureContext(home(), { platform: 'win32', run: emu.run });
    const r = await applyFix('outlook:16.0:Outlook:00000003:smtp-587-starttls', ctx);
    expect(r.applied).toBe(false);
    expect(r.message).toContain('Outlook is running (process 9120)');
    expect(r.message).toContain('File › Exit');
    expect(emu.calls.filter((c) => c[1] === 'add' || c[1] === 'delete')).toEqual([]);
    expect(fs.existsSync(path.join(ctx.dataDir, 'journal'))).toBe(false);
  });
});
