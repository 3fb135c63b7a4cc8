// `Microsoft.Communication.RecordingStateChanged` callback (reference §4a; swagger `RecordingStateChanged`).
import type { EmulatorRecording } from '../types.js';
import { callAutomationCloudEvent, type CallAutomationCloudEvent } from './callAutomationCloudEvent.js';

export function recordingStateChangedEvent(
  recording: EmulatorRecording,
  call: { serverCallId: string; callConnectionId: string; correlationId: string },
  state: 'active' | 'inactive',
): CallAutomationCloudEvent {
  const subject = `calling/recordings/${call.serverCallId}/recordingId/${recording.recordingId}`;
  return callAutomationCloudEvent(
    'RecordingStateChanged',
    {
      type: 'recordingStateChanged',
      recordingId: recording.recordingId,
      state,
      startDateTime: recording.startTime.toISOString(),
      recordingKind: 'azureCommunicationServices',
      resultInformation: { code: 200, subCode: 0, message: '' },
      callConnectionId: call.callConnectionId,
      serverCallId: call.serverCallId,
      correlationId: call.correlationId,
    },
    `${subject}/RecordingStateChanged`,
    subject,
  );
}
