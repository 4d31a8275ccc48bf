import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Starts/stops the repo-owned Postfix loopback instance (postfix-loopback.sh) for the integration tests.

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'postfix-loopback.sh');
export const PFX_BASE = process.env.PFX_BASE ?? '/run/mailmedic-smtp-pfx';
export const PFX = {
  smtp: 12525,
  submission: 12587,
  submissions: 12465,
  connLimit: 12526,
  rejectAll: 12528,
  tarpit: 12529,
};

/** Why Postfix tests cannot run here, or null when they can. */
export function postfixUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'needs root (Postfix instance with its own spool)';
  for (const bin of ['/usr/sbin/postfix', '/usr/sbin/postmap', '/usr/sbin/saslpasswd2', '/usr/bin/openssl']) {
    if (!existsSync(bin)) return `${bin} is missing (install the packages in .ci/apt-packages.txt)`;
  }
  return null;
}

function script(action: 'start' | 'stop', tarpitSeconds = 20): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('bash', [SCRIPT, action], { timeout: 60_000, env: { ...process.env, PFX_BASE, PFX_TARPIT_SECONDS: String(tarpitSeconds) } }, (err, stdout, stderr) =>
      err ? reject(new Error(`postfix-loopback.sh ${action} failed: ${stderr || err.message}`)) : resolve(stdout),
    );
  });
}

export const startPostfix = (): Promise<string> => script('start');
export const stopPostfix = (): Promise<string> => script('stop');
export const postfixCertPath = (): string => path.join(PFX_BASE, 'etc', 'tls.crt');
