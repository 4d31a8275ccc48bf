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

/**
 * A self-signed certificate for `cn` that expired long ago (valid in January 2020), made by `openssl ca`, which alone
 * in OpenSSL 3.0 takes explicit start and end dates. Three problems in one: self-signed, expired, and — served from
 * an address it does not name — made out for another name.
 */
export function makeExpiredSelfSigned(cn: string): { key: string; cert: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mm-expired-'));
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  writeFileSync(path.join(dir, 'index.txt'), '');
  writeFileSync(path.join(dir, 'serial'), '01\n');
  writeFileSync(
    path.join(dir, 'ca.cnf'),
    ['[ ca ]', 'default_ca = d', '[ d ]', 'dir = .', 'database = ./index.txt', 'serial = ./serial', 'new_certs_dir = .', 'default_md = sha256', 'policy = p', '[ p ]', 'commonName = supplied', ''].join('\n'),
  );
  ssl('req', '-new', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${cn}`, '-keyout', 'key.pem', '-out', 'req.csr');
  ssl('ca', '-batch', '-config', 'ca.cnf', '-selfsign', '-keyfile', 'key.pem', '-in', 'req.csr', '-startdate', '20200101000000Z', '-enddate', '20200201000000Z', '-out', 'cert.pem');
  return { key: readFileSync(path.join(dir, 'key.pem'), 'utf8'), cert: readFileSync(path.join(dir, 'cert.pem'), 'utf8') };
}
