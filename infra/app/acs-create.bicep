// A new Azure Communication Services resource, created only when no existing one is named (main.bicep).
// It gets a system-assigned identity so it can later be granted access to other resources (e.g. bring-your-own-storage
// recording) without keys; the app itself never uses ACS keys (ACS_ENDPOINT + managed identity).

@description('ACS resource name (globally unique, becomes <name>.<geo>.communication.azure.com).')
param name string

@description('Where ACS stores data at rest (e.g. "United States", "Europe"). Cannot be changed later.')
param dataLocation string

@description('Tags for the resource.')
param tags { *: string }

resource acs 'Microsoft.Communication/communicationServices@2026-03-18' = {
  name: name
  // ACS is a global resource; dataLocation decides where its data lives.
  location: 'global'
  tags: tags
  identity: { type: 'SystemAssigned' }
  properties: {
    dataLocation: dataLocation
  }
}

output name string = acs.name
