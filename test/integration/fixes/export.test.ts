import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyFix, previewFix, undoFix } from '../../../electron/engine/fix-catalog.ts';
import { copyFixtureHome, fixtureContext } from '../../support/clients/context.ts';
import { outlookEmulator } from '../../support/clients/reg-exe-emulator.ts';

describe('"re-add the account": export the settings first, through the same fix mechanism', () => {
  it('Thunderbird: writes the account\'s prefs and the steps into the data folder; undo deletes the export', async () => {
    const home = copyFixtureHome('tb-linux');
    const ctx = fixtureContext(home);
    const id = 'thunderbird:abcd1234.default-release:account1:export-settings';
    const p = await previewFix(id, ctx);
    expect(p.preview).toContain('(new file)');
    const r = await applyFix(id, ctx);
    expect(r.applied).toBe(true);
    const file = path.join(ctx.dataDir, 'exports', 'thunderbird_abcd1234.default-release_account1.txt');
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toContain('Outgoing: SMTP smtp.example.com port 25, no encryption, log in as jane@example.com');
    expect(text).toContain('user_pref("mail.smtpserver.smtp1.port", 25);');
    expect(text).toContain('user_pref("mail.identity.id1.useremail", "jane@example.com");');
    expect(text).not.toContain('server2'); // Local Folders is another account
    expect(text).toContain('Account Actions');
    await undoFix(r.journalId!, ctx);
    expect(fs.existsSync(file)).toBe(false);
  });

  it('Outlook: the export never contains a password value', async () => {
    const emu = outlookEmulator();
    const ctx = fixtureContext(copyFixtureHome('tb-linux'), { platform: 'win32', run: emu.run });
    const r = await applyFix('outlook:16.0:Outlook:00000002:export-settings', ctx);
    expect(r.applied).toBe(true);
    const text = fs.readFileSync(path.join(ctx.dataDir, 'exports', 'outlook_16.0_Outlook_00000002.txt'), 'utf8');
    expect(text).toContain('SMTP Port    REG_DWORD    0x1d1');
    expect(text).not.toMatch(/Password +REG_/);
    expect(text).not.toContain('D08C9DDF');
  });
});
