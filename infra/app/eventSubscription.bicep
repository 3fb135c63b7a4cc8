// An Event Grid subscription that delivers ACS events to one function: RecordingFileStatusUpdated to
// `recordingFileStatusUpdated` (the defaults), or, with RECORD_ON_CALL_STARTED, CallStarted/CallEnded to
// `callStartedEvents`; every subscription gets the same batching, retry policy and dead-lettering. Deployed into the ACS resource group, and only once the function exists: Event Grid validates the endpoint
// when the subscription is created, so this cannot be part of the first `azd provision` (the code is not deployed yet).
// scripts/post-deploy.sh (the azd postdeploy hook) deploys this file on its own after `azd deploy`; once it exists,
// main.bicep keeps it under management when DEPLOY_EVENT_SUBSCRIPTION=true.

@description('Event Grid system topic on the ACS resource.')
param systemTopicName string

@description('Subscription name.')
param name string = 'recording-file-status-updated'

@description('Resource id of the Function App.')
param functionAppResourceId string

@description('Default host name of the Function App (used by the WebHook endpoint).')
param functionAppHostName string

@description('The Event Grid-triggered function (src/functions/recordingFileStatusUpdated.ts or callStartedEvents.ts).')
param functionName string = 'recordingFileStatusUpdated'

@description('Event types delivered to the function.')
@minLength(1)
param includedEventTypes string[] = ['Microsoft.Communication.RecordingFileStatusUpdated']

@description('AzureFunction: Event Grid calls the function by resource id (no key). WebHook: the Functions Event Grid webhook with the eventgrid_extension system key, the form the official Flex Consumption samples use; pass the key in eventGridSystemKey.')
param endpointType 'AzureFunction' | 'WebHook' = 'AzureFunction'

@description('The Function App\'s eventgrid_extension system key; only for endpointType WebHook.')
@secure()
param eventGridSystemKey string = ''

@description('Resource id of the storage account that receives dead letters.')
param deadLetterStorageAccountId string

@description('Blob container that receives dead letters.')
param deadLetterContainerName string

@description('Delivery attempts before an event is dead-lettered.')
@minValue(1)
@maxValue(30)
param maxDeliveryAttempts int = 30

@description('Minutes Event Grid keeps retrying an event before it is dead-lettered.')
@minValue(1)
@maxValue(1440)
param eventTimeToLiveInMinutes int = 1440

resource systemTopic 'Microsoft.EventGrid/systemTopics@2025-02-15' existing = {
  name: systemTopicName
}

// One event per delivery: each event starts (at most) one orchestration, and a failure retries only that event.
var batching = {
  maxEventsPerBatch: 1
  preferredBatchSizeInKilobytes: 64
}

var functionEndpoint = {
  endpointType: 'AzureFunction'
  properties: union(batching, { resourceId: '${functionAppResourceId}/functions/${functionName}' })
}

var webhookEndpoint = {
  endpointType: 'WebHook'
  properties: union(batching, {
    endpointUrl: 'https://${functionAppHostName}/runtime/webhooks/eventgrid?functionName=${functionName}&code=${eventGridSystemKey}'
  })
}

resource subscription 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = {
  parent: systemTopic
  name: name
  properties: {
    destination: endpointType == 'WebHook' ? webhookEndpoint : functionEndpoint
    filter: {
      includedEventTypes: includedEventTypes
    }
    eventDeliverySchema: 'EventGridSchema'
    retryPolicy: {
      maxDeliveryAttempts: maxDeliveryAttempts
      eventTimeToLiveInMinutes: eventTimeToLiveInMinutes
    }
    // Undeliverable events are kept (written with the topic's identity, no storage key) instead of being dropped:
    // each one is a recording that was not archived, or a call that was not recorded.
    deadLetterWithResourceIdentity: {
      identity: { type: 'SystemAssigned' }
      deadLetterDestination: {
        endpointType: 'StorageBlob'
        properties: {
          resourceId: deadLetterStorageAccountId
          blobContainerName: deadLetterContainerName
        }
      }
    }
  }
}

output name string = subscription.name
