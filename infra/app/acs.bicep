// Everything that hangs off the ACS resource, deployed into the resource group that holds it (which may not be the
// app's): the Event Grid system topic that publishes ACS events, and the app identity's role on ACS.

@description('Name of the ACS resource (created by acs-create.bicep or pre-existing) in this resource group.')
param acsName string

@description('Event Grid system topic name. An ACS resource can have only one system topic: when it already has one, pass that name, and this template adopts it (adds a system-assigned identity, replaces its tags).')
param systemTopicName string

@description('Tags for the system topic.')
param tags { *: string }

@description('Principal (object) id of the app identity.')
param appPrincipalId string

@description('Resource id of the app identity; with the scope and role it names the role assignment stably across runs.')
param appIdentityResourceId string

// "Communication and Email Service Owner" (built-in): the narrowest documented built-in role that lets an Entra
// identity call the ACS data plane (Call Automation) instead of an access key; "Contributor" on the resource also
// works but grants more. Custom roles are not honoured by ACS. Role definition id 09976791-48a7-449e-bb21-39d1a415f350.
var communicationServiceOwnerRoleId = '09976791-48a7-449e-bb21-39d1a415f350'

resource acs 'Microsoft.Communication/communicationServices@2026-03-18' existing = {
  name: acsName
}

resource systemTopic 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: systemTopicName
  location: 'global'
  tags: tags
  // Its identity writes undeliverable events to the dead-letter container (no storage key needed).
  identity: { type: 'SystemAssigned' }
  properties: {
    source: acs.id
    topicType: 'Microsoft.Communication.CommunicationServices'
  }
}

resource appCallsAcs 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(acs.id, appIdentityResourceId, communicationServiceOwnerRoleId)
  scope: acs
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', communicationServiceOwnerRoleId)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

@description('ACS endpoint for managed-identity calls (ACS_ENDPOINT).')
output endpoint string = 'https://${acs.properties.hostName}'

@description('Immutable resource id (a GUID): the audience of the JWT ACS signs its callbacks with (ACS_RESOURCE_ID).')
output immutableResourceId string = acs.properties.immutableResourceId

output id string = acs.id
output name string = acs.name
output systemTopicName string = systemTopic.name
output systemTopicPrincipalId string = systemTopic.identity.principalId
