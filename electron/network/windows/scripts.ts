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

/** Arguments for powershell.exe: no profile, no prompts, the script as one -Command string. */
export function powershellArgs(script: string): string[] {
  return ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-Command', PRELUDE + script];
}
