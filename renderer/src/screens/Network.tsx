import type { ReactNode } from 'react';
import type { Client } from '../api/bridge.ts';
import { useCall } from '../api/use-call.ts';
import type { Report } from '../../../electron/contract/report.ts';
import type { CheckState, NetworkSection, SourceCheck } from '../../../electron/network/schema.ts';
import { FindingList } from '../components/FindingCard.tsx';
import { ScreenTitle } from './ScreenTitle.tsx';
import { newer } from '../scan-state.ts';

export function Network({ client, scan, onFix }: { client: Client; scan: Report | null; onFix: (id: string) => void }) {
  const { state: load, start } = useCall(client, 'network');
  const report = newer(load.kind === 'done' ? load.result : null, scan);
  const net = report?.network;
  const run = () => {
    const host = scan?.smtpHosts?.[0]?.host;
    void start(host ? { smtpHost: host } : {});
  };
  const findings = report?.findings.filter((f) => f.area === 'network') ?? [];
  return (
    <section aria-labelledby="network-title">
      <ScreenTitle id="network-title" intro="Firewalls, VPNs, antivirus and proxies can each stop a mail program from reaching its server.">
        Network
      </ScreenTitle>
      <button type="button" onClick={run} disabled={load.kind === 'running'}>
        {load.kind === 'running' ? 'Checking…' : net ? 'Check the network again' : 'Check the network'}
      </button>
      {load.kind === 'error' && (
        <p role="alert" className="error-text">
          The network could not be checked: {load.error.message}
        </p>
      )}
      {!net && load.kind !== 'running' && load.kind !== 'error' && <p className="empty">Not checked yet.</p>}
      {net && <NetworkParts net={net} />}
      {findings.length > 0 && (
        <>
          <h3 className="section-title">Findings about the network</h3>
          <FindingList findings={findings} onFix={onFix} label="Network findings" />
        </>
      )}
    </section>
  );
}

function NetworkParts({ net }: { net: NetworkSection }) {
  const fw = net.firewall.details;
  const on = fw.components.filter((c) => c.enabled);
  const vpn = net.vpn.details;
  return (
    <div className="grid">
      <Part title="Firewall" state={net.firewall} sources={fw.sources} meaning="A firewall rule that blocks ports 25, 465, 587 or 2525 makes sending time out or fail at once.">
        <p>{on.length ? `On: ${on.map((c) => c.name).join(', ')}.` : 'No firewall is switched on.'}</p>
        {fw.blockRules.length > 0 ? (
          <ul>
            {fw.blockRules.map((r, i) => (
              <li key={i}>
                <strong>
                  {r.action === 'drop' ? 'Drops' : 'Rejects'} port{r.ports.length > 1 ? 's' : ''} {r.ports.join(', ')}
                </strong>{' '}
                ({r.source}: {r.name}) <code>{r.text}</code>
              </li>
            ))}
          </ul>
        ) : (
          <p>No rule blocks the mail ports.</p>
        )}
      </Part>
      <Part title="VPN" state={net.vpn} sources={vpn.sources} meaning="A VPN sends mail through another network, which may block the mail ports or make the provider suspicious.">
        <p>{vpn.active === null ? 'Unknown.' : vpn.active ? 'A VPN is active.' : 'No VPN is active.'}</p>
        {vpn.interfaces.length + vpn.connections.length > 0 && (
          <ul>
            {vpn.interfaces.map((v) => (
              <li key={`i-${v.name}`}>
                {v.name} ({v.kind}) — {v.up ? 'up' : 'down'}
              </li>
            ))}
            {vpn.connections.map((v) => (
              <li key={`c-${v.name}`}>
                {v.name} ({v.kind}) — {v.connected ? 'connected' : 'not connected'}
              </li>
            ))}
          </ul>
        )}
      </Part>
      <Part title="Antivirus" state={net.antivirusCheck} sources={net.antivirusCheck.sources} meaning="Antivirus “mail scanning” sits between your mail program and the server and can break encryption or sign-in.">
        {net.antivirus.length ? (
          <ul>
            {net.antivirus.map((a) => (
              <li key={a.name}>
                {a.name}: {a.state}
              </li>
            ))}
          </ul>
        ) : (
          <p>No antivirus product found.</p>
        )}
      </Part>
      <Part title="Proxy" state={net.proxy} sources={net.proxy.details.sources} meaning="Mail programs do not use web proxies; a network that only allows traffic through a proxy blocks mail.">
        {net.proxy.details.settings.length ? (
          <ul>
            {net.proxy.details.settings.map((p, i) => (
              <li key={i}>
                {p.kind} ({p.source}): <code>{p.value}</code>
              </li>
            ))}
          </ul>
        ) : (
          <p>No proxy is set.</p>
        )}
      </Part>
      <Part title="Route to the server" state={net.route} sources={net.route.details.sources} meaning="Which network connection your mail leaves by.">
        <p>
          {net.route.details.target ? `To ${net.route.details.host ?? net.route.details.target}` : 'Default route'}: via {net.route.details.interface ?? '?'}
          {net.route.details.gateway ? ` (gateway ${net.route.details.gateway})` : ''}
          {net.route.details.viaVpn ? ', through the VPN' : ''}.
        </p>
      </Part>
    </div>
  );
}

function Part({ title, state, sources, meaning, children }: { title: string; state: CheckState; sources: SourceCheck[]; meaning: string; children: ReactNode }) {
  const id = `net-${title.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <article className="card" aria-labelledby={id}>
      <h3 id={id}>
        {title} {!state.checked && <span className="badge badge-warning">Not checked</span>}
      </h3>
      {state.checked ? children : <p>Could not be checked{state.reason ? `: ${state.reason}` : '.'} This is not the same as “all clear”.</p>}
      {state.checked && state.reason && <p className="note">Partly checked: {state.reason}</p>}
      <p className="hint">{meaning}</p>
      {sources.length > 0 && (
        <details>
          <summary>How this was checked</summary>
          <ul className="sources">
            {sources.map((s, i) => (
              <li key={i}>
                <code>{s.command}</code> — {s.status}
                {s.reason ? `: ${s.reason}` : ''}
              </li>
            ))}
          </ul>
        </details>
      )}
    </article>
  );
}
