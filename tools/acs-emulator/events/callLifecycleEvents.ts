// Event Grid `Microsoft.Communication.CallStarted` / `CallEnded` (reference events-and-operations.md §1), in the
// Event Grid or CloudEvents schema and in either payload shape ACS is documented with:
// - `systemEvent`: the typed model of @azure/eventgrid (`AcsCallStartedEventData` / `AcsCallEndedEventData`):
//   `startedBy.communicationIdentifier.rawId`, `callDurationInSeconds`, `reason`, `endedBy`;
// - `learnExample`: the Learn event reference examples: `startedBy.rawId`, `durationOfCall`, no reason.
import { randomUUID } from 'node:crypto';
import { emulatorTopic } from './recordingFileStatusUpdated.js';
import type { EventSchema } from './publishEventGridEvent.js';

export const CALL_STARTED = 'Microsoft.Communication.CallStarted';
export const CALL_ENDED = 'Microsoft.Communication.CallEnded';

export type CallEventShape = 'systemEvent' | 'learnExample';
/** What kind of call the events describe (`group` / `room` / `isRoomsCall` / `isTwoParty`). */
export type EmulatedCallKind = 'group' | 'rooms' | 'twoParty';

/** The facts of a call its events carry. */
export interface CallEventFacts {
  serverCallId: string;
  correlationId: string;
  /** Raw id of the ACS user who started the call. */
  startedBy: string;
  kind: EmulatedCallKind;
  groupId: string;
  roomId?: string;
}

/** The Learn examples show the zero GUID as the group id of 1:1 and Rooms calls. */
const ZERO_GROUP = '00000000-0000-0000-0000-000000000000';

/** Group and room ids for a new call of this kind. */
export function callKindIds(kind: EmulatedCallKind): { groupId: string; roomId?: string } {
  if (kind === 'group') return { groupId: randomUUID() };
  if (kind === 'rooms') return { groupId: ZERO_GROUP, roomId: randomUUID() };
  return { groupId: ZERO_GROUP };
}

function participant(rawId: string, shape: CallEventShape): object {
  const identifier = { kind: 'communicationUser', rawId, communicationUser: { id: rawId } };
  return shape === 'systemEvent' ? { communicationIdentifier: identifier, role: 'Organizer' } : { rawId, communicationUser: { id: rawId }, role: 'Organizer' };
}

function commonData(facts: CallEventFacts, shape: CallEventShape): Record<string, unknown> {
  return {
    startedBy: participant(facts.startedBy, shape),
    serverCallId: facts.serverCallId,
    group: { id: facts.groupId },
    ...(facts.roomId ? { room: { id: facts.roomId } } : {}),
    isTwoParty: facts.kind === 'twoParty',
    correlationId: facts.correlationId,
    isRoomsCall: facts.kind === 'rooms',
  };
}

function envelope(type: string, subject: string, data: object, schema: EventSchema): object {
  const topic = emulatorTopic();
  const time = new Date().toISOString();
  return schema === 'CloudEvents'
    ? { id: randomUUID(), source: topic, subject, type, time, specversion: '1.0', datacontenttype: 'application/json', data }
    : { id: randomUUID(), topic, subject, data, eventType: type, dataVersion: '1.0', metadataVersion: '1', eventTime: time };
}

/** One CallStarted event (not an array). */
export function callStartedEvent(facts: CallEventFacts, shape: CallEventShape, schema: EventSchema): object {
  return envelope(CALL_STARTED, `call/${facts.serverCallId}/startedBy/${facts.startedBy}`, commonData(facts, shape), schema);
}

/** One CallEnded event (not an array) for a call that lasted `durationSeconds`. */
export function callEndedEvent(facts: CallEventFacts, shape: CallEventShape, schema: EventSchema, durationSeconds: number): object {
  const data =
    shape === 'systemEvent'
      ? {
          ...commonData(facts, shape),
          endedBy: { communicationIdentifier: { kind: 'communicationUser', rawId: facts.startedBy, communicationUser: { id: facts.startedBy } }, kind: 'Participant', name: 'Participant' },
          reason: { code: 0, subCode: 0, phrase: 'Call ended successfully' },
          callDurationInSeconds: durationSeconds,
        }
      : { durationOfCall: durationSeconds, ...commonData(facts, shape) };
  return envelope(CALL_ENDED, `call/${facts.serverCallId}`, data, schema);
}
