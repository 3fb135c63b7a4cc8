// Key Vault for the one secret the app may need: CALLBACK_TOKEN, a shared secret ACS echoes back on callbacks as a
// second factor next to the ACS JWT. RBAC-mode vault; the app identity can only read secrets, and the app setting is a
// Key Vault reference, so the value never appears in app settings, deployment outputs or logs.

@description('Key Vault name (3-24 characters).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region.')
param location string

@description('Tags for the vault.')
param tags { *: string }

@description('Value of the callback token secret.')
@secure()
param callbackToken string

@description('Principal (object) id of the app identity.')
param appPrincipalId string

@description('Resource id of the app identity (names the role assignment stably).')
param appIdentityResourceId string

// Key Vault Secrets User: read secret values, nothing else.
var keyVaultSecretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'

resource vault 'Microsoft.KeyVault/vaults@2026-05-15' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    // Azure RBAC instead of access policies: one permission model for every resource here.
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    publicNetworkAccess: 'Enabled'
  }
}

resource secret 'Microsoft.KeyVault/vaults/secrets@2026-05-15' = {
  parent: vault
  name: 'callback-token'
  properties: {
    value: callbackToken
    contentType: 'text/plain'
  }
}

resource appReadsSecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, appIdentityResourceId, keyVaultSecretsUserRoleId)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUserRoleId)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

@description('Versionless secret URI for a Key Vault reference (the app picks up a rotated value on restart).')
output callbackTokenReferenceUri string = secret.properties.secretUri
