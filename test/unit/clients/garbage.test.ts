import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readAll } from '../../../electron/clients/service.ts';
import { parsePrefs } from '../../../electron/clients/thunderbird/prefs.ts';
import { parseIni } from '../../../electron/clients/ini.ts';
import { decodeRegFile, parseRegFile, parseRegQuery } from '../../../electron/clients/outlook/regtext.ts';
import { AccountsSection } from '../../../electron/clients/schema.ts';
import { Finding } from '../../../electron/core/finding.ts';
import { fixtureContext } from '../../support/clients/context.ts';

// Bad input → clear findings, never a crash: every parser and the whole reader on arbitrary bytes.

describe('parsers never throw on arbitrary bytes', () => {
  it('prefs.js, INI, reg query and .reg parsers', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        const b = Buffer.from(bytes);
        parsePrefs(b);
        parseIni(b);
        parseRegQuery(b.toString('latin1'));
        parseRegFile(decodeRegFile(b));
      }),
      { numRuns: 500 },
    );
  });

  it('prefs.js parser on almost-valid statements keeps going and reports offsets inside the file', () => {
    const pieces = fc.constantFrom('user_pref(', '"a.b"', ',', ' ', '1', 'true', '"x\\', "'y'", ');', '\n', '/*', '*/', '//', '#', '\\u00', '-', '"é"');
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 60 }), (ps) => {
        const doc = parsePrefs(Buffer.from(ps.join('')));
        for (const e of doc.errors) expect(e.offset).toBeLessThanOrEqual(doc.text.length);
      }),
      { numRuns: 500 },
    );
  });
});

describe('the reader on a home full of garbage', () => {
  it('returns valid accounts and findings for random profile files', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ maxLength: 300 }), async (ini, prefs, rc) => {
        const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mm-garbage-'));
        try {
          fs.mkdirSync(path.join(home, '.thunderbird', 'p'), { recursive: true });
          fs.writeFileSync(path.join(home, '.thunderbird', 'profiles.ini'), Buffer.concat([Buffer.from('[Profile0]\nPath=p\n'), Buffer.from(ini)]));
          fs.writeFileSync(path.join(home, '.thunderbird', 'p', 'prefs.js'), Buffer.from(prefs));
          fs.mkdirSync(path.join(home, '.claws-mail'));
          fs.writeFileSync(path.join(home, '.claws-mail', 'accountrc'), Buffer.concat([Buffer.from('[Account: 1]\n'), Buffer.from(rc)]));
          const res = await readAll(fixtureContext(home));
          AccountsSection.parse(res.accounts);
          for (const f of res.findings) Finding.parse(f);
          expect(res.findings.filter((f) => f.id === 'accounts.reader-failed')).toEqual([]);
        } finally {
          fs.rmSync(home, { recursive: true, force: true });
        }
      }),
      { numRuns: 60 },
    );
  });

  it('a profile path pointing outside, a directory where a file should be, and an unreadable file are handled', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mm-odd-'));
    fs.mkdirSync(path.join(home, '.thunderbird', 'p', 'prefs.js'), { recursive: true }); // a directory named prefs.js
    fs.writeFileSync(path.join(home, '.thunderbird', 'profiles.ini'), '[Profile0]\nName=p\nPath=p\nDefault=1\n[Profile1]\nName=abs\nIsRelative=0\nPath=/nonexistent/x\n');
    const res = await readAll(fixtureContext(home));
    expect(res.accounts).toEqual([]);
    expect(res.findings.map((f) => f.id)).toEqual(['accounts.thunderbird.profile-missing', 'accounts.thunderbird.profile-missing']);
  });
});
