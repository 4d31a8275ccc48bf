import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyFix, undoFix } from '../../../electron/engine/fix-catalog.ts';
import { readAccounts } from '../../../electron/clients/service.ts';
import { copyFixtureHome, fixtureContext, noClientsRunning } from '../../support/clients/context.ts';

type Case = { fix: string; file: string; from: string[]; to: string[]; account: string; expect: Record<string, unknown> };
const CASES: Case[] = [
  {
    fix: 'evolution:1511365634.2868.3@myhost:smtp-587-starttls',
    file: '.config/evolution/sources/1511365634.2868.5@myhost.source',
    from: ['Port=25', '[Security]\nMethod=none'],
    to: ['Port=587', '[Security]\nMethod=starttls-on-standard-port'],
    account: 'evolution:1511365634.2868.3@myhost',
    expect: { port: 587, security: 'starttls' },
  },
  {
    fix: 'kmail:1234567890:smtp-465-implicit',
    file: '.config/mailtransports',
    from: ['encryption=TLS'],
    to: ['encryption=SSL'],
    account: 'kmail:1234567890',
    expect: { port: 465, security: 'implicit' },
  },
  {
    fix: 'claws:1:smtp-587-starttls',
    file: '.claws-mail/accountrc',
    from: ['ssl_smtp=1\nuse_smtp_auth=1'],
    to: ['ssl_smtp=2\nuse_smtp_auth=1'],
    account: 'claws:1',
    expect: { port: 587, security: 'starttls' },
  },
  {
    fix: 'claws:2:smtp-auth-on',
    file: '.claws-mail/accountrc',
    from: ['use_smtp_auth=0\nset_smtpport=0'],
    to: ['use_smtp_auth=1\nset_smtpport=0'],
    account: 'claws:2',
    expect: { auth: true },
  },
];

describe('port/auth fixes for Evolution, KMail and Claws Mail on real files', () => {
  it.each(CASES)('$fix changes only its keys and undo restores the bytes', async (c) => {
    const home = copyFixtureHome('linux-misc');
    const ctx = fixtureContext(home, { run: noClientsRunning });
    const file = path.join(home, c.file);
    const original = fs.readFileSync(file, 'utf8');
    const r = await applyFix(c.fix, ctx);
    expect(r.applied).toBe(true);
    let expected = original;
    c.from.forEach((f, i) => (expected = expected.replace(f, c.to[i]!)));
    expect(fs.readFileSync(file, 'utf8')).toBe(expected);
    const acc = (await readAccounts(ctx)).accounts.find((a) => a.id === c.account)!;
    expect(acc.outgoing).toMatchObject(c.expect);
    await undoFix(r.journalId!, ctx);
    expect(fs.readFileSync(file, 'utf8')).toBe(original);
  });
});
