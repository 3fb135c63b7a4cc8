// Archive storage (ARCHIVE_STORAGE): where verified recordings live for the long term. Hardened like host storage, plus
// blob versioning and soft delete (an overwrite or delete can be undone), a lifecycle policy that moves recordings to
// the Cool tier and optionally deletes them, and optional time-based retention (WORM) for compliance users.

@description('Storage account name (3-24 lowercase letters and digits).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region.')
param location string

@description('Tags for the account.')
param tags { *: string }

@description('Replication for the archive. Pick a geo-redundant SKU when recordings must survive a regional outage.')
param skuName 'Standard_LRS' | 'Standard_ZRS' | 'Standard_GRS' | 'Standard_RAGRS' | 'Standard_GZRS' | 'Standard_RAGZRS'

@description('Container the app archives recordings into (ARCHIVE_CONTAINER).')
param containerName string

@description('Move archived recordings to the Cool tier this many days after they were written.')
@minValue(1)
param coolAfterDays int

@description('Delete archived recordings this many days after they were written; 0 keeps them forever.')
@minValue(0)
param deleteAfterDays int

@description('Days deleted blobs, deleted containers and previous blob versions are kept before they are gone for good.')
@minValue(1)
@maxValue(365)
param softDeleteDays int

@description('Time-based retention (WORM) in days for every archived blob version; 0 turns it off. While it runs a blob cannot be changed or deleted, not even by the lifecycle policy or an account owner.')
@minValue(0)
@maxValue(146000)
param immutabilityDays int

resource storage 'Microsoft.Storage/storageAccounts@2026-09-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: skuName }
  properties: {
    accessTier: 'Hot'
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowCrossTenantReplication: false
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2026-09-01' = {
  parent: storage
  name: 'default'
  properties: {
    // Versioning keeps the previous content of an overwritten blob; soft delete keeps a deleted blob or container.
    // Version-level immutability (below) requires versioning.
    isVersioningEnabled: true
    deleteRetentionPolicy: { enabled: true, days: softDeleteDays }
    containerDeleteRetentionPolicy: { enabled: true, days: softDeleteDays }
  }
}

resource archiveContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2026-09-01' = {
  parent: blobService
  name: containerName
  // Version-level immutability can only be switched on, never off, so it is sent only when asked for.
  properties: union(
    { publicAccess: 'None' },
    immutabilityDays > 0 ? { immutableStorageWithVersioning: { enabled: true } } : {}
  )
}

// The container's default time-based retention, inherited by every blob version written into it. Left unlocked:
// locking (required by e.g. SEC 17a-4) is irreversible and is a deliberate manual step (README, "Compliance: retention").
resource retention 'Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies@2026-09-01' = if (immutabilityDays > 0) {
  parent: archiveContainer
  name: 'default'
  properties: {
    immutabilityPeriodSinceCreationInDays: immutabilityDays
    allowProtectedAppendWrites: false
  }
}

resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2026-09-01' = {
  parent: storage
  name: 'default'
  properties: {
    policy: {
      rules: [
        {
          name: 'archived-recordings'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: ['blockBlob']
              prefixMatch: ['${archiveContainer.name}/']
            }
            actions: {
              // Recordings are written once and rarely read: Cool halves the storage price after the first weeks.
              baseBlob: union(
                { tierToCool: { daysAfterModificationGreaterThan: coolAfterDays } },
                deleteAfterDays > 0 ? { delete: { daysAfterModificationGreaterThan: deleteAfterDays } } : {}
              )
              // Previous versions exist only after an overwrite or delete; keep them as long as soft-deleted blobs.
              version: { delete: { daysAfterCreationGreaterThan: softDeleteDays } }
            }
          }
        }
      ]
    }
  }
}

output name string = storage.name
output id string = storage.id
output blobEndpoint string = storage.properties.primaryEndpoints.blob
output containerName string = archiveContainer.name
