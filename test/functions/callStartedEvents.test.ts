// The Event Grid CallStarted / CallEnded trigger through the REAL registered function, as the host invokes it (one
// event per invocation), with the ACS emulator building the events and answering the starts over HTTP, and the
// state table in Azurite. CallStarted shares the start claim with CallConnected and API starts: one recording per
// call whatever arrives, in whatever order, however often.
import { beforeAll, describe, expect, it } from 'vitest';
import { InvalidEventError } from '../../src/shared/eventGridEnvelope.js';
import type { CallLifecycleOutcome } from '../../src/calls/RecordingService.js';
import { getRegistered, invokeFunction, newContext, triggerBinding, type CapturedLog } from '../../tools/local/host/functionsHost.js';
import { TEST_CALLBACK_TOKEN, useCallTestEnv, type CallTestEnv } from '../calls/support/callTestEnv.js';
import { callConnected, callIds } from '../calls/support/cloudEvents.js';
import { acsRequests, postCallback } from '../calls/support/postCallback.js';
import { startRecordingApi } from '../calls/support/callRecordingsApi.js';

const TRIGGER = 'callStartedEvents';

beforeAll(async () => {
  await import('../../src/functions/callStartedEvents.js');
  await import('../../src/functions/callAutomationCallback.js');
  await import('../../src/functions/recordingsStart.js');
});

const setup = useCallTestEnv();
const ON = { RECORD_ON_CALL_STARTED: 'true' };

/** Invokes the trigger with one event, exactly as the host does: the deserialized event and an InvocationContext. */
async function deliver(event: unknown, logs: CapturedLog[] = []): Promise<CallLifecycleOutcome> {
  return (await invokeFunction(TRIGGER, [JSON.parse(JSON.stringify(event)) as unknown], newContext(TRIGGER, logs))) as CallLifecycleOutcome;
}

type Built = { data: { serverCallId: string; correlationId: string } };
const serverCallIdOf = (event: object) => (event as Built).data.serverCallId;
const recordingsOf = (e: CallTestEnv, serverCallId: string) => e.emu.listRecordings().filter((r) => r.serverCallId === serverCallId);

describe('callStartedEvents registration', () => {
  it('is an Event Grid trigger under the name the subscription delivers to, needing no other binding', () => {
    expect(triggerBinding(TRIGGER).type).toBe('eventGridTrigger');
    expect(Object.values(getRegistered(TRIGGER).metadata.bindings)).toHaveLength(1);
  });
});

describe('CallStarted', () => {
  it.each([
    ['EventGrid', 'systemEvent'],
    ['EventGrid', 'learnExample'],
    ['CloudEvents', 'systemEvent'],
    ['CloudEvents', 'learnExample'],
  ] as const)('alone starts one recording with the configured settings (%s schema, %s shape)', async (schema, shape) => {
    const e = await setup({ env: { ...ON, RECORDING_CHANNEL: 'unmixed', RECORDING_FORMAT: 'wav', RECORDING_PAUSE_ON_START: 'true' } });
    const event = e.emu.buildCallEvent('CallStarted', undefined, { schema, shape });
    const serverCallId = serverCallIdOf(event);

    const result = await deliver(event);
    expect(result).toMatchObject({ outcome: 'started', recordingId: expect.any(String) as string });
    const recordingId = (result as { recordingId: string }).recordingId;
    const [recording] = recordingsOf(e, serverCallId);
    expect(recording?.recordingId).toBe(recordingId);
    expect(recording?.startRequestBody).toMatchObject({
      callLocator: { kind: 'serverCallLocator', serverCallId },
      recordingStateCallbackUri: `${e.forwarder.baseUrl}/api/callbacks/call-automation?token=${TEST_CALLBACK_TOKEN}`,
      recordingContentType: 'audio',
      recordingChannelType: 'unmixed',
      recordingFormatType: 'wav',
      pauseOnStart: true,
    });
    expect((await e.store.getCall(serverCallId))?.value).toMatchObject({ status: 'started', recordingId, startedVia: 'callStarted', correlationId: (event as Built).data.correlationId });
    expect((await e.store.getRecording(recordingId))?.value).toMatchObject({ serverCallId, startedVia: 'callStarted', channel: 'unmixed', pauseOnStart: true });
    // ACS then reports the recording's state to the app's callback, as for any other start.
    await expect.poll(async () => (await e.store.getRecording(recordingId))?.value.stateChangedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('then CallConnected (and the reverse) start one recording; CallConnected is skipped', async () => {
    const e = await setup({ env: ON });
    const first = e.emu.buildCallEvent('CallStarted');
    const ids = { ...callIds(serverCallIdOf(first)), correlationId: (first as Built).data.correlationId };
    expect(await deliver(first)).toMatchObject({ outcome: 'started' });
    const connected = await postCallback(e, [callConnected(ids)]);
    expect(connected.body).toMatchObject({ results: [{ outcome: 'skipped', reason: 'alreadyStarted' }] });
    expect(recordingsOf(e, ids.serverCallId)).toHaveLength(1);

    const reverse = callIds(serverCallIdOf(e.emu.buildCallEvent('CallStarted')));
    expect((await postCallback(e, [callConnected(reverse)])).body).toMatchObject({ results: [{ outcome: 'started' }] });
    expect(await deliver(e.emu.buildCallEvent('CallStarted', reverse.serverCallId))).toMatchObject({ outcome: 'skipped', reason: 'alreadyStarted' });
    expect(recordingsOf(e, reverse.serverCallId)).toHaveLength(1);
    expect(acsRequests(e, 'startRecording')).toHaveLength(2);
  });

  it('concurrent duplicates of CallStarted, CallConnected and an API start of one call start exactly one recording', async () => {
    const e = await setup({ env: ON });
    const started = e.emu.buildCallEvent('CallStarted', undefined, { schema: 'EventGrid', shape: 'systemEvent' });
    const serverCallId = serverCallIdOf(started);
    const otherShape = e.emu.buildCallEvent('CallStarted', serverCallId, { schema: 'CloudEvents', shape: 'learnExample' });
    const ids = callIds(serverCallId);
    const outcomes = await Promise.all([
      deliver(started),
      deliver(started),
      deliver(otherShape),
      postCallback(e, [callConnected(ids)]).then((r) => (r.body as { results: { outcome: string }[] }).results[0]!),
      postCallback(e, [callConnected(ids)]).then((r) => (r.body as { results: { outcome: string }[] }).results[0]!),
      startRecordingApi({ serverCallId }).then((r) => ({ outcome: r.status === 201 ? 'started' : `http ${r.status}` })),
    ]);
    expect(outcomes.filter((o) => o.outcome === 'started')).toHaveLength(1);
    expect(acsRequests(e, 'startRecording')).toHaveLength(1);
    expect(recordingsOf(e, serverCallId)).toHaveLength(1);
    // Later deliveries of either event change nothing.
    expect(await deliver(started)).toMatchObject({ outcome: 'skipped', reason: 'alreadyStarted' });
    expect(acsRequests(e, 'startRecording')).toHaveLength(1);
  });

  it('CALL_STARTED_FILTER records only the listed kinds of call and touches nothing for the others', async () => {
    const e = await setup({ env: { ...ON, CALL_STARTED_FILTER: 'roomsCalls,twoPartyCalls' } });
    const group = e.emu.buildCallEvent('CallStarted', undefined, { kind: 'group' });
    expect(await deliver(group)).toEqual({ outcome: 'skipped', reason: 'filteredOut', callKind: 'groupCalls' });
    expect(await e.store.getCall(serverCallIdOf(group))).toBeUndefined();
    expect(acsRequests(e, 'startRecording')).toHaveLength(0);

    expect(await deliver(e.emu.buildCallEvent('CallStarted', undefined, { kind: 'rooms', shape: 'learnExample' }))).toMatchObject({ outcome: 'started' });
    expect(await deliver(e.emu.buildCallEvent('CallStarted', undefined, { kind: 'twoParty', shape: 'systemEvent' }))).toMatchObject({ outcome: 'started' });
    expect(acsRequests(e, 'startRecording')).toHaveLength(2);
  });

  it('a start ACS refuses for good is logged and kept on the call row, and the invocation succeeds (no redelivery)', async () => {
    const e = await setup({ env: ON });
    const event = e.emu.buildCallEvent('CallStarted');
    e.emu.injectFault({ operation: 'startRecording', fault: { type: 'status', status: 404 } });
    const logs: CapturedLog[] = [];
    expect(await deliver(event, logs)).toMatchObject({ outcome: 'failed', transient: false, error: { status: 404 } });
    expect((await e.store.getCall(serverCallIdOf(event)))?.value).toMatchObject({ status: 'failed', failureCode: expect.any(String) as string });
    expect(logs.find((l) => l.level === 'error')?.message).toMatch(/ACS refused to record the call; not retrying.*"serverCallId"/);
    expect(acsRequests(e, 'startRecording')).toHaveLength(1);
  });

  it('a transient failure fails the invocation; the redelivery then starts the recording once', async () => {
    const e = await setup({ env: ON });
    const event = e.emu.buildCallEvent('CallStarted');
    // ACS_MAX_RETRIES=1 in the test env: the first attempt and its retry both get 503.
    e.emu.injectFault({ operation: 'startRecording', times: 2, fault: { type: 'status', status: 503 } });
    await expect(deliver(event)).rejects.toMatchObject({ statusCode: 503 });
    expect((await e.store.getCall(serverCallIdOf(event)))?.value.status).toBe('failed');
    expect(recordingsOf(e, serverCallIdOf(event))).toHaveLength(0);

    expect(await deliver(event)).toMatchObject({ outcome: 'started' });
    expect(recordingsOf(e, serverCallIdOf(event))).toHaveLength(1);
  });
});

describe('CallEnded', () => {
  it('marks the call row ended with its duration and reason, and the recording row with the end', async () => {
    const e = await setup({ env: ON });
    const started = e.emu.buildCallEvent('CallStarted', undefined, { shape: 'systemEvent' });
    const serverCallId = serverCallIdOf(started);
    const { recordingId } = (await deliver(started)) as { recordingId: string };
    const ended = e.emu.buildCallEvent('CallEnded', serverCallId, { shape: 'systemEvent' }) as { eventTime: string; data: { callDurationInSeconds: number } };

    expect(await deliver(ended)).toEqual({ outcome: 'recorded', recordingId });
    const call = (await e.store.getCall(serverCallId))?.value;
    expect(call).toMatchObject({
      status: 'started',
      recordingId,
      endedAt: new Date(ended.eventTime).toISOString(),
      disconnectedAt: new Date(ended.eventTime).toISOString(),
      callDurationSeconds: ended.data.callDurationInSeconds,
      endReasonCode: 0,
      endReasonSubCode: 0,
      endReasonPhrase: 'Call ended successfully',
    });
    expect((await e.store.getRecording(recordingId))?.value.callDisconnectedAt).toBe(call?.endedAt);
    // A redelivery changes nothing.
    await deliver(ended);
    expect((await e.store.getCall(serverCallId))?.value.updatedAt).toBe(call?.updatedAt);
  });

  it('arriving first (Event Grid does not order) creates the row, and a late CallStarted starts nothing', async () => {
    const e = await setup({ env: ON });
    const ended = e.emu.buildCallEvent('CallEnded', undefined, { shape: 'learnExample', schema: 'CloudEvents' }) as { data: { serverCallId: string; durationOfCall: number } };
    const { serverCallId } = ended.data;
    expect(await deliver(ended)).toEqual({ outcome: 'recorded' });
    const call = (await e.store.getCall(serverCallId))?.value;
    expect(call).toMatchObject({ status: 'disconnected', callDurationSeconds: ended.data.durationOfCall, endedAt: expect.any(String) as string });
    expect(call).not.toHaveProperty('endReasonCode');

    expect(await deliver(e.emu.buildCallEvent('CallStarted', serverCallId))).toMatchObject({ outcome: 'skipped', reason: 'callDisconnected' });
    expect(acsRequests(e, 'startRecording')).toHaveLength(0);
  });
});

describe('edge validation and the setting', () => {
  it.each<[string, (event: Record<string, unknown>) => unknown]>([
    ['no serverCallId', (ev) => ({ ...ev, data: { ...(ev.data as object), serverCallId: undefined } })],
    ['a textual isRoomsCall', (ev) => ({ ...ev, data: { ...(ev.data as object), isRoomsCall: 'no' } })],
    ['no id', (ev) => ({ ...ev, id: undefined })],
    ['no event type', (ev) => ({ ...ev, eventType: undefined, type: undefined })],
  ])('an event with %s fails the invocation, starts nothing and writes nothing', async (_name, spoil) => {
    const e = await setup({ env: ON });
    const event = e.emu.buildCallEvent('CallStarted') as Record<string, unknown>;
    const logs: CapturedLog[] = [];
    await expect(deliver(spoil(event), logs)).rejects.toThrow(InvalidEventError);
    expect(acsRequests(e, 'startRecording')).toHaveLength(0);
    expect(await e.store.getCall(serverCallIdOf(event))).toBeUndefined();
    expect(logs.find((l) => l.level === 'error')?.message).toMatch(/Rejected an invalid call event; nothing was started/);
  });

  it('with RECORD_ON_CALL_STARTED off (the default), CallStarted and CallEnded are ignored and logged', async () => {
    const e = await setup();
    const started = e.emu.buildCallEvent('CallStarted');
    const logs: CapturedLog[] = [];
    expect(await deliver(started, logs)).toEqual({ outcome: 'ignored' });
    expect(await deliver(e.emu.buildCallEvent('CallEnded', serverCallIdOf(started)), logs)).toEqual({ outcome: 'ignored' });
    expect(acsRequests(e, 'startRecording')).toHaveLength(0);
    expect(await e.store.getCall(serverCallIdOf(started))).toBeUndefined();
    expect(logs.filter((l) => /RECORD_ON_CALL_STARTED is off/.test(l.message))).toHaveLength(2);
  });

  it('other event types are acknowledged and ignored', async () => {
    await setup({ env: ON });
    const other = { id: 'x', topic: '/t', subject: 's', eventType: 'Microsoft.Communication.CallParticipantAdded', data: {}, dataVersion: '1.0', metadataVersion: '1', eventTime: new Date().toISOString() };
    expect(await deliver(other)).toEqual({ outcome: 'ignored' });
  });
});
