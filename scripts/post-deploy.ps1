# azd postdeploy hook (Windows): the PowerShell twin of post-deploy.sh; see that file for why this is a second step.
# Subscribes the deployed `recordingFileStatusUpdated` function to ACS RecordingFileStatusUpdated events, and, when
# RECORD_ON_CALL_STARTED=true, `callStartedEvents` to CallStarted and CallEnded, by deploying
# infra/app/eventSubscription.bicep once per subscription, then sets DEPLOY_EVENT_SUBSCRIPTION=true so later
# provisions keep them.
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$Template = Join-Path (Split-Path -Parent $PSScriptRoot) 'infra/app/eventSubscription.bicep'
$EndpointType = if ($env:EVENT_SUBSCRIPTION_ENDPOINT_TYPE) { $env:EVENT_SUBSCRIPTION_ENDPOINT_TYPE } else { 'AzureFunction' }
$MaxAttempts = if ($env:POST_DEPLOY_MAX_ATTEMPTS) { [int]$env:POST_DEPLOY_MAX_ATTEMPTS } else { 20 }
$FirstDelay = if ($env:POST_DEPLOY_RETRY_DELAY_SECONDS) { [int]$env:POST_DEPLOY_RETRY_DELAY_SECONDS } else { 5 }

function Write-Log([string]$Message) { [Console]::Error.WriteLine("post-deploy: $Message") }

if ($env:SKIP_EVENT_SUBSCRIPTION -eq 'true') {
  Write-Log 'SKIP_EVENT_SUBSCRIPTION=true: not creating the Event Grid subscription'
  exit 0
}

$required = 'AZURE_SUBSCRIPTION_ID', 'AZURE_FUNCTION_APP_NAME', 'AZURE_FUNCTION_APP_RESOURCE_ID', 'AZURE_FUNCTION_APP_HOST_NAME',
  'AZURE_RESOURCE_GROUP', 'ACS_RESOURCE_GROUP', 'ACS_SYSTEM_TOPIC_NAME', 'EVENT_GRID_DEAD_LETTER_STORAGE_ID',
  'EVENT_GRID_DEAD_LETTER_CONTAINER', 'EVENT_GRID_MAX_DELIVERY_ATTEMPTS', 'EVENT_GRID_EVENT_TTL_MINUTES'
foreach ($name in $required) {
  if (-not [Environment]::GetEnvironmentVariable($name)) { throw "$name is not set: run this as the azd postdeploy hook, after azd provision" }
}
if ($EndpointType -notin 'AzureFunction', 'WebHook') { throw "EVENT_SUBSCRIPTION_ENDPOINT_TYPE must be AzureFunction or WebHook, got '$EndpointType'" }
$RecordOnCallStarted = switch -Regex ("$env:RECORD_ON_CALL_STARTED") {
  '^(?i:true)$' { $true; break }
  '^((?i:false)|)$' { $false; break }
  default { throw "RECORD_ON_CALL_STARTED must be true or false, got '$env:RECORD_ON_CALL_STARTED'" }
}

# Runs $Attempt until it returns a non-empty value, with bounded, doubling waits (capped at 60 s).
function Invoke-WithRetry([string]$Description, [scriptblock]$Attempt) {
  $delay = $FirstDelay
  for ($i = 1; $i -le $MaxAttempts; $i++) {
    $result = & $Attempt
    if ($LASTEXITCODE -eq 0 -and $result) { return $result }
    if ($i -eq $MaxAttempts) { break }
    Write-Log "${Description}: not yet (attempt $i of $MaxAttempts), retrying in ${delay}s"
    Start-Sleep -Seconds $delay
    $delay = [Math]::Min($delay * 2, 60)
  }
  throw "${Description}: gave up after $MaxAttempts attempts"
}

$common = @('--subscription', $env:AZURE_SUBSCRIPTION_ID, '--resource-group', $env:AZURE_RESOURCE_GROUP, '--name', $env:AZURE_FUNCTION_APP_NAME)
$script:key = $null

# Waits until $FunctionName is listed, then deploys its subscription to $EventTypes.
function Add-Subscription([string]$FunctionName, [string]$SubscriptionName, [string[]]$EventTypes) {
  Invoke-WithRetry "function $FunctionName listed on $env:AZURE_FUNCTION_APP_NAME" {
    az functionapp function show @common --function-name $FunctionName --query name --output tsv 2>$null
  } | Out-Null

  $parameters = [ordered]@{
    systemTopicName            = @{ value = $env:ACS_SYSTEM_TOPIC_NAME }
    name                       = @{ value = $SubscriptionName }
    functionAppResourceId      = @{ value = $env:AZURE_FUNCTION_APP_RESOURCE_ID }
    functionAppHostName        = @{ value = $env:AZURE_FUNCTION_APP_HOST_NAME }
    functionName               = @{ value = $FunctionName }
    includedEventTypes         = @{ value = $EventTypes }
    endpointType               = @{ value = $EndpointType }
    deadLetterStorageAccountId = @{ value = $env:EVENT_GRID_DEAD_LETTER_STORAGE_ID }
    deadLetterContainerName    = @{ value = $env:EVENT_GRID_DEAD_LETTER_CONTAINER }
    maxDeliveryAttempts        = @{ value = [int]$env:EVENT_GRID_MAX_DELIVERY_ATTEMPTS }
    eventTimeToLiveInMinutes   = @{ value = [int]$env:EVENT_GRID_EVENT_TTL_MINUTES }
  }
  if ($EndpointType -eq 'WebHook') {
    # Read once, into a variable and a private temp file, never printed or passed on the command line.
    if (-not $script:key) {
      $script:key = Invoke-WithRetry 'eventgrid_extension system key' {
        az functionapp keys list @common --query systemKeys.eventgrid_extension --output tsv 2>$null
      }
    }
    $parameters.eventGridSystemKey = @{ value = $script:key }
  }

  $paramsFile = New-TemporaryFile
  try {
    @{ '$schema' = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#'; contentVersion = '1.0.0.0'; parameters = $parameters } |
      ConvertTo-Json -Depth 5 | Set-Content -Path $paramsFile -Encoding utf8
    Write-Log "subscribing $FunctionName ($EndpointType) to $($EventTypes -join ', ') on $env:ACS_SYSTEM_TOPIC_NAME"
    az deployment group create --subscription $env:AZURE_SUBSCRIPTION_ID --resource-group $env:ACS_RESOURCE_GROUP `
      --name "$SubscriptionName-$(if ($env:AZURE_ENV_NAME) { $env:AZURE_ENV_NAME } else { 'azd' })" --template-file $Template `
      --parameters "@$paramsFile" --only-show-errors --output none
    if ($LASTEXITCODE -ne 0) { throw 'az deployment group create failed' }
  }
  finally {
    Remove-Item -Force $paramsFile -ErrorAction SilentlyContinue
  }
}

Add-Subscription 'recordingFileStatusUpdated' 'recording-file-status-updated' @('Microsoft.Communication.RecordingFileStatusUpdated')
if ($RecordOnCallStarted) {
  Add-Subscription 'callStartedEvents' 'call-started-events' @('Microsoft.Communication.CallStarted', 'Microsoft.Communication.CallEnded')
}

if ($EndpointType -eq 'AzureFunction') { azd env set DEPLOY_EVENT_SUBSCRIPTION true }
Write-Log "done: ACS events now reach the app (dead letters go to container $env:EVENT_GRID_DEAD_LETTER_CONTAINER)"
