// The Function App on the Flex Consumption plan (Linux, Node 22), running as the user-assigned identity, with every
// setting the code reads (src/config.ts, host.json). Identity-based connections only: no connection strings, no keys.
import { appBehaviour } from 'types.bicep'

@description('Flex Consumption plan name.')
param planName string

@description('Function App name (becomes <name>.azurewebsites.net).')
param appName string

@description('Azure region.')
param location string

@description('Tags for the plan and the app; the app also gets azd-service-name so `azd deploy` finds it.')
param tags { *: string }

@description('Resource id of the app identity.')
param identityResourceId string

@description('Client id of the app identity (AZURE_CLIENT_ID, AzureWebJobsStorage__clientId, ...).')
param identityClientId string

@description('Host storage account name (AzureWebJobsStorage).')
param hostStorageName string

@description('Container in host storage holding the deployment package.')
param deploymentContainerName string

@description('Archive storage account name (ARCHIVE_STORAGE).')
param archiveStorageName string

@description('Archive container (ARCHIVE_CONTAINER).')
param archiveContainerName string

@description('Application Insights name.')
param applicationInsightsName string

@description('ACS endpoint, https://<name>.<geo>.communication.azure.com (ACS_ENDPOINT).')
param acsEndpoint string

@description('ACS immutable resource id (ACS_RESOURCE_ID): makes every callback require a valid ACS-signed JWT.')
param acsImmutableResourceId string

@description('Key Vault secret URI of the callback token, or empty for none (CALLBACK_TOKEN).')
param callbackTokenReferenceUri string

@description('Memory per instance in MB. 2048 suits streaming recordings; 4096 for more parallel transfers per instance.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int

@description('Most instances the app scales out to (caps cost and the load on ACS and storage).')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int

@description('App behaviour settings (ACS, archive and recording defaults).')
param behaviour appBehaviour

resource hostStorage 'Microsoft.Storage/storageAccounts@2026-09-01' existing = {
  name: hostStorageName
}

resource archiveStorage 'Microsoft.Storage/storageAccounts@2026-09-01' existing = {
  name: archiveStorageName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    // Flex Consumption is Linux only.
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2025-03-01' = {
  name: appName
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityResourceId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Key Vault references resolve with the user-assigned identity (there is no system-assigned one).
    keyVaultReferenceIdentity: identityResourceId
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${hostStorage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityResourceId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      // On Flex the runtime and its version live here, not in FUNCTIONS_WORKER_RUNTIME / WEBSITE_NODE_DEFAULT_VERSION.
      runtime: {
        name: 'node'
        version: '22'
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
    }
  }
}

// Every setting the code reads. A separate resource (rather than siteConfig.appSettings) so PUBLIC_BASE_URL can use
// the host name Azure assigned the app. It replaces the whole set, so settings added by hand are dropped on redeploy.
resource appSettings 'Microsoft.Web/sites/config@2025-03-01' = {
  parent: app
  name: 'appsettings'
  properties: {
    // Host storage by identity: Durable Functions needs blob, queue and table endpoints, and `credential` +
    // `clientId` because it is a user-assigned identity (managedIdentityResourceId is not supported by Durable).
    AzureWebJobsStorage__blobServiceUri: hostStorage.properties.primaryEndpoints.blob
    AzureWebJobsStorage__queueServiceUri: hostStorage.properties.primaryEndpoints.queue
    AzureWebJobsStorage__tableServiceUri: hostStorage.properties.primaryEndpoints.table
    AzureWebJobsStorage__credential: 'managedidentity'
    AzureWebJobsStorage__clientId: identityClientId
    // Archive storage by identity (read by src/config.ts readStorageConnection('ARCHIVE_STORAGE')).
    ARCHIVE_STORAGE__blobServiceUri: archiveStorage.properties.primaryEndpoints.blob
    ARCHIVE_STORAGE__credential: 'managedidentity'
    ARCHIVE_STORAGE__clientId: identityClientId
    ARCHIVE_CONTAINER: archiveContainerName
    // The app's own ManagedIdentityCredential picks the user-assigned identity by this client id.
    AZURE_CLIENT_ID: identityClientId
    APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsights.properties.ConnectionString
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
    TASKHUB_NAME: behaviour.taskHubName
    STATE_TABLE_NAME: behaviour.stateTableName
    // ACS by managed identity; ACS_CONNECTION_STRING is deliberately absent.
    ACS_ENDPOINT: acsEndpoint
    ACS_API_VERSION: behaviour.acsApiVersion
    ACS_REQUEST_TIMEOUT_MS: string(behaviour.acsRequestTimeoutMs)
    ACS_MAX_RETRIES: string(behaviour.acsMaxRetries)
    // Callbacks: a set ACS_RESOURCE_ID makes every callback need a valid ACS JWT for this resource. CALLBACK_AUTH
    // is deliberately absent (it only exists to switch auth off for local runs).
    ACS_RESOURCE_ID: acsImmutableResourceId
    ACS_OPENID_CONFIG_URL: behaviour.acsOpenIdConfigUrl
    // Base of the callback URIs the app hands to ACS.
    PUBLIC_BASE_URL: 'https://${app.properties.defaultHostName}'
    CALLBACK_TOKEN: empty(callbackTokenReferenceUri) ? '' : '@Microsoft.KeyVault(SecretUri=${callbackTokenReferenceUri})'
    ACS_MEDIA_ALLOWED_ORIGINS: behaviour.mediaAllowedOrigins
    RECORDING_AUTO_START: behaviour.recording.autoStart ? 'true' : 'false'
    RECORDING_CONTENT: behaviour.recording.content
    RECORDING_CHANNEL: behaviour.recording.channel
    // The app refuses an empty RECORDING_FORMAT, so "default" is resolved here the way the app itself resolves it.
    RECORDING_FORMAT: !empty(behaviour.recording.format)
      ? behaviour.recording.format
      : (behaviour.recording.content == 'audioVideo' ? 'mp4' : 'wav')
    RECORDING_PAUSE_ON_START: behaviour.recording.pauseOnStart ? 'true' : 'false'
    RECORD_ON_CALL_STARTED: behaviour.recording.onCallStarted ? 'true' : 'false'
    CALL_STARTED_FILTER: behaviour.recording.callStartedFilter
    DELETE_SOURCE_AFTER_ARCHIVE: behaviour.deleteSourceAfterArchive ? 'true' : 'false'
    ARCHIVE_CHUNK_CONCURRENCY: string(behaviour.archiveChunkConcurrency)
    ARCHIVE_BLOCK_SIZE_MIB: string(behaviour.archiveBlockSizeMiB)
    ARCHIVE_TRANSFER_CONCURRENCY: string(behaviour.archiveTransferConcurrency)
    ARCHIVE_RETRY_HORIZON_HOURS: string(behaviour.archiveRetryHorizonHours)
    DOWNLOAD_LINK_MINUTES: string(behaviour.downloadLinkMinutes)
    CONSOLE_ENABLED: behaviour.consoleEnabled ? 'true' : 'false'
  }
}

// No publishing with user/password credentials: azd and Core Tools deploy to Flex with Entra tokens.
resource scmBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: app
  name: 'scm'
  properties: { allow: false }
}

resource ftpBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: app
  name: 'ftp'
  properties: { allow: false }
}

output id string = app.id
output name string = app.name
output defaultHostName string = app.properties.defaultHostName
