// Edge validation of Event Grid CallStarted / CallEnded: both payload shapes (the @azure/eventgrid system-event model
// and the Learn reference examples) in both schemas, the call-kind decision, and every refusal naming its field.
import { describe, expect, it } from 'vitest';
import { callKindOf } from '../../src/calls/callKind.js';
import { parseCallLifecycleEvent } from '../../src/calls/parseCallLifecycleEvent.js';
import { InvalidEventError } from '../../src/shared/eventGridEnvelope.js';

const TOPIC = '/subscriptions/s/resourcegroups/rg/providers/microsoft.communication/communicationservices/acs';
const SERVER_CALL_ID = 'aHR0cHM6Ly9hcGkuZmxpZ2h0cHJveHkuc2t5cGUuY29tL2FwaS92Mi9jcC9jb252LXVzZWEtMDEvY29udi9hYmM/aT0xJmU9Mg==';
const USER = '8:acs:bc360ba8-d29b-4ef2-b698-769ebef85521_0000000c-1fb9-4878-07fd-0848220077e1';

// @azure/eventgrid AcsCallStartedEventData / AcsCallEndedEventData (azure-rest-api-specs examples).
const systemStarted = {
  startedBy: { communicationIdentifier: { kind: 'communicationUser', rawId: USER, communicationUser: { id: USER } }, role: 'Organizer' },
  serverCallId: SERVER_CALL_ID,
  group: { id: 'aca7bf5b-ff44-4f47-8385-cfd4e0232a6e' },
  isTwoParty: false,
  correlationId: 'c0ffee00-0000-4000-8000-000000000001',
  isRoomsCall: false,
};
const systemEnded = { ...systemStarted, reason: { code: 0, subCode: 5000, phrase: 'This conversation has ended.' }, callDurationInSeconds: 10.5, endedBy: { communicationidentifier: { rawId: USER }, type: 'Participant', name: 'x' } };
// The Learn event reference examples: rawId directly under startedBy, durationOfCall, no reason.
const learnStarted = { startedBy: { rawId: USER, communicationUser: { id: USER }, role: 'Attendee' }, serverCallId: SERVER_CALL_ID, group: { id: '00000000-0000-0000-0000-000000000000' }, isTwoParty: true };
const learnEnded = { ...learnStarted, durationOfCall: 49.728617199999995, room: { id: 'room-1' }, isTwoParty: false, correlationId: 'corr-2', isRoomsCall: true };

function eventGrid(type: string, data: unknown, extra: Record<string, unknown> = {}) {
  return { id: 'a8bcd8a3-12d7-46ba-8cde-f6d0bda8feeb', topic: TOPIC, subject: `call/${SERVER_CALL_ID}`, data, eventType: `Microsoft.Communication.${type}`, dataVersion: '1.0', metadataVersion: '1', eventTime: '2021-09-22T17:02:38.6905856Z', ...extra };
}
function cloudEvent(type: string, data: unknown) {
  return { id: '02272459-badb-4e2e-b538-4cb8a2f71da6', source: TOPIC, subject: `call/${SERVER_CALL_ID}`, type: `Microsoft.Communication.${type}`, time: '2021-02-19T00:25:59.9436666Z', specversion: '1.0', data };
}

function invalid(input: unknown): InvalidEventError {
  try {
    parseCallLifecycleEvent(input);
  } catch (e) {
    if (e instanceof InvalidEventError) return e;
    throw e;
  }
  throw new Error('expected InvalidEventError');
}

describe('parseCallLifecycleEvent', () => {
  it('reads CallStarted in the system-event shape, Event Grid schema', () => {
    expect(parseCallLifecycleEvent(eventGrid('CallStarted', systemStarted))).toEqual({
      kind: 'CallStarted',
      eventId: 'a8bcd8a3-12d7-46ba-8cde-f6d0bda8feeb',
      eventTime: '2021-09-22T17:02:38.690Z',
      schema: 'EventGrid',
      serverCallId: SERVER_CALL_ID,
      correlationId: 'c0ffee00-0000-4000-8000-000000000001',
      startedBy: USER,
      groupId: 'aca7bf5b-ff44-4f47-8385-cfd4e0232a6e',
      isTwoParty: false,
      isRoomsCall: false,
    });
  });

  it('reads CallStarted in the Learn shape, CloudEvents schema', () => {
    expect(parseCallLifecycleEvent(cloudEvent('CallStarted', learnStarted))).toEqual({
      kind: 'CallStarted',
      eventId: '02272459-badb-4e2e-b538-4cb8a2f71da6',
      eventTime: '2021-02-19T00:25:59.943Z',
      schema: 'CloudEvents',
      serverCallId: SERVER_CALL_ID,
      startedBy: USER,
      groupId: '00000000-0000-0000-0000-000000000000',
      isTwoParty: true,
    });
  });

  it('reads CallEnded duration and reason from the system-event shape, and the duration from the Learn shape', () => {
    expect(parseCallLifecycleEvent(cloudEvent('CallEnded', systemEnded))).toMatchObject({
      kind: 'CallEnded',
      schema: 'CloudEvents',
      durationSeconds: 10.5,
      reason: { code: 0, subCode: 5000, phrase: 'This conversation has ended.' },
    });
    const learn = parseCallLifecycleEvent(eventGrid('CallEnded', learnEnded));
    expect(learn).toMatchObject({ kind: 'CallEnded', schema: 'EventGrid', durationSeconds: 49.728617199999995, roomId: 'room-1', isRoomsCall: true, correlationId: 'corr-2' });
    expect(learn).not.toHaveProperty('reason');
  });

  it('accepts data delivered as a JSON string and explicit nulls for optional fields', () => {
    const event = eventGrid('CallStarted', JSON.stringify({ ...systemStarted, isTwoParty: null, room: null, correlationId: null }));
    expect(parseCallLifecycleEvent(event)).toMatchObject({ kind: 'CallStarted', serverCallId: SERVER_CALL_ID });
    expect(parseCallLifecycleEvent(event)).not.toHaveProperty('isTwoParty');
  });

  it('ignores other event types, in either schema', () => {
    expect(parseCallLifecycleEvent(eventGrid('CallParticipantAdded', {}))).toEqual({ kind: 'ignored', eventId: 'a8bcd8a3-12d7-46ba-8cde-f6d0bda8feeb', eventType: 'Microsoft.Communication.CallParticipantAdded' });
    expect(parseCallLifecycleEvent(cloudEvent('RecordingFileStatusUpdated', {}))).toMatchObject({ kind: 'ignored' });
  });

  it.each<[string, unknown, RegExp]>([
    ['no serverCallId', eventGrid('CallStarted', { ...systemStarted, serverCallId: undefined }), /data\.serverCallId: serverCallId is required/],
    ['an empty serverCallId', eventGrid('CallStarted', { ...systemStarted, serverCallId: '' }), /data\.serverCallId: serverCallId is required/],
    ['a serverCallId with spaces', eventGrid('CallStarted', { ...systemStarted, serverCallId: 'a b' }), /data\.serverCallId: must be printable ASCII/],
    ['a non-boolean isTwoParty', eventGrid('CallStarted', { ...systemStarted, isTwoParty: 'yes' }), /data\.isTwoParty/],
    ['a negative duration', eventGrid('CallEnded', { ...systemEnded, callDurationInSeconds: -1 }), /data\.callDurationInSeconds/],
    ['a textual reason code', cloudEvent('CallEnded', { ...systemEnded, reason: { code: 'x' } }), /data\.reason\.code/],
    ['no data', eventGrid('CallStarted', undefined), /^Invalid Microsoft\.Communication\.CallStarted event: data: /],
    ['no id', eventGrid('CallEnded', systemEnded, { id: undefined }), /id: id is required/],
    ['a bad eventTime', eventGrid('CallStarted', systemStarted, { eventTime: 'yesterday' }), /time: must be an ISO-8601 date-time/],
  ])('refuses an event with %s, naming the field', (_name, input, message) => {
    const error = invalid(input);
    expect(error.message).toMatch(message);
    expect(error.issues.length).toBeGreaterThan(0);
  });

  it('refuses what is not an event at all', () => {
    expect(invalid({ hello: 'world' }).issues).toEqual(['eventType: missing']);
    expect(invalid(null).issues).toEqual(['eventType: missing']);
    expect(invalid([eventGrid('CallStarted', systemStarted)]).issues).toEqual(['eventType: missing']);
  });
});

describe('callKindOf', () => {
  it.each<[string, Parameters<typeof callKindOf>[0], string]>([
    ['isRoomsCall', { isRoomsCall: true }, 'roomsCalls'],
    ['a room id without the flag', { roomId: 'room-1' }, 'roomsCalls'],
    ['a room id with isRoomsCall false (spec example)', { roomId: 'room-1', isRoomsCall: false }, 'groupCalls'],
    ['isTwoParty', { isTwoParty: true }, 'twoPartyCalls'],
    ['a two-party Rooms call', { isTwoParty: true, isRoomsCall: true }, 'roomsCalls'],
    ['isTwoParty false', { isTwoParty: false }, 'groupCalls'],
    ['nothing said', {}, 'groupCalls'],
  ])('%s → %s', (_name, event, kind) => {
    expect(callKindOf(event)).toBe(kind);
  });
});
