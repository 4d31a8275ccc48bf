import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode, type MouseEvent } from 'react';
import { createClient, type Client } from './api/bridge.ts';
import type { Report } from '../../electron/contract/report.ts';
import { FixDialog, type VerifyOutcome } from './components/FixDialog.tsx';
import { ApplicableFixes } from './components/FindingCard.tsx';
import { Nav } from './components/Nav.tsx';
import { SCREENS, useRoute, type ScreenId } from './routes.ts';
import { lastReport } from './scan-state.ts';
import { useCall } from './api/use-call.ts';
import { Overview } from './screens/Overview.tsx';
import { Sending } from './screens/Sending.tsx';
import { Accounts } from './screens/Accounts.tsx';
import { Network } from './screens/Network.tsx';
import { Pst } from './screens/Pst.tsx';
import { Explain } from './screens/Explain.tsx';
import { Fixes } from './screens/Fixes.tsx';
import { Console } from './screens/Console.tsx';

export function App({ client: given }: { client?: Client }) {
  const client = useMemo(() => given ?? createClient(), [given]);
  const route = useRoute();
  const { state: scan, start: startScan } = useCall(client, 'scan');
  const [fixId, setFixId] = useState<string | null>(null);
  // Bumped whenever a fix is applied or undone, so the Fixes screen re-reads the history.
  const [fixVersion, setFixVersion] = useState(0);
  const [applicable, setApplicable] = useState<ReadonlySet<string> | null>(null);

  const runScan = useCallback(async (): Promise<Report | null> => {
    const report = await startScan({});
    // Which suggested fixes can really be applied here; unknown (null) if the list cannot be read.
    if (report) {
      client.fixList({}).then(
        (r) => setApplicable(new Set(r.fixes.map((f) => f.id))),
        () => setApplicable(null),
      );
    }
    return report;
  }, [client, startScan]);

  // "Verify": the whole check again; the fix worked when no finding offers it any more.
  const verify = useCallback(
    async (id: string): Promise<VerifyOutcome> => {
      const report = await runScan();
      if (!report) throw new Error('the check did not finish');
      const still = report.findings.filter((f) => f.fixes.some((x) => x.id === id));
      return still.length === 0
        ? { ok: true, message: 'Checked again: the problem this fix was for is gone.' }
        : { ok: false, message: `Checked again: still seen — ${still.map((f) => f.title).join('; ')}` };
    },
    [runScan],
  );

  // Screens stay mounted once opened (hidden when not shown), so a PST scan or a server test survives a look elsewhere.
  const visited = useRef(new Set<ScreenId>());
  visited.current.add(route.screen);
  const first = useRef(true);
  useEffect(() => {
    // Keyboard and screen-reader users land on the new screen's heading (not on first load: nothing was chosen yet).
    if (first.current) {
      first.current = false;
      return;
    }
    if (!route.finding) document.getElementById(`${route.screen}-title`)?.focus({ preventScroll: true });
  }, [route.screen, route.finding]);

  const screens: Record<ScreenId, () => ReactNode> = {
    overview: () => <Overview scan={scan} onCheck={() => void runScan()} onFix={setFixId} focusedFinding={route.finding} />,
    sending: () => <Sending client={client} scan={lastReport(scan)} onFix={setFixId} />,
    accounts: () => <Accounts client={client} scan={lastReport(scan)} onFix={setFixId} />,
    network: () => <Network client={client} scan={lastReport(scan)} onFix={setFixId} />,
    pst: () => <Pst client={client} onFix={setFixId} />,
    explain: () => <Explain client={client} />,
    fixes: () => <Fixes client={client} onFix={setFixId} version={fixVersion} onChanged={() => setFixVersion((v) => v + 1)} />,
    console: () => <Console />,
  };

  return (
    <ApplicableFixes.Provider value={applicable}>
    <div className="app">
      {/* Not a hash link: the hash holds the route. */}
      <a className="skip-link" href="#main" onClick={skipToMain}>
        Skip to content
      </a>
      <header className="app-header">
        <h1>MailMedic</h1>
        <p className="tagline">Finds out why your e-mail will not send — and fixes it safely.</p>
        <Nav current={route.screen} />
      </header>
      <main id="main" tabIndex={-1}>
        {SCREENS.filter((s) => visited.current.has(s.id)).map((s) => (
          <div key={s.id} hidden={s.id !== route.screen}>
            {screens[s.id]()}
          </div>
        ))}
      </main>
      {fixId && <FixDialog client={client} fixId={fixId} onClose={() => setFixId(null)} onChanged={() => setFixVersion((v) => v + 1)} verify={verify} />}
    </div>
    </ApplicableFixes.Provider>
  );
}

function skipToMain(e: MouseEvent) {
  e.preventDefault();
  document.getElementById('main')?.focus();
}
