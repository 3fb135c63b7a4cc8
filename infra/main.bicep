// Provisions the ACS recording archiver for `azd up`: a resource group holding a Flex Consumption Function App with a
// user-assigned identity, host and archive storage, Application Insights and (optionally) Key Vault; an ACS resource
// (new, or an existing one by name) with its Event Grid system topic; every role assignment between them, and the one
// custom role they need (blob index tags on the archive).
// The Event Grid subscriptions to the functions are a second step (deployEventSubscription, scripts/post-deploy.sh).
targetScope = 'subscription'

import { appBehaviour } from 'app/types.bicep'

// ---------------------------------------------------------------------------------------------------------------------
// Environment
// ---------------------------------------------------------------------------------------------------------------------

@minLength(1)
@maxLength(64)
@description('azd environment name; names and tags every resource.')
param environmentName string

@minLength(1)
@description('Region for the resource group and the regional resources.')
@metadata({ azd: { type: 'location' } })
param location string

@description('Resource group name; empty for rg-<environmentName>.')
param resourceGroupName string = ''

// ---------------------------------------------------------------------------------------------------------------------
// Function App
// ---------------------------------------------------------------------------------------------------------------------

@description('Memory per Flex Consumption instance in MB.')
@allowed([512, 2048, 4096])
param functionInstanceMemoryMB int = 2048

@description('Most Flex Consumption instances the app scales out to.')
@minValue(40)
@maxValue(1000)
param functionMaximumInstances int = 100

// ---------------------------------------------------------------------------------------------------------------------
// Storage
// ---------------------------------------------------------------------------------------------------------------------

@description('Replication of host storage (Functions host, Durable Functions, app state).')
param hostStorageSkuName 'Standard_LRS' | 'Standard_ZRS' | 'Standard_GRS' | 'Standard_RAGRS' | 'Standard_GZRS' | 'Standard_RAGZRS' = 'Standard_LRS'

@description('Replication of archive storage.')
param archiveStorageSkuName 'Standard_LRS' | 'Standard_ZRS' | 'Standard_GRS' | 'Standard_RAGRS' | 'Standard_GZRS' | 'Standard_RAGZRS' = 'Standard_LRS'

@description('Archive container (ARCHIVE_CONTAINER).')
@minLength(3)
@maxLength(63)
param archiveContainerName string = 'recordings'

@description('Days after which archived recordings move to the Cool tier.')
@minValue(1)
param archiveCoolAfterDays int = 30

@description('Days after which archived recordings are deleted; 0 keeps them forever.')
@minValue(0)
param archiveDeleteAfterDays int = 0

@description('Days deleted or overwritten archive blobs stay recoverable (soft delete and previous versions).')
@minValue(1)
@maxValue(365)
param archiveSoftDeleteDays int = 14

@description('Time-based retention (WORM) for archived recordings, in days; 0 turns it off. Archived blobs then cannot be changed or deleted until it runs out.')
@minValue(0)
@maxValue(146000)
param archiveImmutabilityDays int = 0

// ---------------------------------------------------------------------------------------------------------------------
// Azure Communication Services and Event Grid
// ---------------------------------------------------------------------------------------------------------------------

@description('Name of an existing ACS resource to use; empty creates a new one.')
param existingAcsName string = ''

@description('Resource group of the existing ACS resource; empty means the app\'s resource group.')
param existingAcsResourceGroupName string = ''

@description('Name of the Event Grid system topic the existing ACS resource already has, if any (an ACS resource can have only one).')
param existingAcsSystemTopicName string = ''

@description('Data location of a new ACS resource (cannot be changed later).')
param acsDataLocation string = 'United States'

@description('Create the Event Grid subscription to the function. Leave false on the first `azd up` (the function does not exist yet); the postdeploy hook creates it and sets this to true.')
param deployEventSubscription bool = false

@description('Event Grid delivery attempts before an event is dead-lettered.')
@minValue(1)
@maxValue(30)
param eventMaxDeliveryAttempts int = 30

@description('Minutes Event Grid keeps retrying an event before it is dead-lettered.')
@minValue(1)
@maxValue(1440)
param eventTimeToLiveInMinutes int = 1440

// ---------------------------------------------------------------------------------------------------------------------
// App settings (src/config.ts)
// ---------------------------------------------------------------------------------------------------------------------

@description('Optional shared secret ACS echoes back on every callback (CALLBACK_TOKEN), on top of the ACS JWT. When set it is stored in a new Key Vault and referenced, never inlined.')
@secure()
param callbackToken string = ''

@description('ACS_API_VERSION')
param acsApiVersion string = '2026-03-12'

@description('ACS_REQUEST_TIMEOUT_MS')
@minValue(100)
@maxValue(600000)
param acsRequestTimeoutMs int = 30000

@description('ACS_MAX_RETRIES')
@minValue(0)
@maxValue(10)
param acsMaxRetries int = 4

@description('ACS_OPENID_CONFIG_URL: OpenID configuration with the keys that sign ACS callback JWTs.')
param acsOpenIdConfigUrl string = 'https://acscallautomation.communication.azure.com/calling/.well-known/acsopenidconfiguration'

@description('ACS_MEDIA_ALLOWED_ORIGINS: origins recordings may be downloaded from.')
param mediaAllowedOrigins string = 'https://*.asm.skype.com,https://*.asyncgw.teams.microsoft.com,https://*.ams.gov.teams.microsoft.us'

@description('RECORDING_AUTO_START')
param recordingAutoStart bool = true

@description('RECORDING_CONTENT')
param recordingContent 'audio' | 'audioVideo' = 'audio'

@description('RECORDING_CHANNEL')
param recordingChannel 'mixed' | 'unmixed' = 'mixed'

@description('RECORDING_FORMAT; empty picks what the app would: mp4 for audioVideo, wav for audio.')
param recordingFormat '' | 'wav' | 'mp3' | 'mp4' = ''

@description('RECORDING_PAUSE_ON_START')
param recordingPauseOnStart bool = false

@description('RECORD_ON_CALL_STARTED: record every ACS VoIP call of the resource from Event Grid CallStarted; also subscribes the callStartedEvents function to CallStarted and CallEnded.')
param recordOnCallStarted bool = false

@description('CALL_STARTED_FILTER: comma list of groupCalls, roomsCalls, twoPartyCalls recorded on CallStarted; empty for all.')
param callStartedFilter string = ''

@description('DELETE_SOURCE_AFTER_ARCHIVE: delete the ACS copy once the archive copy is verified.')
param deleteSourceAfterArchive bool = true

@description('ARCHIVE_CHUNK_CONCURRENCY')
@minValue(1)
@maxValue(64)
param archiveChunkConcurrency int = 4

@description('ARCHIVE_BLOCK_SIZE_MIB')
@minValue(1)
@maxValue(4000)
param archiveBlockSizeMiB int = 8

@description('ARCHIVE_TRANSFER_CONCURRENCY')
@minValue(1)
@maxValue(32)
param archiveTransferConcurrency int = 1

@description('ARCHIVE_RETRY_HORIZON_HOURS: hours after the event during which transient chunk failures are retried (ACS keeps files ~24 h).')
@minValue(1)
@maxValue(23)
param archiveRetryHorizonHours int = 20
@description('DOWNLOAD_LINK_MINUTES: validity of a download link (user delegation SAS of the app identity, which holds Storage Blob Data Contributor on the archive account and so generateUserDelegationKey).')
@minValue(1)
@maxValue(60)
param downloadLinkMinutes int = 15
@description('CONSOLE_ENABLED: serve the operator console at /api/console (anonymous page; its calls need the function key). Put App Service Authentication (Entra ID) in front of the app to restrict who can open it.')
param consoleEnabled bool = true

@description('STATE_TABLE_NAME')
param stateTableName string = 'recordingstate'

@description('TASKHUB_NAME (Durable Functions task hub; letters and digits, 3-45 characters).')
@minLength(3)
@maxLength(45)
param taskHubName string = 'recordings'

@description('Days Log Analytics keeps telemetry.')
@minValue(30)
@maxValue(730)
param logRetentionInDays int = 30

// ---------------------------------------------------------------------------------------------------------------------
// Alerts (app/alerts.bicep; runbook in README "Operating it")
// ---------------------------------------------------------------------------------------------------------------------

@description('ALERT_EMAILS: comma-separated e-mail addresses every alert notifies; empty creates the rules without receivers.')
param alertEmails string = ''

@description('ALERT_ARCHIVE_LAG_HOURS: alert when a recording whose archive started this many hours ago is still not archived.')
@minValue(1)
@maxValue(23)
param alertArchiveLagHours int = 4

@description('Failed function executions in 15 minutes above which an alert fires.')
@minValue(0)
param alertFunctionFailureThreshold int = 5

@description('Failed Event Grid delivery attempts in 15 minutes above which an alert fires.')
@minValue(0)
param alertDeliveryFailureThreshold int = 10

// ---------------------------------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------------------------------

var abbrs = loadJsonContent('abbreviations.json')
// Stable per subscription, environment and region, so re-running `azd up` updates rather than duplicates.
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
var useExistingAcs = !empty(existingAcsName)
var acsName = useExistingAcs ? existingAcsName : '${abbrs.communicationServices}${resourceToken}'
var acsResourceGroupName = useExistingAcs && !empty(existingAcsResourceGroupName)
  ? existingAcsResourceGroupName
  : rg.name
var systemTopicName = !empty(existingAcsSystemTopicName)
  ? existingAcsSystemTopicName
  : '${abbrs.eventGridSystemTopics}${resourceToken}'
var deploymentContainerName = 'app-package-${take(resourceToken, 7)}'
var deadLetterContainerName = 'eventgrid-deadletter'
var functionAppName = '${abbrs.webSitesFunctions}${resourceToken}'
var identityName = '${abbrs.managedIdentityUserAssignedIdentities}${resourceToken}'
var hostStorageName = '${abbrs.storageStorageAccounts}${resourceToken}'
var archiveStorageName = '${abbrs.storageStorageAccounts}arc${resourceToken}'
var applicationInsightsName = '${abbrs.insightsComponents}${resourceToken}'
// Names passed to modules are computed here, not taken from module outputs, so they are known before deployment and
// What-If can predict the modules' resources; the ordering the outputs would have implied is spelled out in dependsOn.
var identityResourceId = resourceId(subscription().subscriptionId, rg.name, 'Microsoft.ManagedIdentity/userAssignedIdentities', identityName)
var systemTopicResourceId = resourceId(subscription().subscriptionId, acsResourceGroupName, 'Microsoft.EventGrid/systemTopics', systemTopicName)

resource rg 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: !empty(resourceGroupName) ? resourceGroupName : '${abbrs.resourcesResourceGroups}${environmentName}'
  location: location
  tags: tags
}

// Blob index tags on archived recordings (docs/archive.md "Blob layout") are written with Set Blob Tags, which needs the
// data action blobs/tags/write. Storage Blob Data Contributor lacks it, and Storage Blob Data Owner would grant every
// blob data action (ownership and ACL changes included), so the app gets a custom role with only the two tag actions
// (https://learn.microsoft.com/azure/storage/blobs/storage-blob-index-how-to: "a Storage Blob Data Owner or a security
// principal that has been given permission to the .../blobs/tags/write ... operation via a custom Azure role").
// Defined here, at main.bicep's subscription scope, so its id has the subscription-level form role assignments
// reference; assignable only in this resource group, and assigned on the archive container (app/rbac.bicep).
// Name and roleName derive from the globally unique archive account name: roleName must be unique in the tenant, and a
// re-provision then updates the same definition rather than colliding with it.
resource archiveTagsRole 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(subscription().id, archiveStorageName, 'blob-index-tags')
  properties: {
    roleName: 'Recording archive blob index tags (${archiveStorageName})'
    description: 'Read and write blob index tags on archived recordings in ${archiveStorageName}; grants no access to blob content.'
    type: 'CustomRole'
    permissions: [
      {
        actions: []
        notActions: []
        dataActions: [
          'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags/read'
          'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags/write'
        ]
        notDataActions: []
      }
    ]
    assignableScopes: [rg.id]
  }
}

module identity 'app/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: identityName
    location: location
    tags: tags
  }
}

module monitoring 'app/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
    applicationInsightsName: applicationInsightsName
    location: location
    tags: tags
    retentionInDays: logRetentionInDays
  }
}

module hostStorage 'app/storage-host.bicep' = {
  name: 'host-storage'
  scope: rg
  params: {
    name: hostStorageName
    location: location
    tags: tags
    skuName: hostStorageSkuName
    deploymentContainerName: deploymentContainerName
    deadLetterContainerName: deadLetterContainerName
  }
}

module archiveStorage 'app/storage-archive.bicep' = {
  name: 'archive-storage'
  scope: rg
  params: {
    name: archiveStorageName
    location: location
    tags: tags
    skuName: archiveStorageSkuName
    containerName: archiveContainerName
    coolAfterDays: archiveCoolAfterDays
    deleteAfterDays: archiveDeleteAfterDays
    softDeleteDays: archiveSoftDeleteDays
    immutabilityDays: archiveImmutabilityDays
  }
}

module acsCreate 'app/acs-create.bicep' = if (!useExistingAcs) {
  // Deployment names in the ACS resource group carry the token: several environments may share one ACS resource.
  name: 'acs-create-${resourceToken}'
  scope: resourceGroup(acsResourceGroupName)
  params: {
    name: acsName
    dataLocation: acsDataLocation
    tags: tags
  }
}

module acs 'app/acs.bicep' = {
  name: 'acs-${resourceToken}'
  scope: resourceGroup(acsResourceGroupName)
  params: {
    acsName: acsName
    systemTopicName: systemTopicName
    tags: tags
    appPrincipalId: identity.outputs.principalId
    appIdentityResourceId: identityResourceId
  }
  // Reads the ACS resource as `existing`, so it must wait for the one acsCreate makes.
  dependsOn: [acsCreate]
}

module rbac 'app/rbac.bicep' = {
  name: 'rbac'
  scope: rg
  params: {
    hostStorageName: hostStorageName
    archiveStorageName: archiveStorageName
    archiveContainerName: archiveContainerName
    archiveTagsRoleDefinitionId: archiveTagsRole.id
    deadLetterContainerName: deadLetterContainerName
    applicationInsightsName: applicationInsightsName
    appPrincipalId: identity.outputs.principalId
    appIdentityResourceId: identityResourceId
    systemTopicPrincipalId: acs.outputs.systemTopicPrincipalId
    systemTopicResourceId: systemTopicResourceId
  }
  dependsOn: [hostStorage, archiveStorage, monitoring]
}

module keyVault 'app/keyvault.bicep' = if (!empty(callbackToken)) {
  name: 'key-vault'
  scope: rg
  params: {
    name: '${abbrs.keyVaultVaults}${resourceToken}'
    location: location
    tags: tags
    callbackToken: callbackToken
    appPrincipalId: identity.outputs.principalId
    appIdentityResourceId: identityResourceId
  }
}

var behaviour appBehaviour = {
  acsApiVersion: acsApiVersion
  acsRequestTimeoutMs: acsRequestTimeoutMs
  acsMaxRetries: acsMaxRetries
  acsOpenIdConfigUrl: acsOpenIdConfigUrl
  mediaAllowedOrigins: mediaAllowedOrigins
  deleteSourceAfterArchive: deleteSourceAfterArchive
  archiveChunkConcurrency: archiveChunkConcurrency
  archiveBlockSizeMiB: archiveBlockSizeMiB
  archiveTransferConcurrency: archiveTransferConcurrency
  archiveRetryHorizonHours: archiveRetryHorizonHours
  downloadLinkMinutes: downloadLinkMinutes
  consoleEnabled: consoleEnabled
  stateTableName: stateTableName
  taskHubName: taskHubName
  recording: {
    autoStart: recordingAutoStart
    content: recordingContent
    channel: recordingChannel
    format: recordingFormat
    pauseOnStart: recordingPauseOnStart
    onCallStarted: recordOnCallStarted
    callStartedFilter: callStartedFilter
  }
}

module api 'app/api.bicep' = {
  name: 'api'
  scope: rg
  params: {
    planName: '${abbrs.webServerFarms}${resourceToken}'
    appName: functionAppName
    location: location
    tags: tags
    identityResourceId: identityResourceId
    identityClientId: identity.outputs.clientId
    hostStorageName: hostStorageName
    deploymentContainerName: deploymentContainerName
    archiveStorageName: archiveStorageName
    archiveContainerName: archiveContainerName
    applicationInsightsName: applicationInsightsName
    acsEndpoint: acs.outputs.endpoint
    acsImmutableResourceId: acs.outputs.immutableResourceId
    callbackTokenReferenceUri: empty(callbackToken) ? '' : keyVault!.outputs.callbackTokenReferenceUri
    instanceMemoryMB: functionInstanceMemoryMB
    maximumInstanceCount: functionMaximumInstances
    behaviour: behaviour
  }
  // The app starts as soon as it exists; with its roles in place first it never runs without storage access.
  dependsOn: [hostStorage, archiveStorage, monitoring, rbac]
}

module eventSubscription 'app/eventSubscription.bicep' = if (deployEventSubscription) {
  name: 'event-subscription-${resourceToken}'
  scope: resourceGroup(acsResourceGroupName)
  params: {
    systemTopicName: systemTopicName
    functionAppResourceId: api.outputs.id
    functionAppHostName: api.outputs.defaultHostName
    endpointType: 'AzureFunction'
    deadLetterStorageAccountId: hostStorage.outputs.id
    deadLetterContainerName: hostStorage.outputs.deadLetterContainerName
    maxDeliveryAttempts: eventMaxDeliveryAttempts
    eventTimeToLiveInMinutes: eventTimeToLiveInMinutes
  }
  // Dead-lettering is validated on create: the topic's role on the container must exist first.
  dependsOn: [rbac]
}

// CallStarted / CallEnded to `callStartedEvents`: the same file, retry policy and dead-lettering as above.
module callStartedSubscription 'app/eventSubscription.bicep' = if (deployEventSubscription && recordOnCallStarted) {
  name: 'call-started-subscription-${resourceToken}'
  scope: resourceGroup(acsResourceGroupName)
  params: {
    systemTopicName: systemTopicName
    name: 'call-started-events'
    functionAppResourceId: api.outputs.id
    functionAppHostName: api.outputs.defaultHostName
    functionName: 'callStartedEvents'
    includedEventTypes: ['Microsoft.Communication.CallStarted', 'Microsoft.Communication.CallEnded']
    endpointType: 'AzureFunction'
    deadLetterStorageAccountId: hostStorage.outputs.id
    deadLetterContainerName: hostStorage.outputs.deadLetterContainerName
    maxDeliveryAttempts: eventMaxDeliveryAttempts
    eventTimeToLiveInMinutes: eventTimeToLiveInMinutes
  }
  dependsOn: [rbac]
}

// Alert rules and their action group, next to Application Insights; the Event Grid rules watch the system topic,
// which may live in the ACS resource group.
module alerts 'app/alerts.bicep' = {
  name: 'alerts'
  scope: rg
  params: {
    namePrefix: 'alert-${resourceToken}'
    location: location
    tags: tags
    alertEmails: alertEmails
    applicationInsightsName: applicationInsightsName
    systemTopicResourceId: systemTopicResourceId
    archiveLagHours: alertArchiveLagHours
    functionFailureThreshold: alertFunctionFailureThreshold
    deliveryFailureThreshold: alertDeliveryFailureThreshold
  }
  dependsOn: [monitoring, acs]
}

// The operator's dashboard (README "Operating it"), next to Application Insights.
module workbook 'app/workbook.bicep' = {
  name: 'workbook'
  scope: rg
  params: {
    displayName: 'Recording archiver (${environmentName})'
    location: location
    tags: tags
    applicationInsightsName: applicationInsightsName
  }
  dependsOn: [monitoring]
}

// ---------------------------------------------------------------------------------------------------------------------
// Outputs (azd stores them in the environment; scripts/post-deploy.sh reads them)
// ---------------------------------------------------------------------------------------------------------------------

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name

@description('Function App name.')
output AZURE_FUNCTION_APP_NAME string = api.outputs.name
output AZURE_FUNCTION_APP_RESOURCE_ID string = api.outputs.id
output AZURE_FUNCTION_APP_HOST_NAME string = api.outputs.defaultHostName

@description('Base URL of the app (PUBLIC_BASE_URL).')
output FUNCTION_APP_URL string = 'https://${api.outputs.defaultHostName}'

@description('Give this to Call Automation as the callback URI (the app does so itself for calls it answers).')
output CALLBACK_URL string = 'https://${api.outputs.defaultHostName}/api/callbacks/call-automation'

@description('Recordings control API.')
output RECORDINGS_API_URL string = 'https://${api.outputs.defaultHostName}/api/recordings'

output ACS_NAME string = acs.outputs.name
output ACS_RESOURCE_GROUP string = acsResourceGroupName
output ACS_ENDPOINT string = acs.outputs.endpoint
@description('ACS immutable resource id: the audience of the JWT on every ACS callback.')
output ACS_IMMUTABLE_RESOURCE_ID string = acs.outputs.immutableResourceId
output ACS_SYSTEM_TOPIC_NAME string = acs.outputs.systemTopicName

output HOST_STORAGE_ACCOUNT_NAME string = hostStorage.outputs.name
output ARCHIVE_STORAGE_ACCOUNT_NAME string = archiveStorage.outputs.name
output ARCHIVE_CONTAINER_NAME string = archiveStorage.outputs.containerName

output EVENT_GRID_DEAD_LETTER_STORAGE_ID string = hostStorage.outputs.id
output EVENT_GRID_DEAD_LETTER_CONTAINER string = hostStorage.outputs.deadLetterContainerName
output EVENT_GRID_MAX_DELIVERY_ATTEMPTS int = eventMaxDeliveryAttempts
output EVENT_GRID_EVENT_TTL_MINUTES int = eventTimeToLiveInMinutes
@description('RECORD_ON_CALL_STARTED: the postdeploy hook then also subscribes callStartedEvents to CallStarted/CallEnded.')
output RECORD_ON_CALL_STARTED bool = recordOnCallStarted

output APPLICATIONINSIGHTS_NAME string = monitoring.outputs.applicationInsightsName

@description('Action group every alert notifies (add receivers in the portal or through ALERT_EMAILS).')
output ALERT_ACTION_GROUP_ID string = alerts.outputs.actionGroupId

@description('Open the operations workbook (recordings, bytes, failures, lag, retries, ArchiveFailed rows).')
output WORKBOOK_URL string = workbook.outputs.portalUrl
