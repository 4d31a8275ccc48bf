import { useState } from 'react';
import type { PortResult, SmtpSection } from '../../../electron/smtp/schema.ts';
import { OUTCOME_WORDS, ms, securityWords } from '../format.ts';
import { Transcript } from './Transcript.tsx';
import { TlsDetails } from './TlsDetails.tsx';

/** One server: port × outcome with timing; pick a port to see its transcript and certificate. */
export function PortMatrix({ section, usedBy = [] }: { section: SmtpSection; usedBy?: string[] }) {
  const [open, setOpen] = useState<number | null>(null);
  const shown = section.ports.find((p) => p.port === open) ?? null;
  const headId = `host-${section.host}`;
  return (
    <article className="card" aria-labelledby={headId}>
      <h3 id={headId}>
        {section.host}
        {section.address && section.address !== section.host && <span className="muted"> ({section.address})</span>}
      </h3>
      {usedBy.length > 0 && <p className="meta">Used by {usedBy.join(', ')}</p>}
      <p>
        {section.recommended
          ? `Recommended: port ${section.recommended.port} with ${securityWords(section.recommended.security)}.`
          : 'No port worked, so there is nothing to recommend yet.'}
      </p>
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">Ports tested on {section.host}</caption>
          <thead>
            <tr>
              <th scope="col">Port</th>
              <th scope="col">Encryption</th>
              <th scope="col">Result</th>
              <th scope="col">Stopped at</th>
              <th scope="col">Time</th>
              <th scope="col">
                <span className="visually-hidden">Details</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {section.ports.map((p) => (
              <PortRow key={p.port} p={p} open={open === p.port} onToggle={() => setOpen(open === p.port ? null : p.port)} />
            ))}
          </tbody>
        </table>
      </div>
      {shown && (
        <div className="port-details" id={`port-${section.host}-${shown.port}`}>
          <h4>Port {shown.port}: what happened</h4>
          {shown.error && (
            <p>
              Error: <code>{shown.error}</code>
            </p>
          )}
          {shown.reply && (
            <p>
              Last reply:{' '}
              <code>
                {shown.reply.code} {shown.reply.enhanced ?? ''} {shown.reply.text}
              </code>
            </p>
          )}
          <Transcript entries={shown.transcript} label={`Transcript of port ${shown.port}`} />
          {shown.tls && <TlsDetails tls={shown.tls} />}
        </div>
      )}
    </article>
  );
}

function PortRow({ p, open, onToggle }: { p: PortResult; open: boolean; onToggle: () => void }) {
  return (
    <tr className={p.outcome === 'ok' ? 'row-ok' : 'row-bad'}>
      <th scope="row">{p.port}</th>
      <td>{securityWords(p.security)}</td>
      <td>
        <span className={`outcome outcome-${p.outcome === 'ok' ? 'ok' : 'bad'}`}>{p.outcome === 'ok' ? '✓ ' : '✗ '}</span>
        {OUTCOME_WORDS[p.outcome]}
      </td>
      <td>{p.phase}</td>
      <td>{ms(p.ms)}</td>
      <td>
        <button type="button" className="small" aria-expanded={open} onClick={onToggle}>
          {open ? 'Hide' : 'Show'} transcript<span className="visually-hidden"> of port {p.port}</span>
        </button>
      </td>
    </tr>
  );
}
