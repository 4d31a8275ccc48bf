import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Test-only certificates committed under test/fixtures/smtp/certs (see the README there).

const DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/smtp/certs');

export interface KeyPair {
  key: string;
  cert: string;
}

export function pem(name: string): string {
  return readFileSync(path.join(DIR, name), 'utf8');
}

export function pair(name: string, chainWith?: string): KeyPair {
  const cert = pem(`${name}.crt`) + (chainWith ? pem(`${chainWith}.crt`) : '');
  return { key: pem(`${name}.key`), cert };
}
