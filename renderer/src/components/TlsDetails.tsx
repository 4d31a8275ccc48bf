import type { TlsInfo } from '../../../electron/smtp/schema.ts';

/** The server's certificate and what it means: trusted or not, right name or not, intercepted by antivirus or not. */
export function TlsDetails({ tls }: { tls: TlsInfo }) {
  const rows: [string, string][] = [
    ['Trusted', tls.trusted ? 'Yes' : `No${tls.trustError ? ` (${tls.trustError})` : ''}`],
    ['Name matches the server', tls.nameMatches ? 'Yes' : 'No'],
    ['Self-signed', tls.selfSigned ? 'Yes' : 'No'],
    ['Issued to', tls.subject ?? '—'],
    ['Issued by', tls.issuer ?? '—'],
    ['Also valid for', tls.san.length ? tls.san.join(', ') : '—'],
    ['Valid', `${tls.validFrom ?? '?'} → ${tls.validTo ?? '?'}`],
    ['Protocol / cipher', `${tls.protocol ?? '?'} / ${tls.cipher ?? '?'}`],
  ];
  if (tls.interceptedBy) rows.unshift(['Intercepted by', `${tls.interceptedBy} (your antivirus or proxy replaces the server's certificate)`]);
  return (
    <section className="tls" aria-label="TLS certificate">
      <h5>TLS certificate</h5>
      <dl className="kv">
        {rows.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
