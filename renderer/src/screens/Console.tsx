import { useId, useMemo, useState, type FormEvent } from 'react';
import { createAgentClient, type Client } from '../api/bridge.ts';
import { useCall } from '../api/use-call.ts';
import { ApplicableFixes, FindingCard } from '../components/FindingCard.tsx';
import { verdictOf } from '../verdict.ts';
import { errorText } from '../format.ts';
import { ScreenTitle } from './ScreenTitle.tsx';

// IT console: the same UI talking to remote MailMedic agents (`mailmedic serve --listen … --allow-origin <this page>`).
// Agents and their tokens live in this tab only (sessionStorage); nothing is sent anywhere but to the agent itself.

interface Agent {
  url: string;
  token: string;
}

const STORE_KEY = 'mailmedic.agents';
const NO_FIX_BUTTONS: ReadonlySet<string> = new Set();

function loadAgents(): Agent[] {
  try {
    const list = JSON.parse(sessionStorage.getItem(STORE_KEY) ?? '[]') as Agent[];
    return Array.isArray(list) ? list.filter((a) => typeof a.url === 'string' && typeof a.token === 'string') : [];
  } catch {
    return [];
  }
}

export function Console({ makeClient = createAgentClient }: { makeClient?: (url: string, token: string) => Client }) {
  const [agents, setAgents] = useState<Agent[]>(loadAgents);
  const [url, setUrl] = useState('');
  const [token, setToken] = useState('');
  const [formError, setFormError] = useState<string | null>(null);
  const ids = useId();

  const save = (list: Agent[]) => {
    setAgents(list);
    sessionStorage.setItem(STORE_KEY, JSON.stringify(list));
  };
  const add = async (e: FormEvent) => {
    e.preventDefault();
    setFormError(null);
    let base: string;
    try {
      base = new URL(url.trim()).origin;
    } catch {
      setFormError('Give the agent address as https://host:port');
      return;
    }
    try {
      // Health is public: it proves a MailMedic agent answers there before the token is ever sent.
      const health = (await (await fetch(`${base}/api/v1/health`)).json()) as { name?: string };
      if (health.name !== 'mailmedic') throw new Error('that address does not answer as a MailMedic agent');
    } catch (err) {
      setFormError(`Cannot reach ${base}: ${errorText(err)}`);
      return;
    }
    save([...agents.filter((a) => a.url !== base), { url: base, token: token.trim() }]);
    setUrl('');
    setToken('');
  };

  return (
    <section aria-labelledby="console-title">
      <ScreenTitle id="console-title" intro="Check other computers that run the MailMedic agent. Each agent must allow this page's address (--allow-origin).">
        IT console
      </ScreenTitle>
      {window.mailmedic && (
        <p className="card" role="note">
          The desktop app talks to this computer only. Open the IT console in a browser: run <code>mailmedic serve --console</code>.
        </p>
      )}
      <form className="card form" onSubmit={add} aria-label="Add an agent">
        <div className="field">
          <label htmlFor={`${ids}-url`}>Agent address</label>
          <input id={`${ids}-url`} type="url" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://pc-ana-01:8443" required />
        </div>
        <div className="field">
          <label htmlFor={`${ids}-token`}>Agent token</label>
          <input id={`${ids}-token`} type="password" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} required />
        </div>
        <button type="submit" className="primary">
          Add agent
        </button>
        {formError && (
          <p role="alert" className="error-text">
            {formError}
          </p>
        )}
      </form>
      {agents.length === 0 ? (
        <p className="empty">No agents yet.</p>
      ) : (
        <ul className="agents" aria-label="Agents">
          {agents.map((a) => (
            <AgentRow key={a.url} agent={a} makeClient={makeClient} onRemove={() => save(agents.filter((x) => x.url !== a.url))} />
          ))}
        </ul>
      )}
    </section>
  );
}

function AgentRow({ agent, makeClient, onRemove }: { agent: Agent; makeClient: (url: string, token: string) => Client; onRemove: () => void }) {
  const client = useMemo(() => makeClient(agent.url, agent.token), [agent, makeClient]);
  const { state, start } = useCall(client, 'scan');
  const [open, setOpen] = useState(false);
  const scan = async () => {
    if (await start({})) setOpen(true);
  };
  const report = state.kind === 'done' ? state.result : null;
  const verdict = report ? verdictOf(report) : null;
  const name = report?.host.hostname ?? new URL(agent.url).host;
  return (
    <li className="card agent" aria-label={`Agent ${name}`}>
      <div className="agent-head">
        <h3>{name}</h3>
        <span className="meta">{agent.url}</span>
      </div>
      <p className="meta">
        {report ? `Last scan ${new Date(report.startedAt).toLocaleString()} · ${report.host.platform} ${report.host.release}` : 'Not scanned yet'}
      </p>
      {verdict && (
        <p className={`verdict verdict-${verdict.tone}`}>
          {verdict.headline}
          {verdict.top && ` First: ${verdict.top.title}`}
        </p>
      )}
      {state.kind === 'error' && (
        <p role="alert" className="error-text">
          {state.error.message}
        </p>
      )}
      <div className="actions">
        <button type="button" className="primary" onClick={scan} disabled={state.kind === 'running'}>
          {state.kind === 'running' ? 'Scanning…' : 'Run scan'}
        </button>
        {report && (
          <button type="button" aria-expanded={open} onClick={() => setOpen(!open)}>
            {open ? 'Hide findings' : `View findings (${report.findings.length})`}
          </button>
        )}
        <button type="button" onClick={onRemove}>
          Remove
        </button>
      </div>
      {report && open && (
        // Fixes on another computer are for its user or `mailmedic fix` there: shown as advice, not buttons.
        <ApplicableFixes.Provider value={NO_FIX_BUTTONS}>
          <ul className="findings" aria-label={`Findings on ${name}`}>
            {report.findings.map((f, i) => (
              <FindingCard key={`${f.id}-${i}`} finding={f} onFix={() => {}} />
            ))}
          </ul>
        </ApplicableFixes.Provider>
      )}
    </li>
  );
}
