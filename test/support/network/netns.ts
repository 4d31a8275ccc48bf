import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CommandRunner } from '../../../electron/core/context.ts';
import { runCommand } from '../../../electron/engine/run-command.ts';

// Network namespaces the tests create and remove themselves: nothing touches the host's own network.

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Can this process create namespaces and use nft? Otherwise the reason, for the skip message. */
export function netAdminAvailable(): { ok: true } | { ok: false; reason: string } {
  const probe = `mmcap${process.pid}`;
  try {
    execFileSync('ip', ['netns', 'add', probe], { stdio: 'pipe' });
  } catch (e) {
    return { ok: false, reason: `cannot create a network namespace (needs CAP_NET_ADMIN and iproute2): ${String((e as Error).message).split('\n')[0]}` };
  }
  try {
    execFileSync('ip', ['netns', 'exec', probe, 'nft', 'list', 'ruleset'], { stdio: 'pipe' });
    return { ok: true };
  } catch (e) {
    return { ok: false, reason: `nft does not work in a namespace (apt package nftables): ${String((e as Error).message).split('\n')[0]}` };
  } finally {
    execFileSync('ip', ['netns', 'del', probe], { stdio: 'pipe' });
  }
}

/** Is a program on PATH? (for skipping a scenario whose tool is not installed, with a message) */
export function commandExists(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', 'command -v "$1"', 'sh', cmd], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

/** Runs a command and throws with its stderr when it fails: for test set-up steps only. */
export function sh(cmd: string, args: string[], input?: string): string {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], input, timeout: 15_000 });
}

export const inNs = (ns: string, cmd: string, args: string[], input?: string) => sh('ip', ['netns', 'exec', ns, cmd, ...args], input);

/** The collectors' CommandRunner, but every command runs inside the namespace. */
export function namespaceRunner(ns: string): CommandRunner {
  return (cmd, args, opts) => runCommand('ip', ['netns', 'exec', ns, cmd, ...args], opts);
}

/** Like namespaceRunner, but each command runs as "nobody" with no capabilities: a user without admin rights. */
export function unprivilegedRunner(ns: string): CommandRunner {
  const drop = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--inh-caps=-all', '--bounding-set=-all', '--'];
  return (cmd, args, opts) => runCommand('ip', ['netns', 'exec', ns, ...drop, cmd, ...args], opts);
}

/**
 * Two namespaces joined by a veth pair: the client end is named wg0 (like a WireGuard tunnel) with
 * 10.66.0.2/24, the server end has 10.66.0.1/24. Plus a real tun device in the client.
 */
export function createTopology(prefix: string): { client: string; server: string; serverAddress: string } {
  const client = `${prefix}-c`;
  const server = `${prefix}-s`;
  sh('ip', ['netns', 'add', client]);
  sh('ip', ['netns', 'add', server]);
  inNs(client, 'ip', ['link', 'set', 'lo', 'up']);
  inNs(server, 'ip', ['link', 'set', 'lo', 'up']);
  inNs(client, 'ip', ['link', 'add', 'wg0', 'type', 'veth', 'peer', 'name', 'uplink', 'netns', server]);
  inNs(client, 'ip', ['addr', 'add', '10.66.0.2/24', 'dev', 'wg0']);
  inNs(server, 'ip', ['addr', 'add', '10.66.0.1/24', 'dev', 'uplink']);
  inNs(client, 'ip', ['link', 'set', 'wg0', 'up']);
  inNs(server, 'ip', ['link', 'set', 'uplink', 'up']);
  inNs(client, 'ip', ['tuntap', 'add', 'dev', 'tun7', 'mode', 'tun']);
  return { client, server, serverAddress: '10.66.0.1' };
}

export function removeTopology(t: { client: string; server: string }): void {
  for (const ns of [t.client, t.server]) {
    try {
      sh('ip', ['netns', 'del', ns]);
    } catch {
      // already gone
    }
  }
}

/** Runs a test-support TypeScript file inside a namespace with this repo's tsx. */
export function tsInNs(ns: string, file: string, args: string[]): ChildProcess {
  return spawn('ip', ['netns', 'exec', ns, process.execPath, '--import', 'tsx', path.join(REPO_ROOT, 'test/support/network', file), ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Waits (bounded) for a line on the child's stdout that starts with `prefix`; returns the rest of it. */
export function waitForLine(child: ChildProcess, prefix: string, timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`no "${prefix}" line within ${timeoutMs} ms; stderr: ${err.slice(0, 500)}`)), timeoutMs);
    child.stderr?.on('data', (d: Buffer) => {
      if (err.length < 10_000) err += d.toString();
    });
    child.stdout?.on('data', (d: Buffer) => {
      buf += d.toString();
      const line = buf.split('\n').find((l) => l.startsWith(prefix));
      if (line !== undefined) {
        clearTimeout(timer);
        resolve(line.slice(prefix.length));
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before "${prefix}"; stderr: ${err.slice(0, 500)}`));
    });
  });
}
