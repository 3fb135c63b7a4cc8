// `Microsoft.Communication.CallConnected` / `CallDisconnected` callbacks (reference §4a).
import { callAutomationCloudEvent, type CallAutomationCloudEvent } from './callAutomationCloudEvent.js';

export interface CallIds {
  serverCallId: string;
  callConnectionId: string;
  correlationId: string;
}

function callEvent(name: 'CallConnected' | 'CallDisconnected', ids: CallIds): CallAutomationCloudEvent {
  const source = `calling/callConnections/${ids.callConnectionId}`;
  return callAutomationCloudEvent(
    name,
    {
      operationContext: '',
      resultInformation: { code: 200, subCode: 0, message: '' },
      callConnectionId: ids.callConnectionId,
      serverCallId: ids.serverCallId,
      correlationId: ids.correlationId,
    },
    source,
  );
}

export function callConnectedEvent(ids: CallIds): CallAutomationCloudEvent {
  return callEvent('CallConnected', ids);
}

export function callDisconnectedEvent(ids: CallIds): CallAutomationCloudEvent {
  return callEvent('CallDisconnected', ids);
}
