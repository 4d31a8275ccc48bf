import { useEffect, useId, useState, type FormEvent } from 'react';
import type { Client } from '../api/bridge.ts';
import { useCall } from '../api/use-call.ts';
import type { Report } from '../../../electron/contract/report.ts';
import type { SmtpSection } from '../../../electron/smtp/schema.ts';
import { PortMatrix } from '../components/PortMatrix.tsx';
import { FindingList } from '../components/FindingCard.tsx';
import { ScreenTitle } from './ScreenTitle.tsx';

interface Props {
  client: Client;
  /** The last "Check my mail", whose smtpHosts are shown until the user tests a server here. */
  scan: Report | null;
  onFix: (fixId: string) => void;
}

export function Sending({ client, scan, onFix }: Props) {
  const hosts = scan?.smtpHosts ?? [];
  const firstHost = hosts[0]?.host ?? scan?.accounts?.find((a) => a.outgoing?.host)?.outgoing?.host ?? '';
  const [host, setHost] = useState(firstHost);
  const [user, setUser] = useState('');
  // The password lives only in this state while typed; it goes out in the one smtp request and is cleared.
  const [password, setPassword] = useState('');
  const { state: test, start } = useCall(client, 'smtp');
  // The host under test, for the "Testing …" words.
  const [testing, setTesting] = useState('');
  const ids = useId();
  // The screen may have been opened before the first check: take the account's server once it is known.
  useEffect(() => {
    if (firstHost) setHost((h) => h || firstHost);
  }, [firstHost]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const h = host.trim();
    if (!h) return;
    const login = user.trim() && password ? { user: user.trim(), password } : {};
    setPassword('');
    setTesting(h);
    void start({ host: h, ...login });
  };

  const tested: SmtpSection[] = test.kind === 'done' && test.result.smtp ? [test.result.smtp] : [];
  return (
    <section aria-labelledby="sending-title">
      <ScreenTitle id="sending-title" intro="Each outgoing server is tried on the usual ports. A port that works is the one your mail program should use.">
        Sending
      </ScreenTitle>
      <form className="card form" onSubmit={submit} aria-labelledby={`${ids}-form`}>
        <h3 id={`${ids}-form`}>Test a server</h3>
        <div className="field">
          <label htmlFor={`${ids}-host`}>Outgoing server</label>
          <input id={`${ids}-host`} value={host} onChange={(e) => setHost(e.target.value)} placeholder="smtp.example.com" autoComplete="off" spellCheck={false} required />
        </div>
        <div className="field">
          <label htmlFor={`${ids}-user`}>User name (optional)</label>
          <input id={`${ids}-user`} value={user} onChange={(e) => setUser(e.target.value)} autoComplete="off" spellCheck={false} />
        </div>
        <div className="field">
          <label htmlFor={`${ids}-pw`}>Password (optional)</label>
          <input id={`${ids}-pw`} type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="off" aria-describedby={`${ids}-pw-note`} />
          <p id={`${ids}-pw-note`} className="hint">
            Used once to test signing in, then forgotten. MailMedic never saves it.
          </p>
        </div>
        <button type="submit" className="primary" disabled={test.kind === 'running'}>
          {test.kind === 'running' ? `Testing ${testing}…` : user.trim() && password ? 'Test with my password' : 'Test'}
        </button>
      </form>
      {test.kind === 'running' && <p aria-live="polite">Trying ports 25, 465, 587 and 2525 on {testing}…</p>}
      {test.kind === 'error' && (
        <p role="alert" className="error-text">
          The test could not run: {test.error.message}
        </p>
      )}
      {test.kind === 'done' && (
        <>
          {tested.map((s) => (
            <PortMatrix key={`t-${s.host}`} section={s} />
          ))}
          <h3 className="section-title">What this means</h3>
          <FindingList findings={test.result.findings} onFix={onFix} label="Sending findings" />
        </>
      )}
      {test.kind !== 'done' &&
        (hosts.length > 0 ? (
          hosts.map((s) => <PortMatrix key={s.host} section={s} usedBy={accountsOf(scan, s.host)} />)
        ) : (
          <p className="empty">No servers tested yet. Run “Check my mail” on the Overview, or test a server above.</p>
        ))}
    </section>
  );
}

/** Which accounts send through HOST (their e-mail address, or name). */
function accountsOf(scan: Report | null, host: string): string[] {
  const h = host.toLowerCase();
  return (scan?.accounts ?? []).filter((a) => a.outgoing?.host?.toLowerCase() === h).map((a) => a.email ?? a.name ?? a.id);
}
