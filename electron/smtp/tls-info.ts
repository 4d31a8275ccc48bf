import { checkServerIdentity, type DetailedPeerCertificate, type PeerCertificate, type TLSSocket } from 'node:tls';
import type { TlsInfo } from './schema.ts';
import { detectInterception } from './antivirus.ts';

// TLS evidence for a port: what was negotiated and what the certificate says. Pure over the handshake facts.

export interface HandshakeFacts {
  host: string;
  protocol: string | null;
  cipher: string | null;
  cert: PeerCertificate | DetailedPeerCertificate | null;
  authorized: boolean;
  authorizationError: string | null;
}

const SELF_SIGNED = new Set(['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN']);

function dn(x: unknown): string | null {
  if (!x || typeof x !== 'object') return null;
  const rec = x as Record<string, unknown>;
  const parts = ['CN', 'O', 'OU']
    .map((k) => rec[k])
    .filter((v): v is string | string[] => typeof v === 'string' || Array.isArray(v))
    .map((v) => (Array.isArray(v) ? v.join(', ') : v));
  return parts.length > 0 ? parts.join(', ') : null;
}

/** Issuer names up the chain the server sent (an AV root may sit above an intermediate). Bounded depth. */
function chainIssuers(cert: PeerCertificate | DetailedPeerCertificate): string[] {
  const names: string[] = [];
  let cur: PeerCertificate | DetailedPeerCertificate | undefined = cert;
  for (let depth = 0; cur && depth < 10; depth++) {
    const name = dn(cur.issuer);
    if (name) names.push(name);
    const next: DetailedPeerCertificate | undefined = 'issuerCertificate' in cur ? cur.issuerCertificate : undefined;
    if (!next || next === cur || next.fingerprint256 === cur.fingerprint256) break;
    cur = next;
  }
  return names;
}

function sanList(cert: PeerCertificate): string[] {
  const raw = cert.subjectaltname;
  if (!raw) return [];
  return raw.split(/,\s*/).map((s) => s.trim()).filter(Boolean);
}

function isIso(date: string | undefined): string | null {
  if (!date) return null;
  const t = Date.parse(date);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

/** Node folds the host-name check into `authorized`; the chain itself is fine when that is the only error. */
const NAME_ONLY_ERRORS = new Set(['ERR_TLS_CERT_ALTNAME_INVALID']);

export function buildTlsInfo(f: HandshakeFacts): TlsInfo {
  const chainOk = f.authorized || (f.authorizationError !== null && NAME_ONLY_ERRORS.has(f.authorizationError));
  const cert = f.cert && Object.keys(f.cert).length > 0 ? f.cert : null;
  const issuers = cert ? chainIssuers(cert) : [];
  const subject = cert ? dn(cert.subject) : null;
  const issuer = issuers[0] ?? null;
  let nameMatches = false;
  if (cert) {
    try {
      nameMatches = checkServerIdentity(f.host, cert as PeerCertificate) === undefined;
    } catch {
      nameMatches = false;
    }
  }
  const selfSigned =
    (f.authorizationError !== null && SELF_SIGNED.has(f.authorizationError)) ||
    (cert !== null && subject !== null && subject === issuer && !chainOk);
  return {
    protocol: f.protocol,
    cipher: f.cipher,
    subject,
    issuer,
    san: cert ? sanList(cert) : [],
    validFrom: cert ? isIso(cert.valid_from) : null,
    validTo: cert ? isIso(cert.valid_to) : null,
    trusted: chainOk,
    trustError: chainOk ? null : (f.authorizationError ?? 'no certificate'),
    nameMatches,
    selfSigned,
    interceptedBy: issuers.map(detectInterception).find((p) => p !== null) ?? null,
  };
}

/** Reads the facts off a connected TLS socket. */
export function handshakeFacts(socket: TLSSocket, host: string): HandshakeFacts {
  const err = socket.authorizationError;
  return {
    host,
    protocol: socket.getProtocol() ?? null,
    cipher: socket.getCipher()?.name ?? null,
    cert: socket.getPeerCertificate(true) ?? null,
    authorized: socket.authorized,
    authorizationError: err ? (typeof err === 'string' ? err : ((err as NodeJS.ErrnoException).code ?? String(err))) : null,
  };
}
