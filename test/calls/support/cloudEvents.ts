// Call Automation callback bodies as ACS posts them (reference acs-recording-api.md §4a), built by the tests.
import { randomUUID } from 'node:crypto';

export interface CallIds {
  serverCallId: string;
  callConnectionId: string;
  correlationId: string;
}

export function callIds(serverCallId: string): CallIds {
  return { serverCallId, callConnectionId: randomUUID(), correlationId: randomUUID() };
}

export function cloudEvent(name: string, data: Record<string, unknown>, time = new Date()): Record<string, unknown> {
  const connection = typeof data.callConnectionId === 'string' ? data.callConnectionId : 'x';
  return {
    id: randomUUID(),
    source: `calling/callConnections/${connection}`,
    type: `Microsoft.Communication.${name}`,
    data: { version: '2026-03-12', publicEventType: `Microsoft.Communication.${name}`, ...data },
    time: time.toISOString(),
    specversion: '1.0',
    datacontenttype: 'application/json',
    subject: `calling/callConnections/${connection}`,
  };
}

export const callConnected = (ids: CallIds, time?: Date) =>
  cloudEvent('CallConnected', { ...ids, operationContext: 'ctx', resultInformation: { code: 200, subCode: 0, message: '' } }, time);

export const callDisconnected = (ids: CallIds, time?: Date) => cloudEvent('CallDisconnected', { ...ids }, time);

export const recordingStateChanged = (ids: CallIds, recordingId: string, state: 'active' | 'inactive', time?: Date) =>
  cloudEvent(
    'RecordingStateChanged',
    { ...ids, type: 'recordingStateChanged', recordingId, state, startDateTime: new Date().toISOString(), recordingKind: 'azureCommunicationServices' },
    time,
  );

export const startRecordingFailed = (ids: CallIds, recordingId: string, time?: Date) =>
  cloudEvent(
    'StartRecordingFailed',
    { ...ids, recordingId, resultInformation: { code: 400, subCode: 8583, message: 'Recording failed: no audio' } },
    time,
  );
