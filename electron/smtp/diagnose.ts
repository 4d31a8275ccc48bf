import { finding, type Finding, type FixRef } from '../core/finding.ts';
import type { PortResult, SmtpSection, SmtpSecurity } from './schema.ts';
import { explainText } from './explain.ts';
import { usePortSuggestion } from '../core/fix-id.ts';
import { classifyProviderBlock, isWorkingPort, providerBlockFinding, signInFindings } from './signin.ts';

// Rules that turn the probe results into findings with evidence and fixes. Pure: section in, findings out.

/** What the user's mail program is set to, when known (from the accounts), to compare with what works. */
export interface ConfiguredServer {
  port: number;
  security: SmtpSecurity;
}

const SECURITY_NAME: Record<SmtpSecurity, string> = { none: 'no encryption', starttls: 'STARTTLS', implicit: 'SSL/TLS' };

export function usePortFix(port: number, security: SmtpSecurity): FixRef {
  return { id: usePortSuggestion({ port, security }), title: `Use port ${port} with ${SECURITY_NAME[security]}` };
}

/** The last transcript lines: enough to show why, without the whole dialogue. */
function tail(p: PortResult, n = 4): string[] {
  return p.transcript.slice(-n).map((e) => `${e.t}ms ${e.dir} ${e.text}`);
}

function evidenceOf(p: PortResult, host?: string): Record<string, unknown> {
  return { ...(host !== undefined ? { host } : {}), port: p.port, security: p.security, outcome: p.outcome, phase: p.phase, reply: p.reply, error: p.error ?? null, ms: p.ms, transcript: tail(p) };
}

function plainMeaning(p: PortResult): string {
  if (!p.reply) return '';
  const ex = explainText(`${p.reply.code} ${p.reply.enhanced ?? ''} ${p.reply.text}`);
  const e = ex[0];
  if (!e) return '';
  return ` ${e.meaning} Likely cause: ${e.likelyCause}${e.nextSteps.length > 0 ? ` What to do: ${e.nextSteps.join(' ')}` : ''}`;
}

/**
 * What a temporary refusal usually means at each step. 421 may answer any command (RFC 5321 §3.8 and §4.2.3,
 * https://www.rfc-editor.org/rfc/rfc5321#section-3.8); the reading per step follows the providers' published replies.
 */
const DEFERRED_BY_PHASE: Partial<Record<PortResult['phase'], string>> = {
  greeting: 'at connect: a limit on connections from your address, the server is overloaded, or your IP address has a poor reputation',
  ehlo: 'after EHLO: a policy on your computer\'s name or your IP address\'s reputation',
  tls: 'when starting encryption: the server\'s TLS service has a problem',
  auth: 'at sign-in: too many sign-in attempts, or the sign-in service is busy',
  mail: 'at MAIL FROM: throttling based on the sender address',
  rcpt: 'at RCPT TO: a per-recipient or sending-rate policy, or greylisting',
};

/** What every port finding shares: where, how bad, the evidence and the fixes offered there. */
interface PortContext {
  where: string;
  sev: 'warning' | 'error';
  ev: Record<string, unknown>;
  fix: FixRef[];
}

/**
 * The finding for a port that did not work (none when it did): the connection failed, the server said no, or the
 * provider refuses the sending address (that one says so, and offers no port switch unless another port answers).
 */
function portRule(section: SmtpSection, p: PortResult, fix: FixRef[], anyWorking: boolean): Finding[] {
  const host = section.host;
  const block = classifyProviderBlock(p);
  if (block) return [providerBlockFinding(section, p, block, section.ports.filter((o) => o !== p && isWorkingPort(o)), fix)];
  const c: PortContext = { where: `${host} port ${p.port}`, sev: anyWorking ? 'warning' : 'error', ev: evidenceOf(p, host), fix };
  const f = connectionFinding(p, c) ?? refusalFinding(p, c);
  return f ? [f] : [];
}

/** No usable SMTP dialogue: dropped, refused, unreachable, silent, or cut off. */
function connectionFinding(p: PortResult, { where, sev, ev, fix }: PortContext): Finding | null {
  switch (p.outcome) {
    case 'timeout':
      if (p.phase === 'connect') {
        return finding({
          id: `smtp.port-blocked.${p.port}`, area: 'smtp', severity: sev,
          title: `Port ${p.port} is blocked on this network (no answer)`,
          detail: `Connections to ${where} get no answer at all: a firewall, your provider or a VPN silently drops them.` +
            (p.port === 25 ? ' Many internet providers and clouds block port 25 for sending.' : ''),
          evidence: ev, fixes: fix,
        });
      }
      return finding({
        id: `smtp.stalled.${p.port}`, area: 'smtp', severity: sev,
        title: `The server on port ${p.port} stopped answering (${p.phase})`,
        detail: `${where} did not answer the ${p.phase.toUpperCase()} step in time (${p.error ?? 'timeout'}).`,
        evidence: ev, fixes: fix,
      });
    case 'refused':
      return finding({
        id: `smtp.port-refused.${p.port}`, area: 'smtp', severity: p.port === 2525 || p.port === 25 ? 'info' : sev,
        title: `Port ${p.port} is closed (connection refused)`,
        detail: `${where} refused the connection right away: nothing listens there, or a firewall rejects it.`,
        evidence: ev, fixes: fix,
      });
    case 'unreachable':
      return finding({
        id: `smtp.unreachable.${p.port}`, area: 'smtp', severity: sev,
        title: `Port ${p.port} cannot be reached`,
        detail: `The network says ${where} cannot be reached (${p.error ?? 'unreachable'}): firewall policy, VPN routing or no route.`,
        evidence: ev, fixes: fix,
      });
    case 'no-banner':
      return finding({
        id: `smtp.no-banner.${p.port}`, area: 'smtp', severity: sev,
        title: `Something answers on port ${p.port} but never greets`,
        detail: `The connection to ${where} is accepted but no valid SMTP greeting comes (${p.error ?? 'no greeting'}). ` +
          'Typical causes: an antivirus mail shield or a proxy in the middle, a tarpit, or a port that expects SSL/TLS from the first byte.',
        evidence: ev,
        fixes: [...(p.security === 'none' ? [usePortFix(p.port, 'implicit')] : []), ...fix],
      });
    case 'reset':
      return finding({
        id: p.phase === 'tls' ? `smtp.tls-reset.${p.port}` : `smtp.reset.${p.port}`, area: 'smtp', severity: sev,
        title: p.phase === 'tls' ? `The connection on port ${p.port} is cut when encryption starts` : `The connection on port ${p.port} was cut (${p.phase})`,
        detail: p.phase === 'tls'
          ? `${where} accepted STARTTLS/TLS but the connection was reset during the handshake: a firewall, antivirus or "SMTP inspection" box is breaking TLS.`
          : `${where} closed or reset the connection during ${p.phase.toUpperCase()} (${p.error ?? 'reset'}).`,
        evidence: ev, fixes: fix,
      });
    default:
      return null;
  }
}

/** The server answered but said no: deferred, rejected, encryption failed, or sign-in failed. */
function refusalFinding(p: PortResult, { where, sev, ev, fix }: PortContext): Finding | null {
  switch (p.outcome) {
    case 'deferred':
      return finding({
        id: `smtp.deferred.${p.port}`, area: 'smtp', severity: sev,
        title: `The server defers you on port ${p.port} (${p.reply?.code ?? '4xx'}${p.reply?.enhanced ? ` ${p.reply.enhanced}` : ''} at ${p.phase})`,
        detail: `${where} answered "${p.reply?.text ?? ''}" — a temporary refusal ${DEFERRED_BY_PHASE[p.phase] ?? ''}.${plainMeaning(p)}`,
        evidence: ev, fixes: fix,
      });
    case 'rejected':
      return finding({
        id: `smtp.rejected.${p.port}`, area: 'smtp', severity: sev,
        title: `The server refuses on port ${p.port} (${p.reply?.code ?? '5xx'} at ${p.phase})`,
        detail: `${where} answered "${p.reply?.text ?? ''}".${plainMeaning(p)}`,
        evidence: ev, fixes: fix,
      });
    case 'tls-failed':
      return finding({
        id: `smtp.tls-failed.${p.port}`, area: 'smtp', severity: sev,
        title: `Encryption fails on port ${p.port}`,
        detail: `${where}: ${p.error ?? 'TLS failed'}.` +
          (p.error && /wrong version number|packet length too long/i.test(p.error) ? ' The port does not speak SSL/TLS from the start: use STARTTLS here.' : ''),
        evidence: ev,
        fixes: p.error && /wrong version number/i.test(p.error) ? [usePortFix(p.port, 'starttls'), ...fix] : fix,
      });
    case 'auth-failed':
      return finding({
        id: `smtp.auth-failed.${p.port}`, area: 'smtp', severity: 'error',
        title: `Sign-in fails on port ${p.port}${p.reply ? ` (${p.reply.code}${p.reply.enhanced ? ` ${p.reply.enhanced}` : ''})` : ''}`,
        detail: `${where}: ${p.reply?.text ?? p.error ?? 'authentication failed'}.${plainMeaning(p)}`,
        evidence: ev, fixes: [{ id: 'smtp.reenter-password', title: 'Enter the password again (or an app password)' }],
        // The sign-in findings (signin.ts) say when a new password cannot help.
      });
    default:
      return null;
  }
}

function tlsRules(host: string, p: PortResult): Finding[] {
  const t = p.tls;
  if (!t) return [];
  const out: Finding[] = [];
  const ev = { port: p.port, issuer: t.issuer, subject: t.subject, trustError: t.trustError, validTo: t.validTo };
  if (t.interceptedBy) {
    out.push(finding({
      id: `smtp.tls-intercepted.${p.port}`, area: 'smtp', severity: 'warning',
      title: `${t.interceptedBy} is intercepting your mail encryption (port ${p.port})`,
      detail: `The certificate for ${host} was issued by "${t.issuer}", which belongs to ${t.interceptedBy}, not to your mail provider. ` +
        'Its mail shield decrypts and re-encrypts the connection; mail programs with their own certificate store then refuse it.',
      evidence: ev,
      fixes: [{ id: `smtp.av-mail-scan-off:${t.interceptedBy}`, title: `Turn off ${t.interceptedBy}'s SMTP/SSL mail scanning` }],
    }));
  } else if (t.selfSigned) {
    out.push(finding({
      id: `smtp.tls-self-signed.${p.port}`, area: 'smtp', severity: 'warning',
      title: `Port ${p.port} uses a self-signed certificate`,
      detail: `The certificate for ${host} ("${t.subject}") is signed by itself, so no one vouches for it.`,
      evidence: ev,
    }));
  } else if (!t.trusted) {
    out.push(finding({
      id: `smtp.tls-untrusted.${p.port}`, area: 'smtp', severity: 'warning',
      title: `The certificate on port ${p.port} is not trusted (${t.trustError})`,
      detail: `The certificate for ${host} issued by "${t.issuer}" does not chain to a trusted root.`,
      evidence: ev,
    }));
  }
  if (!t.nameMatches) {
    out.push(finding({
      id: `smtp.tls-name-mismatch.${p.port}`, area: 'smtp', severity: 'warning',
      title: `The certificate on port ${p.port} is not for ${host}`,
      detail: `It names ${t.subject ?? '?'}${t.san.length ? ` (${t.san.join(', ')})` : ''}. Use the server name the certificate shows, if it belongs to your provider.`,
      evidence: { ...ev, san: t.san },
    }));
  }
  if (t.validTo && Date.parse(t.validTo) < Date.now()) {
    out.push(finding({ id: `smtp.tls-expired.${p.port}`, area: 'smtp', severity: 'warning', title: `The certificate on port ${p.port} has expired`, detail: `It expired on ${t.validTo}.`, evidence: ev }));
  }
  return out;
}

function dialogueRules(p: PortResult): Finding[] {
  const out: Finding[] = [];
  const greeting = p.transcript.find((e) => e.dir === 's');
  if (greeting && /^220[ -]\*{4,}/.test(greeting.text)) {
    out.push(finding({
      id: `smtp.masked-banner.${p.port}`, area: 'smtp', severity: 'warning',
      title: `A firewall rewrites the conversation on port ${p.port}`,
      detail: 'The greeting is masked with asterisks: a Cisco-style "SMTP inspection" (fixup) firewall sits in the middle and may hide STARTTLS.',
      evidence: { port: p.port, greeting: greeting.text },
    }));
  }
  if (p.outcome === 'ok' && p.security === 'none' && p.capabilities && !p.capabilities.starttls && p.port !== 25) {
    out.push(finding({
      id: `smtp.no-encryption.${p.port}`, area: 'smtp', severity: 'warning',
      title: `Port ${p.port} offers no encryption`,
      detail: 'The server does not offer STARTTLS here: the password and the mail would cross the network in clear text.',
      evidence: { port: p.port, capabilities: p.capabilities.keywords },
    }));
  }
  return out;
}

function configuredRules(host: string, section: SmtpSection, cfg: ConfiguredServer): Finding[] {
  const rec = section.recommended;
  const same = section.ports.find((p) => p.port === cfg.port);
  const works = same?.outcome === 'ok';
  if (works && same && same.security === cfg.security) return [];
  if (same && same.outcome === 'ok' && same.security === 'starttls' && cfg.security === 'implicit') {
    return [finding({
      id: `smtp.wrong-security.${cfg.port}`, area: 'smtp', severity: 'error',
      title: `SSL/TLS is selected for port ${cfg.port}, which needs STARTTLS`,
      detail: `${host} port ${cfg.port} starts in plain text and switches to encryption with STARTTLS; a program set to SSL/TLS waits for a TLS greeting that never comes.`,
      evidence: { configured: cfg, probed: evidenceOf(same) },
      fixes: [usePortFix(cfg.port, 'starttls')],
    })];
  }
  if (same && cfg.security !== 'implicit' && same.security === 'implicit' && same.outcome === 'ok') {
    return [finding({
      id: `smtp.wrong-security.${cfg.port}`, area: 'smtp', severity: 'error',
      title: `Port ${cfg.port} needs SSL/TLS, but ${SECURITY_NAME[cfg.security]} is selected`,
      detail: `${host} port ${cfg.port} expects encryption from the first byte.`,
      evidence: { configured: cfg, probed: evidenceOf(same) },
      fixes: [usePortFix(cfg.port, 'implicit')],
    })];
  }
  if (!rec || (rec.port === cfg.port && rec.security === cfg.security)) return [];
  return [finding({
    id: `smtp.switch-port.${cfg.port}`, area: 'smtp', severity: works ? 'info' : 'error',
    title: `Switch from port ${cfg.port} to ${rec.port} with ${SECURITY_NAME[rec.security]}`,
    detail: works
      ? `Port ${cfg.port} works, but ${rec.port} with ${SECURITY_NAME[rec.security]} is the safer standard choice.`
      : `Your program is set to port ${cfg.port} (${SECURITY_NAME[cfg.security]}), which does not work from here (${same?.outcome ?? 'not probed'}); port ${rec.port} with ${SECURITY_NAME[rec.security]} works.`,
    evidence: { configured: cfg, probed: same ? evidenceOf(same) : null, recommended: rec },
    fixes: [usePortFix(rec.port, rec.security)],
  })];
}

function providerRules(section: SmtpSection): Finding[] {
  const pv = section.provider;
  if (!pv || pv.source === null) return [];
  const list = pv.servers.map((s) => `${s.hostname}:${s.port} ${SECURITY_NAME[s.security]}`).join(', ');
  const out: Finding[] = [finding({
    id: 'smtp.provider-settings', area: 'smtp', severity: 'info',
    title: `${pv.providerName ?? pv.domain} says: ${list}`,
    detail: `Published settings for ${pv.domain} (source: ${pv.source}).`,
    evidence: { source: pv.source, servers: pv.servers, tried: pv.tried },
  })];
  const host = section.host.toLowerCase();
  const first = pv.servers[0];
  if (first && !pv.servers.some((s) => s.hostname.toLowerCase() === host)) {
    out.push(finding({
      id: 'smtp.provider-host-differs', area: 'smtp', severity: 'warning',
      title: `Your provider's outgoing server is ${first.hostname}, not ${section.host}`,
      detail: `${pv.providerName ?? pv.domain} publishes ${list}; the server tested here is ${section.host}.`,
      evidence: { tested: section.host, published: pv.servers, source: pv.source },
      fixes: [{ id: `smtp.use-server:${first.hostname}:${first.port}:${first.security}`, title: `Use ${first.hostname} port ${first.port} with ${SECURITY_NAME[first.security]}` }],
    }));
  }
  return out;
}

/** Every finding names the server it is about (`evidence.host`), so the findings of several servers in one report stay apart. */
export function diagnose(section: SmtpSection, configured?: ConfiguredServer): Finding[] {
  return diagnoseSection(section, configured).map((f) => ('host' in f.evidence ? f : { ...f, evidence: { host: section.host, ...f.evidence } }));
}

function diagnoseSection(section: SmtpSection, configured?: ConfiguredServer): Finding[] {
  const { host, ports, recommended } = section;
  const fix = recommended ? [usePortFix(recommended.port, recommended.security)] : [];
  // A port that answered and only refused the sign-in works: the other ports' failures are then side issues.
  const anyWorking = ports.some(isWorkingPort);
  const findings: Finding[] = [];
  const dnsFailed = ports.length > 0 && ports.every((p) => p.phase === 'dns');
  if (dnsFailed) {
    findings.push(finding({
      id: 'smtp.dns-failed', area: 'smtp', severity: 'error',
      title: `The server name ${host} cannot be found`,
      detail: `DNS has no address for ${host} (${ports[0]?.error ?? 'lookup failed'}). Check the spelling of the outgoing server name, or your internet connection.`,
      evidence: { host, error: ports[0]?.error ?? null },
    }));
    return [...findings, ...providerRules(section)];
  }
  for (const p of ports) {
    // A port that fails is only worth a finding of its own when it is not the usual closed extra port.
    const fixHere = recommended && recommended.port !== p.port ? fix : [];
    findings.push(...portRule(section, p, fixHere, anyWorking), ...tlsRules(host, p), ...dialogueRules(p));
  }
  findings.push(...signInFindings(section));
  if (configured) findings.push(...configuredRules(host, section, configured));
  findings.push(...providerRules(section));
  if (recommended) {
    findings.push(finding({
      id: 'smtp.recommended', area: 'smtp', severity: 'info',
      title: `Use port ${recommended.port} with ${SECURITY_NAME[recommended.security]} for ${host}`,
      detail: `Of the ports tried (${ports.map((p) => `${p.port}: ${p.outcome}`).join(', ')}), this is the best one that works.`,
      evidence: { recommended, outcomes: Object.fromEntries(ports.map((p) => [String(p.port), p.outcome])) },
      fixes: fix,
    }));
  } else if (ports.length > 0 && !anyWorking && !ports.some((p) => classifyProviderBlock(p))) {
    // Only when no port answered as a mail server: a sign-in or a provider's refusal is not a port problem.
    findings.push(finding({
      id: 'smtp.no-working-port', area: 'smtp', severity: 'error',
      title: `No port of ${host} works from here`,
      detail: `Tried ${ports.map((p) => `${p.port} (${p.outcome} at ${p.phase})`).join(', ')}.`,
      evidence: { host, outcomes: Object.fromEntries(ports.map((p) => [String(p.port), `${p.outcome}@${p.phase}`])) },
    }));
  }
  return findings;
}
