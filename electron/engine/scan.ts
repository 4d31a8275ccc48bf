import { existsSync } from 'node:fs';
import { LIMITS, type RequestOf, type ResponseOf } from '../contract/api.ts';
import { buildReport } from '../report/build.ts';
import { withCauses } from './causes.ts';
import { finding, type Finding } from '../core/finding.ts';
import type { Report } from '../contract/report.ts';
import type { EngineContext } from '../core/context.ts';
import { throwIfCancelled } from '../core/errors.ts';
import { notCheckedFinding } from '../report/not-checked.ts';
import type { Account } from '../clients/schema.ts';
import type { SmtpSection } from '../smtp/schema.ts';
import type { Fix } from '../core/fix.ts';
import { configuredFor, joinSmtpWithAccounts } from './link-fixes.ts';

/**
 * "Check my mail": accounts → probe each outgoing server → network state and its correlation with the
 * probes → the accounts' data files. Each area that fails is reported as not checked; the rest still runs.
 */
export async function runScan(req: RequestOf<'scan'>, ctx: EngineContext): Promise<ResponseOf<'scan'>> {
  const started = new Date();
  const { readAll } = await import('../clients/service.ts');
  const findings: Finding[] = [];
  const sections: Partial<Report> = {};
  // Between steps a cancelled scan stops: an area stopped half-way would otherwise read as "not checked".
  const step = (phase: string, done: number, detail?: string) => {
    throwIfCancelled(ctx.signal, 'scan');
    ctx.onProgress?.({ phase, done, total: 4, unit: 'steps', detail });
  };

  step('accounts', 0, 'Reading your mail accounts');
  let accounts: Account[] = [];
  let fixes: Fix[] = [];
  try {
    const r = await readAll(ctx);
    accounts = r.accounts;
    fixes = r.fixes;
    sections.accounts = accounts;
    findings.push(...r.findings);
    if (accounts.length === 0) {
      // Honest about scope: with no account, nothing below says anything about this person's mail settings.
      findings.push(
        finding({
          id: 'accounts.none-found',
          area: 'accounts',
          severity: 'info',
          title: 'No mail program settings found',
          detail: `No Thunderbird, Outlook, Evolution, KMail or Claws Mail account was found under ${ctx.home}. Give the outgoing server to test it (mailmedic smtp HOST), or point --home at another profile.`,
          evidence: { home: ctx.home },
        }),
      );
    }
  } catch (e) {
    findings.push(notCheckedFinding('accounts', 'your mail accounts', e));
  }

  step('smtp', 1, 'Testing the outgoing mail servers');
  const allHosts = outgoingHosts(accounts, req.smtpHosts ?? []);
  const hosts = allHosts.slice(0, LIMITS.scanHosts);
  if (allHosts.length > hosts.length) {
    findings.push(
      finding({
        id: 'smtp.hosts-not-probed', area: 'smtp', severity: 'info',
        title: `${allHosts.length - hosts.length} more outgoing servers were not tested`,
        detail: `One scan tests at most ${LIMITS.scanHosts} outgoing servers. Test the others one by one: mailmedic smtp HOST.`,
        evidence: { notProbed: allHosts.slice(hosts.length) },
      }),
    );
  }
  const smtpSections: SmtpSection[] = [];
  if (!req.offline && hosts.length > 0) {
    const { diagnoseSmtp } = await import('../smtp/service.ts');
    const results = await Promise.allSettled(
      hosts.map((host) =>
        diagnoseSmtp({ host, ports: req.ports, timeoutMs: req.timeoutMs, signal: ctx.signal, configured: configuredFor(host, accounts) }),
      ),
    );
    results.forEach((r, i) => {
      if (r.status === 'fulfilled') {
        smtpSections.push(r.value.section);
        findings.push(...joinSmtpWithAccounts(r.value.findings, r.value.section, accounts, fixes));
      } else findings.push(notCheckedFinding('smtp', `the outgoing server ${hosts[i]}`, r.reason));
    });
    sections.smtpHosts = smtpSections;
    const { compareWithProbe } = await import('./correlate/accounts-probe.ts');
    findings.push(...compareWithProbe(accounts, fixes, smtpSections));
  }

  step('network', 2, 'Looking at firewall, VPN and antivirus');
  if (!req.offline) {
    try {
      const { collectNetwork } = await import('../network/service.ts');
      const { correlateNetworkWithSmtp } = await import('./correlate/network-smtp.ts');
      const r = await collectNetwork(ctx, { smtpHost: hosts[0] });
      sections.network = r.section;
      findings.push(...r.findings);
      for (const s of smtpSections) findings.push(...correlateNetworkWithSmtp(r.section, s));
    } catch (e) {
      findings.push(notCheckedFinding('network', 'the firewall, VPN and antivirus', e));
    }
  }

  step('pst', 3, 'Checking Outlook data files');
  const dataFiles = [...new Set(accounts.flatMap((a) => a.dataFiles))].filter((f) => /\.(pst|ost)$/i.test(f) && existsSync(f));
  if (dataFiles.length > 0) {
    try {
      const { scanPstPaths } = await import('../pst/service.ts');
      const r = await scanPstPaths(dataFiles, {}, ctx);
      sections.pst = r.section;
      findings.push(...r.findings);
    } catch (e) {
      findings.push(notCheckedFinding('pst', 'the Outlook data files', e));
    }
  }
  step('done', 4);
  return withCauses(buildReport('scan', started, findings, sections));
}

function outgoingHosts(accounts: Account[], extra: string[]): string[] {
  const hosts = accounts.map((a) => a.outgoing?.host).filter((h): h is string => !!h);
  return [...new Set([...extra, ...hosts].map((h) => h.toLowerCase()))];
}
