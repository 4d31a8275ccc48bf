<#
  Intune proactive remediation — REMEDIATION script (logged-on credentials: Yes).
  Applies the fixes MailMedic itself proposes, but only those on the allow-list below: an IT-approved set.
  Every fix keeps a backup and can be undone with `mailmedic undo <journal id>` (printed in the output).
#>
$ErrorActionPreference = 'Stop'
$mailmedic = Join-Path $env:LOCALAPPDATA 'Programs\MailMedic\resources\mailmedic.cmd'
if (-not (Test-Path $mailmedic)) { $mailmedic = 'mailmedic' }
# Fix id prefixes IT allows to run unattended (SMTP port/security switches in the mail clients).
$allowed = @('thunderbird.smtp-port', 'outlook.smtp-port')
$report = Join-Path $env:TEMP 'mailmedic-remediate.json'

& $mailmedic scan --json --out $report | Out-Null
if ($LASTEXITCODE -eq 2) { Write-Output 'MailMedic could not run'; exit 1 }
$r = Get-Content $report -Raw | ConvertFrom-Json
$fixes = $r.findings | ForEach-Object { $_.fixes } | Where-Object { $id = $_.id; $allowed | Where-Object { $id.StartsWith($_) } }
if (-not $fixes) { Write-Output 'Nothing approved to fix'; exit 0 }

$failed = 0
foreach ($fix in ($fixes | Select-Object -First 1)) {   # one fix per run; detection runs again afterwards
  $out = & $mailmedic fix $fix.id --yes --json | ConvertFrom-Json
  if ($LASTEXITCODE -ne 0 -or -not $out.applied) { $failed++ ; Write-Output "Not applied: $($fix.id): $($out.message)" }
  else { Write-Output "Applied $($fix.id) (undo: mailmedic undo $($out.journalId))" }
}
exit $failed
