import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import type { Report } from '../../../electron/contract/report.ts';
import { handlers } from '../../../electron/engine/handlers.ts';
import { runMailmedic } from '../../support/cli.ts';
import { expectOneStory } from '../../support/causes.ts';
import { makeCerts } from '../../support/e2e/certs.ts';
import { makeExpiredSelfSigned } from '../../support/tls-certs.ts';
import { startSmtpServer, type RunningServer } from '../../support/smtp/smtp-server.ts';
import { contextWith, exited, fixture, okResult, recordedRunner } from '../../support/network/fixtures.ts';
import { testContext } from '../../support/pst/context.ts';
import { repoRoot, requireBuild } from '../../support/paths.ts';

// The existing scenarios, end to end: real loopback servers that refuse or accept, real certificates, the shared PST
// fixtures, recorded firewall outputs. Each report must tell one story per problem, the first the one to fix first.

const stops: Array<() => Promise<void>> = [];
afterAll(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
});

/** A real SMTP server on ADDRESS:PORT: STARTTLS (or TLS from the first byte when `secure`) with `tls`. */
async function listen(address: string, port: number, tls: { key: string; cert: string }, secure = false): Promise<void> {
  const server = new SMTPServer({ ...tls, secure, authOptional: true, disableReverseLookup: true, logger: false, name: 'mx.causes.test' });
  server.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, address, () => resolve());
  });
  stops.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
}

/** A copy of the e2e Thunderbird profile sending through ADDRESS:PORT with `trySsl` (0 none, 2 STARTTLS, 3 SSL/TLS). */
function thunderbirdHome(address: string, port: number, trySsl: number): string {
  const home = mkdtempSync(path.join(os.tmpdir(), 'mm-causes-home-'));
  cpSync(path.join(repoRoot, 'test/fixtures/e2e/home'), home, { recursive: true });
  const prefs = path.join(home, '.thunderbird/e2etest1.default-release/prefs.js');
  const text = readFileSync(prefs, 'utf8')
    .replaceAll('127.0.0.2', address)
    .replace('"mail.smtpserver.smtp1.port", 25)', `"mail.smtpserver.smtp1.port", ${port})`)
    .replace('"mail.smtpserver.smtp1.try_ssl", 0)', `"mail.smtpserver.smtp1.try_ssl", ${trySsl})`);
  writeFileSync(prefs, text);
  return home;
}

/** `mailmedic scan --json` on HOME, the built CLI as a user runs it, trusting the test CA. */
async function scan(home: string, ports: string, caFile: string): Promise<Report> {
  const r = await runMailmedic(['scan', '--home', home, '--ports', ports, '--timeout', '3000', '--json'], {
    env: { NODE_EXTRA_CA_CERTS: caFile, MAILMEDIC_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'mm-causes-data-')) },
    timeoutMs: 90_000,
  });
  expect(r.code, r.stderr).toBe(1);
  return JSON.parse(r.stdout) as Report;
}

const findingsOf = (report: Report, causeId: string) => report.causes?.find((c) => c.id === causeId)?.findings ?? [];

describe('causes on real servers (the built CLI)', () => {
  beforeAll(() => requireBuild());

  it('a Thunderbird account on port 25, which the server refuses: one cause "cannot send: port 25 is refused — switch to 587", its fix first', async () => {
    const address = '127.0.0.41';
    const certs = makeCerts(address);
    await listen(address, 587, certs);
    const report = await scan(thunderbirdHome(address, 25, 0), '25,587', certs.caFile);
    const causes = expectOneStory(report);
    const first = causes[0]!;
    expect(first.id).toBe(`account-port:${address}:25`);
    expect(first.title).toBe('sam@mailmedic.test cannot send: port 25 is refused — switch to 587 with STARTTLS');
    expect(first.severity).toBe('error');
    expect(first.findings).toEqual(
      expect.arrayContaining(['accounts.smtp.probe-mismatch', 'smtp.switch-port.25', 'accounts.smtp.25-submission', 'smtp.port-refused.25', 'smtp.recommended']),
    );
    // The one next step is the account's own switch to what works; the fix list knows it.
    expect(first.fixes[0]).toMatch(/^thunderbird:.*:smtp-587-starttls$/);
    expect(first.summary).toBe(
      `It is set to send through ${address} on port 25 with no encryption. Tested from here, that port is refused (ECONNREFUSED). ` +
        'Port 587 with STARTTLS works from here. The fix changes only that setting, shows the change first, and can be undone.',
    );
    // Before: four cards about this one problem.
    expect(report.findings.filter((f) => f.severity !== 'info' || f.id.startsWith('smtp.')).length).toBeGreaterThanOrEqual(4);
    expect(causes.filter((c) => c.severity !== 'info').map((c) => c.id)).toEqual([first.id]);

    // The human output prints the cause, its next step and its findings indented beneath it.
    const human = await runMailmedic(['scan', '--home', thunderbirdHome(address, 25, 0), '--ports', '25,587', '--timeout', '3000'], {
      env: { NODE_EXTRA_CA_CERTS: certs.caFile, MAILMEDIC_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'mm-causes-data-')) },
      timeoutMs: 90_000,
    });
    expect(human.stdout).toMatch(/^MailMedic scan: 1 problem found\./);
    const block = human.stdout.slice(human.stdout.indexOf('✖ sam@mailmedic.test cannot send'));
    expect(block).toMatch(/^✖ sam@mailmedic\.test cannot send: port 25 is refused — switch to 587 with STARTTLS\n {2}\S/);
    expect(block).toMatch(/\n {2}Next step: .*587 with STARTTLS {3}\(mailmedic fix thunderbird:[^)]*:smtp-587-starttls\)\n/);
    expect(block).toMatch(/\n {2}Details:\n {4}✖ /);
    expect(block).toMatch(/\n {4}! sam@mailmedic\.test: sends on port 25 with a login\n {6}Port 25 is for server-to-server mail/);
  });

  it('an account set to port 465 with STARTTLS, where the server speaks TLS from the first byte: one cause, "use SSL/TLS on port 465"', async () => {
    const address = '127.0.0.43';
    const certs = makeCerts(address);
    await listen(address, 465, certs, true);
    const report = await scan(thunderbirdHome(address, 465, 2), '25,465,587', certs.caFile);
    const causes = expectOneStory(report);
    const first = causes[0]!;
    expect(first.id).toBe(`account-port:${address}:465`);
    expect(first.title).toBe('sam@mailmedic.test cannot send: port 465 is set with STARTTLS but needs SSL/TLS — use SSL/TLS on port 465');
    expect(first.findings).toEqual(expect.arrayContaining(['accounts.smtp.465-starttls', 'smtp.wrong-security.465', 'smtp.port-refused.587', 'smtp.recommended']));
    expect(first.fixes[0]).toMatch(/^thunderbird:.*:smtp-465-implicit$/);
    expect(causes.filter((c) => c.severity !== 'info').map((c) => c.id)).toEqual([first.id]);
  });
});

describe('causes in the engine (in process)', () => {
  it('one self-signed, expired certificate for another name, on two ports: one certificate cause, and "no port works" is part of it', async () => {
    const tls = makeExpiredSelfSigned('mail.expired.test');
    const starttls: RunningServer = await startSmtpServer({ ...tls, authOptional: true });
    const implicit: RunningServer = await startSmtpServer({ ...tls, secure: true, authOptional: true });
    stops.push(starttls.close, implicit.close);
    const home = mkdtempSync(path.join(os.tmpdir(), 'mm-causes-empty-'));
    const report = await handlers.smtp(
      { host: '127.0.0.1', ports: [starttls.port, implicit.port], implicitPorts: [implicit.port], timeoutMs: 3000 },
      testContext({ home }),
    );
    const ids = report.findings.map((f) => f.id);
    for (const p of [starttls.port, implicit.port]) {
      expect(ids).toEqual(expect.arrayContaining([`smtp.tls-failed.${p}`, `smtp.tls-self-signed.${p}`, `smtp.tls-expired.${p}`, `smtp.tls-name-mismatch.${p}`]));
    }
    const causes = expectOneStory(report);
    expect(causes.map((c) => c.id)).toEqual(['certificate:127.0.0.1']);
    expect(causes[0]!.title).toBe('The certificate of 127.0.0.1 is self-signed, expired and made out for another name');
    expect(causes[0]!.findings).toContain('smtp.no-working-port');
    expect(causes[0]!.summary).toMatch(new RegExp(`^Seen on ports ${Math.min(starttls.port, implicit.port)}, ${Math.max(starttls.port, implicit.port)}\\.`));
  });

  it('a damaged PST: one cause for the file, with the totals of the scan beneath it', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mm-causes-pst-'));
    const file = path.join(dir, 'bad-header.pst');
    copyFileSync(path.join(repoRoot, '../shared/fixtures/pst/aspose-AddingBulkMessages-BADHEADERCRC.pst'), file);
    const report = await handlers.pstScan({ paths: [file] }, testContext());
    const causes = expectOneStory(report);
    expect(causes).toHaveLength(1);
    expect(causes[0]).toMatchObject({ id: `pst:${file}`, severity: 'error', findings: ['pst.damaged', 'pst.summary'] });
    expect(causes[0]!.title).toMatch(/bad-header\.pst is damaged/);
  });

  it('several damaged and unreadable PST files: one cause per file, the damaged first; the totals are a note', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mm-causes-pst-'));
    const shared = path.join(repoRoot, '../shared/fixtures/pst');
    copyFileSync(path.join(shared, 'aspose-AddingBulkMessages-BADHEADERCRC.pst'), path.join(dir, 'bad-header.pst'));
    copyFileSync(path.join(shared, 'aspose-AddingBulkMessages-BADHEADERCRC.pst'), path.join(dir, 'bad-header-copy.pst'));
    copyFileSync(path.join(shared, 'pstsdk-sample1.pst'), path.join(dir, 'intact.pst'));
    writeFileSync(path.join(dir, 'not-a-pst.pst'), Buffer.alloc(4096, 0x41));
    const report = await handlers.pstScan({ paths: [dir] }, testContext());
    // One finding per file here, so as many causes as findings: every file stays its own story.
    const causes = expectOneStory(report, { fewer: false });
    expect(causes.map((c) => (c.id.startsWith('pst:') ? path.basename(c.id) : c.id))).toEqual(['bad-header-copy.pst', 'bad-header.pst', 'not-a-pst.pst', 'info']);
    expect(causes.map((c) => c.findings)).toEqual([['pst.damaged'], ['pst.damaged'], ['pst.unreadable'], ['pst.summary']]);
  });

  it('a firewall that blocks the mail ports (recorded nft/ufw output) and a server that refuses them: one firewall cause with the ports it explains', async () => {
    const run = recordedRunner([
      ['nft -j list ruleset', okResult(fixture('linux', 'nft-inet-block-smtp.json'))],
      ['iptables-save', okResult(fixture('linux', 'iptables-save-ufw.txt'))],
      ['ufw status verbose', okResult(fixture('linux', 'ufw-active-deny-out.txt'))],
      ['firewall-cmd --state', exited(252, '', 'not running\n')],
      ['ip -j route get', okResult(fixture('linux', 'ip-route-get-lo.json'))],
      ['systemctl show', okResult(fixture('linux', 'systemctl-clamav-absent.txt'))],
      ['gsettings list-recursively', okResult(fixture('linux', 'gsettings-proxy-none.txt'))],
    ]);
    const home = mkdtempSync(path.join(os.tmpdir(), 'mm-causes-empty-'));
    // Nothing listens on 127.0.0.42: every port is refused, as a reject rule makes it.
    const report = await handlers.scan({ smtpHosts: ['127.0.0.42'], ports: [25, 465, 587], timeoutMs: 3000 }, { ...contextWith(run, 'linux'), home });
    const causes = expectOneStory(report);
    const first = causes[0]!;
    expect(first.id).toBe('firewall');
    // The recorded rules block 2525 as well, though it was not probed.
    expect(first.title).toBe('The firewall on this computer blocks outgoing mail on ports 25, 465, 587, 2525');
    expect(first.findings).toEqual(
      expect.arrayContaining([
        'network.blocked-by-rule.25', 'network.blocked-by-rule.465', 'network.blocked-by-rule.587',
        'smtp.port-refused.25', 'smtp.port-refused.465', 'smtp.port-refused.587', 'smtp.no-working-port',
      ]),
    );
    expect(first.fixes[0]).toMatch(/^network\.allow-out\./);
    expect(findingsOf(report, 'firewall').filter((id) => id.startsWith('network.firewall.blocks.')).length).toBeGreaterThan(0);
  });
});
