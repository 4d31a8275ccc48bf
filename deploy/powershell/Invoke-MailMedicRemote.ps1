<#
.SYNOPSIS
  Runs `mailmedic scan` on remote PCs IN THE LOGGED-ON USER'S CONTEXT and collects the reports.

.DESCRIPTION
  Invoke-Command alone runs as the connecting admin, whose HKCU is not the user's: Outlook profiles would be
  missing. So on each PC this registers a one-shot scheduled task that runs as the interactive user, waits for
  it (bounded), reads the JSON report and removes the task. Then `mailmedic report merge` makes the fleet view.

.EXAMPLE
  .\Invoke-MailMedicRemote.ps1 -ComputerName PC-ANA-01,PC-BEN-02 -OutDir .\reports
  mailmedic report merge .\reports\*.json --html fleet.html
#>
param(
  [Parameter(Mandatory)] [string[]] $ComputerName,
  [string] $OutDir = '.\reports',
  [int] $TimeoutSeconds = 300,
  [System.Management.Automation.PSCredential] $Credential
)
$ErrorActionPreference = 'Stop'
New-Item -ItemType Directory -Force -Path $OutDir | Out-Null

$remote = {
  param($TimeoutSeconds)
  $user = (Get-CimInstance Win32_ComputerSystem).UserName
  if (-not $user) { throw 'nobody is logged on' }
  $report = "C:\ProgramData\MailMedic\scan-$([guid]::NewGuid()).json"
  New-Item -ItemType Directory -Force -Path (Split-Path $report) | Out-Null
  $cmd = "`"$env:LOCALAPPDATA\Programs\MailMedic\resources\mailmedic.cmd`""
  $action = New-ScheduledTaskAction -Execute 'cmd.exe' -Argument "/c $cmd scan --json --out `"$report`""
  $principal = New-ScheduledTaskPrincipal -UserId $user -LogonType Interactive -RunLevel Limited
  $name = "MailMedicScan-$([guid]::NewGuid())"
  Register-ScheduledTask -TaskName $name -Action $action -Principal $principal | Out-Null
  try {
    Start-ScheduledTask -TaskName $name
    $deadline = (Get-Date).AddSeconds($TimeoutSeconds)
    while ((Get-ScheduledTask -TaskName $name).State -eq 'Running' -and (Get-Date) -lt $deadline) { Start-Sleep 2 }
    if (-not (Test-Path $report)) { throw "no report after $TimeoutSeconds s" }
    Get-Content $report -Raw
  } finally {
    Unregister-ScheduledTask -TaskName $name -Confirm:$false
    Remove-Item $report -ErrorAction SilentlyContinue
  }
}

foreach ($pc in $ComputerName) {
  try {
    $params = @{ ComputerName = $pc; ScriptBlock = $remote; ArgumentList = $TimeoutSeconds }
    if ($Credential) { $params.Credential = $Credential }
    $json = Invoke-Command @params
    Set-Content -Path (Join-Path $OutDir "$pc.json") -Value $json -Encoding utf8
    Write-Host "$pc: report saved"
  } catch {
    Write-Warning "$pc: $_"
  }
}
