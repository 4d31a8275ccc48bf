import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface TestPki {
  dir: string;
  caCert: Buffer;
  serverCert: Buffer;
  serverKey: Buffer;
  clientCert: Buffer;
  clientKey: Buffer;
}

/** A throw-away CA, a server certificate for 127.0.0.1/localhost and a client certificate, made by openssl. */
export function makeTestPki(): TestPki {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mm-pki-'));
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=MailMedic Test CA', '-keyout', 'ca.key', '-out', 'ca.crt');
  for (const [name, cn, ext] of [
    ['server', 'localhost', 'subjectAltName=DNS:localhost,IP:127.0.0.1'],
    ['client', 'it-console', 'extendedKeyUsage=clientAuth'],
  ]) {
    ssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${cn}`, '-keyout', `${name}.key`, '-out', `${name}.csr`);
    writeFileSync(path.join(dir, `${name}.ext`), ext + '\n');
    ssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', `${name}.ext`, '-out', `${name}.crt`);
  }
  const read = (f: string) => readFileSync(path.join(dir, f));
  return { dir, caCert: read('ca.crt'), serverCert: read('server.crt'), serverKey: read('server.key'), clientCert: read('client.crt'), clientKey: read('client.key') };
}
