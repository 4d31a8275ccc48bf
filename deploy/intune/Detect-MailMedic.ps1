<#
  Intune proactive remediation — DETECTION script.
  Assign with "Run this script using the logged-on credentials: Yes" so that MailMedic sees the user's
  HKCU (Outlook profiles) and %APPDATA% (Thunderbird). Intune runs the remediation when this exits 1.

  mailmedic exit codes: 0 = no problem, 1 = problems found, 2 = could not run.
#>
$ErrorActionPreference = 'Stop'
$mailmedic = Join-Path $env:LOCALAPPDATA 'Programs\MailMedic\resources\mailmedic.cmd'
if (-not (Test-Path $mailmedic)) { $mailmedic = 'mailmedic' }
$report = Join-Path $env:TEMP 'mailmedic-detect.json'

& $mailmedic scan --json --out $report | Out-Null
$code = $LASTEXITCODE
if ($code -eq 2) { Write-Output 'MailMedic could not run'; exit 0 }   # do not remediate blindly
if ($code -eq 0) { Write-Output 'Mail OK'; exit 0 }

# Problems: say which, in one line (Intune shows the last line of output).
$r = Get-Content $report -Raw | ConvertFrom-Json
$top = $r.findings | Where-Object { $_.severity -ne 'info' } | Select-Object -First 1
Write-Output ("{0}: {1}" -f $top.id, $top.title)
exit 1
