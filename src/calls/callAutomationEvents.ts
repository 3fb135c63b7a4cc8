// The Call Automation callbacks this app acts on, as typed values (reference acs-recording-api.md §4a). ACS posts a
// JSON array of CloudEvents 1.0; the envelope `type` is `Microsoft.Communication.<EventName>`.

export const CALL_AUTOMATION_EVENT_PREFIX = 'Microsoft.Communication.';

/** Fields every acted-on event carries. */
export interface CallEventBase {
  /** CloudEvent `id` (unique per event; redeliveries repeat it). */
  eventId: string;
  /** CloudEvent `type`, e.g. `Microsoft.Communication.CallConnected`. */
  type: string;
  /** CloudEvent `time` as ISO-8601 (ms precision), or undefined when absent. */
  time?: string;
  serverCallId: string;
  callConnectionId?: string;
  correlationId?: string;
}

/** `resultInformation` of an event (`code` is an HTTP-like status, `subCode` the detail). */
export interface ResultInformation {
  code?: number;
  subCode?: number;
  message?: string;
}

export interface CallConnectedEvent extends CallEventBase {
  kind: 'CallConnected';
}

export interface RecordingStateChangedEvent extends CallEventBase {
  kind: 'RecordingStateChanged';
  recordingId: string;
  /** `active` or `inactive` today; kept as a string so a new ACS state is recorded rather than refused. */
  state: string;
  startDateTime?: string;
  recordingKind?: string;
}

export interface StartRecordingFailedEvent extends CallEventBase {
  kind: 'StartRecordingFailed';
  recordingId?: string;
  resultInformation?: ResultInformation;
}

export interface CallDisconnectedEvent extends CallEventBase {
  kind: 'CallDisconnected';
  resultInformation?: ResultInformation;
}

/** Any other event type: acknowledged and ignored. */
export interface IgnoredCallEvent {
  kind: 'ignored';
  eventId: string;
  type: string;
}

export type CallAutomationEvent =
  | CallConnectedEvent
  | RecordingStateChangedEvent
  | StartRecordingFailedEvent
  | CallDisconnectedEvent
  | IgnoredCallEvent;
