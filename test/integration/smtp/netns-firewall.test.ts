import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SmtpSection } from '../../../electron/smtp/schema.ts';

// DROP vs REJECT vs ICMP admin-prohibited, made by nft inside a network namespace this test creates; server and
// probe both run on 127.0.0.1 inside it, so nothing leaves the machine. Needs CAP_NET_ADMIN: skipped otherwise.

const NS = `mm-smtp-${process.pid}`;
const LAB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../support/smtp/netns-lab.ts');
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

function canMakeNetns(): string | null {
  try {
    execFileSync('ip', ['netns', 'add', NS], { stdio: 'pipe' });
    execFileSync('ip', ['netns', 'exec', NS, 'nft', 'list', 'tables'], { stdio: 'pipe' });
    execFileSync('ip', ['netns', 'del', NS], { stdio: 'pipe' }); // made for real in beforeAll
    return null;
  } catch (e) {
    try {
      execFileSync('ip', ['netns', 'del', NS], { stdio: 'pipe' });
    } catch {
      // nothing was created
    }
    return `cannot create a network namespace with nft (${(e as Error).message.split('\n')[0]}); needs root with CAP_NET_ADMIN, iproute2 and nftables`;
  }
}

const unavailable = canMakeNetns();
if (unavailable) console.warn(`SKIPPED netns firewall tests: ${unavailable}`);

const RULES = `table inet smtplab {
  chain input {
    type filter hook input priority 0; policy accept;
    tcp dport 5026 drop
    tcp dport 5027 reject with tcp reset
    tcp dport 5028 reject with icmpx type port-unreachable
    tcp dport 5029 reject with icmpx type admin-prohibited
  }
}
`;

describe.skipIf(unavailable !== null)('firewall signatures in a network namespace', () => {
  beforeAll(() => {
    execFileSync('ip', ['netns', 'add', NS]);
    execFileSync('ip', ['netns', 'exec', NS, 'ip', 'link', 'set', 'lo', 'up']);
    execFileSync('ip', ['netns', 'exec', NS, 'nft', '-f', '-'], { input: RULES });
  });
  afterAll(() => {
    execFileSync('ip', ['netns', 'del', NS]);
  });

  it('open → ok, DROP → timeout, TCP reset / port-unreachable → refused, admin-prohibited → unreachable', () => {
    const out = execFileSync('ip', ['netns', 'exec', NS, process.execPath, '--import', 'tsx', LAB, '1500', '5025', '5026', '5027', '5028', '5029'], {
      cwd: REPO,
      timeout: 60_000,
      encoding: 'utf8',
    });
    const section = SmtpSection.parse(JSON.parse(out));
    const got = Object.fromEntries(section.ports.map((p) => [p.port, [p.outcome, p.phase, p.error?.split(':')[0] ?? null]]));
    expect(got).toEqual({
      5025: ['ok', 'quit', null],
      5026: ['timeout', 'connect', expect.stringMatching(/no answer/)],
      5027: ['refused', 'connect', 'ECONNREFUSED'],
      5028: ['refused', 'connect', 'ECONNREFUSED'],
      5029: ['unreachable', 'connect', 'EHOSTUNREACH'],
    });
    expect(section.recommended).toEqual({ port: 5025, security: 'none' });
  });
});
