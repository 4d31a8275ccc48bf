import type { Client } from '../api/bridge.ts';
import { useCall } from '../api/use-call.ts';
import type { Account } from '../../../electron/clients/schema.ts';
import type { Report } from '../../../electron/contract/report.ts';
import type { SmtpSection } from '../../../electron/smtp/schema.ts';
import { FindingList } from '../components/FindingCard.tsx';
import { securityWords } from '../format.ts';
import { ScreenTitle } from './ScreenTitle.tsx';
import { newer } from '../scan-state.ts';

const CLIENT_NAMES: Record<Account['client'], string> = {
  thunderbird: 'Thunderbird',
  outlook: 'Outlook',
  evolution: 'Evolution',
  kmail: 'KMail',
  'claws-mail': 'Claws Mail',
  'apple-mail': 'Apple Mail',
  'windows-mail': 'Windows Mail',
  other: 'Other',
};

export function Accounts({ client, scan, onFix }: { client: Client; scan: Report | null; onFix: (id: string) => void }) {
  const { state: load, start } = useCall(client, 'accounts');
  const source = newer(load.kind === 'done' ? load.result : null, scan);
  const accounts = source?.accounts;
  const probes = scan?.smtpHosts ?? [];

  const reload = () => void start({});

  return (
    <section aria-labelledby="accounts-title">
      <ScreenTitle id="accounts-title" intro="Every mail program and account found on this computer, with its sending settings beside what the server test recommends.">
        Accounts
      </ScreenTitle>
      <button type="button" onClick={reload} disabled={load.kind === 'running'}>
        {load.kind === 'running' ? 'Reading…' : accounts ? 'Read the accounts again' : 'Read my accounts'}
      </button>
      {load.kind === 'error' && (
        <p role="alert" className="error-text">
          The accounts could not be read: {load.error.message}
        </p>
      )}
      {!accounts && load.kind !== 'running' && load.kind !== 'error' && <p className="empty">Not read yet. Run “Check my mail”, or read the accounts here.</p>}
      {accounts && accounts.length === 0 && (
        <p className="empty">No mail accounts were found. MailMedic looks for Thunderbird profiles (more mail programs are coming).</p>
      )}
      {accounts?.map((a) => <AccountCard key={a.id} account={a} probe={probeFor(a, probes)} />)}
      {source && source.findings.some((f) => f.area === 'accounts') && (
        <>
          <h3 className="section-title">Findings about the accounts</h3>
          <FindingList findings={source.findings.filter((f) => f.area === 'accounts')} onFix={onFix} label="Account findings" />
        </>
      )}
    </section>
  );
}

function probeFor(a: Account, probes: SmtpSection[]): SmtpSection | null {
  const host = a.outgoing?.host?.toLowerCase();
  return (host && probes.find((p) => p.host.toLowerCase() === host)) || null;
}

function AccountCard({ account: a, probe }: { account: Account; probe: SmtpSection | null }) {
  const o = a.outgoing;
  const rec = probe?.recommended ?? null;
  const title = a.email ?? a.name ?? a.id;
  const headId = `acct-${a.id}`;
  const differs = (now: unknown, want: unknown) => rec !== null && now !== want;
  const portNow = o?.port ?? null;
  return (
    <article className="card" aria-labelledby={headId}>
      <h3 id={headId}>
        {title} <span className="muted">· {CLIENT_NAMES[a.client]}{a.profile ? `, profile ${a.profile}` : ''}</span>
      </h3>
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">Sending settings of {title}</caption>
          <thead>
            <tr>
              <th scope="col">Setting</th>
              <th scope="col">Now</th>
              <th scope="col">Recommended</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <th scope="row">Outgoing server</th>
              <td>{o?.host ?? 'not set'}</td>
              <td>{probe ? probe.host : '—'}</td>
            </tr>
            <tr className={differs(portNow, rec?.port) ? 'row-diff' : undefined}>
              <th scope="row">Port</th>
              <td data-testid="account-port">{portNow ?? 'not set'}</td>
              <td>{rec ? rec.port : noRec(probe)}</td>
            </tr>
            <tr className={differs(o?.security ?? null, rec?.security) ? 'row-diff' : undefined}>
              <th scope="row">Encryption</th>
              <td>{securityWords(o?.security)}</td>
              <td>{rec ? securityWords(rec.security) : noRec(probe)}</td>
            </tr>
            <tr>
              <th scope="row">Sign in</th>
              <td>{o?.auth === null || o?.auth === undefined ? 'unknown' : o.auth ? `yes${o.username ? ` as ${o.username}` : ''}` : 'no'}</td>
              <td>{o?.host ? 'yes (almost every provider requires it)' : '—'}</td>
            </tr>
          </tbody>
        </table>
      </div>
      {a.incoming && (
        <p>
          Incoming: {a.incoming.protocol.toUpperCase()} {a.incoming.host ?? '?'}
          {a.incoming.port ? `:${a.incoming.port}` : ''} ({securityWords(a.incoming.security)})
        </p>
      )}
      {a.dataFiles.length > 0 && <p>Data files: {a.dataFiles.join(', ')}</p>}
      {a.source.file && (
        <p className="meta">
          Settings file: <code>{a.source.file}</code>
        </p>
      )}
    </article>
  );
}

const noRec = (probe: SmtpSection | null) => (probe ? 'no port worked' : 'not tested yet');
