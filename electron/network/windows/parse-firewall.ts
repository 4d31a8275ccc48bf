import { asArray, fail, isRecord, ok, parseJson, str, type Parsed } from '../parsed.ts';
import { smtpPortsIn } from '../ports.ts';
import { clip } from '../firewall-result.ts';
import type { BlockRule, FirewallComponent } from '../schema.ts';

// PowerShell ConvertTo-Json output (netsh text is localized; JSON property names are not).
// Enums arrive as numbers (GpoBoolean: 0 False, 1 True, 2 NotConfigured; Action: 0 NotConfigured,
// 2 Allow, 4 Block) or as names when the script casts them with [string].

function gpoBoolean(v: unknown): boolean | null {
  if (v === 1 || v === true || v === 'True' || v === 'true') return true;
  if (v === 0 || v === false || v === 'False' || v === 'false') return false;
  return null;
}

function outboundAction(v: unknown): 'allow' | 'block' | null {
  if (v === 4 || v === 'Block') return 'block';
  // NotConfigured falls back to Windows' built-in default, which allows outbound traffic.
  if (v === 2 || v === 0 || v === 'Allow' || v === 'NotConfigured') return 'allow';
  return null;
}

/** Get-NetFirewallProfile | Select Name,Enabled,DefaultInboundAction,DefaultOutboundAction | ConvertTo-Json */
export function parseFirewallProfiles(text: string): Parsed<FirewallComponent[]> {
  const j = parseJson(text);
  if (!j.ok) return fail(`Get-NetFirewallProfile: ${j.error}`);
  const out: FirewallComponent[] = [];
  for (const p of asArray(j.value).slice(0, 16)) {
    if (!isRecord(p) || typeof p.Name !== 'string') return fail('Get-NetFirewallProfile: an entry has no Name');
    out.push({
      source: 'windows-firewall',
      name: `${p.Name} profile`,
      enabled: gpoBoolean(p.Enabled),
      defaultOutbound: outboundAction(p.DefaultOutboundAction),
    });
  }
  if (out.length === 0) return fail('Get-NetFirewallProfile: no profiles in the output');
  return ok(out);
}

function protocolIsTcp(v: unknown): boolean {
  const s = str(v);
  return s === null || /^(tcp|6|any)$/i.test(s);
}

// Mail programs whose own block rule matters; a Block rule scoped to any other program does not stop mail.
const MAIL_PROGRAMS = /(^|\\)(outlook|olk|hxoutlook|hxtsr|thunderbird|mailclient|mailspring|postbox|em client|winmail)[^\\]*\.exe$/i;

/** Outbound Block rules with their port filters (the script in collect/windows.ts), kept when they touch SMTP. */
export function parseOutboundBlockRules(text: string): Parsed<BlockRule[]> {
  // No enabled outbound block rule at all: PowerShell prints nothing.
  if (text.trim() === '') return ok([]);
  const j = parseJson(text);
  if (!j.ok) return fail(`Get-NetFirewallRule: ${j.error}`);
  const out: BlockRule[] = [];
  for (const r of asArray(j.value).slice(0, 50_000)) {
    if (!isRecord(r)) continue;
    if (!protocolIsTcp(r.Protocol)) continue;
    const program = str(r.Program);
    const scoped = program !== null && program !== '' && !/^any$/i.test(program);
    if (scoped && !MAIL_PROGRAMS.test(program)) continue;
    const portList = asArray(r.RemotePort).map((x) => str(x) ?? '').filter(Boolean);
    const ports = smtpPortsIn(portList.length ? portList : ['Any']);
    if (ports.length === 0) continue;
    const addresses = asArray(r.RemoteAddress).map((x) => str(x) ?? '').filter((a) => a && !/^any$/i.test(a));
    const name = str(r.DisplayName) ?? str(r.Name) ?? 'unnamed rule';
    out.push({
      source: 'windows-firewall',
      name,
      action: 'drop',
      ports,
      addresses,
      location: null,
      text: clip(`${name} [${str(r.Name) ?? ''}] profile=${str(r.Profile) ?? '?'} protocol=${str(r.Protocol) ?? 'Any'} remoteport=${portList.join(',') || 'Any'}${scoped ? ` program=${program}` : ''}`),
    });
  }
  return ok(out);
}
