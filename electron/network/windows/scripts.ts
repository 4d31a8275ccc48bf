// PowerShell one-liners, all read-only, all emitting JSON (netsh text output is localized).

const PRELUDE = "$ErrorActionPreference='Stop'; [Console]::OutputEncoding=[Text.Encoding]::UTF8; ";

export const PS = {
  profiles:
    'Get-NetFirewallProfile -PolicyStore ActiveStore | Select-Object Name,Enabled,DefaultInboundAction,DefaultOutboundAction | ConvertTo-Json -Compress',
  blockRules:
    // With no matching rule Get-NetFirewallRule writes an error; that is an empty answer, not a failure.
    'Get-NetFirewallRule -PolicyStore ActiveStore -Direction Outbound -Action Block -Enabled True -ErrorAction SilentlyContinue | ForEach-Object { ' +
    '$pf = $_ | Get-NetFirewallPortFilter; $af = $_ | Get-NetFirewallAddressFilter; $ap = $_ | Get-NetFirewallApplicationFilter; ' +
    '[pscustomobject]@{Name=$_.Name;DisplayName=$_.DisplayName;Profile=[string]$_.Profile;Protocol=$pf.Protocol;' +
    'RemotePort=@($pf.RemotePort);RemoteAddress=@($af.RemoteAddress);Program=$ap.Program} } | ConvertTo-Json -Depth 3 -Compress',
  adapters: 'Get-NetAdapter -IncludeHidden | Select-Object Name,InterfaceDescription,Status,MediaType,ifIndex | ConvertTo-Json -Compress',
  vpnConnections:
    "@(Get-VpnConnection -ErrorAction SilentlyContinue; Get-VpnConnection -AllUserConnection -ErrorAction SilentlyContinue) | Select-Object Name,ServerAddress,@{n='TunnelType';e={[string]$_.TunnelType}}," +
    "@{n='ConnectionStatus';e={[string]$_.ConnectionStatus}},SplitTunneling | ConvertTo-Json -Compress",
  antivirus:
    'Get-CimInstance -Namespace root/SecurityCenter2 -ClassName AntiVirusProduct | Select-Object displayName,productState | ConvertTo-Json -Compress',
  firewallProducts:
    'Get-CimInstance -Namespace root/SecurityCenter2 -ClassName FirewallProduct | Select-Object displayName,productState | ConvertTo-Json -Compress',
  winhttp:
    "$v = (Get-ItemProperty -Path 'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Internet Settings\\Connections' -Name WinHttpSettings " +
    '-ErrorAction SilentlyContinue).WinHttpSettings; if ($v) { ConvertTo-Json -InputObject ([int[]]$v) -Compress }',
  wininet:
    "Get-ItemProperty -Path 'HKCU:\\Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings' | " +
    'Select-Object ProxyEnable,ProxyServer,ProxyOverride,AutoConfigURL | ConvertTo-Json -Compress',
  /** `address` must already be a validated IP literal: it is pasted into the script. */
  route: (address: string) => `Find-NetRoute -RemoteIPAddress '${address}' | Select-Object InterfaceAlias,IPAddress,NextHop | ConvertTo-Json -Compress`,
} as const;

/**
 * Printed on its own line after the script's JSON. An answer counts only with it: "no output" is a real answer
 * (no block rule, no VPN), but a program that only stands in for PowerShell (Wine's prints nothing and exits 0)
 * must not pass for "checked, nothing found".
 */
export const PS_END = 'mailmedic:end';

/** Arguments for powershell.exe: no profile, no prompts, the script as one -Command string, then the end marker. */
export function powershellArgs(script: string): string[] {
  return ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-Command', `${PRELUDE}${script}; '${PS_END}'`];
}

/** The script's output without the end marker; null when the marker is not its last line (the script did not run to its end). */
export function withoutEndMarker(stdout: string): string | null {
  const lines = stdout.replace(/\s+$/, '').split(/\r?\n/);
  if (lines.at(-1)?.trim() !== PS_END) return null;
  return lines.slice(0, -1).join('\n');
}
