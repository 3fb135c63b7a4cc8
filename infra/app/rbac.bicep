// Data-plane roles in the app's resource group, each on the narrowest scope that works. Nothing here uses keys: the
// storage accounts refuse shared-key auth and Application Insights refuses instrumentation-key-only ingestion.

@description('Host storage account name (AzureWebJobsStorage).')
param hostStorageName string

@description('Archive storage account name (ARCHIVE_STORAGE).')
param archiveStorageName string

@description('Archive container (ARCHIVE_CONTAINER): the scope of the index-tag role.')
param archiveContainerName string

@description('Resource id of the custom role with only the blob index tag data actions (main.bicep).')
param archiveTagsRoleDefinitionId string

@description('Dead-letter container in host storage.')
param deadLetterContainerName string

@description('Application Insights name.')
param applicationInsightsName string

@description('Principal (object) id of the app identity.')
param appPrincipalId string

@description('Resource id of the app identity (names the role assignments stably).')
param appIdentityResourceId string

@description('Principal id of the Event Grid system topic identity, which writes dead letters.')
param systemTopicPrincipalId string

@description('Resource id of the Event Grid system topic (names its role assignment stably).')
param systemTopicResourceId string

// Built-in role definition ids (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles).
var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

resource hostStorage 'Microsoft.Storage/storageAccounts@2026-09-01' existing = {
  name: hostStorageName

  resource blobService 'blobServices' existing = {
    name: 'default'

    resource deadLetterContainer 'containers' existing = {
      name: deadLetterContainerName
    }
  }
}

resource archiveStorage 'Microsoft.Storage/storageAccounts@2026-09-01' existing = {
  name: archiveStorageName

  resource blobService 'blobServices' existing = {
    name: 'default'

    resource archiveContainer 'containers' existing = {
      name: archiveContainerName
    }
  }
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

// Host storage, account scope: the Functions host and Durable Functions create their own containers, queues and tables
// (task hub, leases, secrets). Blob Data Owner (not Contributor) is what the host needs for its lease/secret blobs and
// what Flex Consumption needs to read the deployment package.
resource hostBlobOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(hostStorage.id, appIdentityResourceId, roles.storageBlobDataOwner)
  scope: hostStorage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataOwner)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource hostQueueContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(hostStorage.id, appIdentityResourceId, roles.storageQueueDataContributor)
  scope: hostStorage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageQueueDataContributor)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource hostTableContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(hostStorage.id, appIdentityResourceId, roles.storageTableDataContributor)
  scope: hostStorage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageTableDataContributor)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// Archive storage, account scope: the account holds only the archive container, and the app's container client calls
// createIfNotExists (a Create Container request), which a container-scoped assignment would refuse. The role also
// grants Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action at this (account) scope, which
// the download links (GET /api/recordings/{id}/chunks/{index}/media, a user delegation SAS) need: no account key exists.
resource archiveBlobContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(archiveStorage.id, appIdentityResourceId, roles.storageBlobDataContributor)
  scope: archiveStorage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataContributor)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// Archive container: the blob index tags the archive sets on every blob (recordingId, serverCallId, callId, kind,
// chunkIndex, documentId) need blobs/tags/write, which Blob Data Contributor lacks; without it Set Blob Tags gets a 403
// and blobs are archived untagged. The custom role (main.bicep) carries only tags/read and tags/write, and is assigned
// on the one container the app writes, not the account.
resource archiveTagsWriter 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(archiveStorage::blobService::archiveContainer.id, appIdentityResourceId, archiveTagsRoleDefinitionId)
  scope: archiveStorage::blobService::archiveContainer
  properties: {
    roleDefinitionId: archiveTagsRoleDefinitionId
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// Application Insights with local auth disabled accepts telemetry only from identities with this role.
resource appInsightsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, appIdentityResourceId, roles.monitoringMetricsPublisher)
  scope: applicationInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// Event Grid dead-lettering with the topic's identity: write blobs into the dead-letter container only.
resource topicWritesDeadLetters 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(hostStorage::blobService::deadLetterContainer.id, systemTopicResourceId, roles.storageBlobDataContributor)
  scope: hostStorage::blobService::deadLetterContainer
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataContributor)
    principalId: systemTopicPrincipalId
    principalType: 'ServicePrincipal'
  }
}
