// The Call Automation callback through the REAL registered function: ACS emulator (JWTs, recording REST) on
// loopback, the state table in Azurite, the host stand-in invoking the handler.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { MAX_JSON_BODY_BYTES } from '../../src/calls/readJsonBody.js';
import { getRegistered, invokeHttp, triggerBinding } from '../../tools/local/host/functionsHost.js';
import { TEST_CALLBACK_TOKEN, useCallTestEnv, type CallTestEnv } from '../calls/support/callTestEnv.js';
import { callConnected, callDisconnected, callIds, cloudEvent, recordingStateChanged, startRecordingFailed } from '../calls/support/cloudEvents.js';
import { acsRequests, postCallback } from '../calls/support/postCallback.js';
import { getRecordingApi, routeId } from '../calls/support/callRecordingsApi.js';
import { mintServerCallId } from '../../tools/acs-emulator/ids/mintServerCallId.js';

beforeAll(async () => {
  await import('../../src/functions/callAutomationCallback.js');
  await import('../../src/functions/recordingsGet.js');
});

const setup = useCallTestEnv();

/** A call in the real serverCallId style (base64 with '/' and '='). */
const newCall = () => callIds(mintServerCallId());

describe('callAutomationCallback registration', () => {
  it('is an anonymous POST trigger on callbacks/call-automation', () => {
    expect(getRegistered('callAutomationCallback').metadata.name).toBe('callAutomationCallback');
    expect(triggerBinding('callAutomationCallback')).toMatchObject({
      type: 'httpTrigger',
      route: 'callbacks/call-automation',
      methods: ['POST'],
      authLevel: 'anonymous',
    });
  });
});

describe('callback authentication', () => {
  it('accepts a valid ACS JWT plus the ?token= secret and starts the recording', async () => {
    const e = await setup();
    const ids = newCall();
    const res = await postCallback(e, [callConnected(ids)]);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ processed: 1, results: [{ outcome: 'started' }] });
    expect(acsRequests(e, 'startRecording')).toHaveLength(1);
    // The started result names the recording both ways: `id` goes straight into /api/recordings/{id}.
    const [started] = (res.body as { results: { id: string; recordingId: string }[] }).results;
    expect(started!.recordingId).toBe(e.emu.listRecordings()[0]!.recordingId);
    expect(started!.id).toBe(Buffer.from(started!.recordingId, 'utf8').toString('base64url'));
  });

  it.each<[string, (e: CallTestEnv) => Promise<{ jwt?: string | null; url?: string }>, RegExp]>([
    ['an expired JWT', async (e) => ({ jwt: await e.emu.mintCallbackToken({}, { expiresInSeconds: -600 }) }), /expired/],
    ['a JWT for another resource', async (e) => ({ jwt: await e.emu.mintCallbackToken({ aud: randomUUID() }) }), /"aud" claim/],
    ['a JWT signed by a foreign key', async (e) => ({ jwt: await e.emu.mintCallbackToken({}, { key: 'foreign' }) }), /not signed by a key/],
    ['no Authorization header', () => Promise.resolve({ jwt: null }), /Authorization: Bearer/],
    ['no ?token=', (e) => Promise.resolve({ url: e.callbackUrl.replace(/\?.*$/, '') }), /no token/],
    ['a wrong ?token=', (e) => Promise.resolve({ url: e.callbackUrl.replace(TEST_CALLBACK_TOKEN, 'guess') }), /does not match/],
  ])('refuses %s with 401 and calls nothing', async (_name, creds, message) => {
    const e = await setup();
    const ids = newCall();
    const res = await postCallback(e, [callConnected(ids)], await creds(e));
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ error: { code: 'Unauthorized', message: expect.stringMatching(message) as unknown } });
    expect(acsRequests(e, 'startRecording')).toHaveLength(0);
    expect(await e.store.getCall(ids.serverCallId)).toBeUndefined();
  });

  it('refuses every callback with 401 when neither ACS_RESOURCE_ID nor CALLBACK_TOKEN is set', async () => {
    const e = await setup({ env: { ACS_RESOURCE_ID: undefined, CALLBACK_TOKEN: undefined } });
    const res = await postCallback(e, [callConnected(newCall())]);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ error: { message: expect.stringMatching(/not configured/) as unknown } });
    expect(acsRequests(e, 'startRecording')).toHaveLength(0);
  });

  it('accepts unauthenticated callbacks with CALLBACK_AUTH=none', async () => {
    const e = await setup({ env: { ACS_RESOURCE_ID: undefined, CALLBACK_TOKEN: undefined, CALLBACK_AUTH: 'none' } });
    const res = await postCallback(e, [callConnected(newCall())], { jwt: null });
    expect(res.status).toBe(200);
    expect(acsRequests(e, 'startRecording')).toHaveLength(1);
  });

  it('with only CALLBACK_TOKEN set, the token alone is enough', async () => {
    const e = await setup({ env: { ACS_RESOURCE_ID: undefined } });
    expect((await postCallback(e, [callConnected(newCall())], { jwt: null })).status).toBe(200);
  });
});

describe('callback processing', () => {
  it('processes every element of the array', async () => {
    const e = await setup();
    const [a, b] = [newCall(), newCall()];
    const res = await postCallback(e, [
      callConnected(a),
      cloudEvent('ParticipantsUpdated', { ...a, participants: [] }),
      callConnected(b),
    ]);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      processed: 3,
      results: [{ outcome: 'started' }, { outcome: 'ignored', type: 'Microsoft.Communication.ParticipantsUpdated' }, { outcome: 'started' }],
    });
    const started = e.emu.listRecordings().map((r) => r.serverCallId);
    expect(started).toEqual(expect.arrayContaining([a.serverCallId, b.serverCallId]));
    expect(started).toHaveLength(2);
  });

  it('starts one recording for a CallConnected delivered twice in a row', async () => {
    const e = await setup();
    const ids = newCall();
    const event = callConnected(ids);
    const first = await postCallback(e, [event]);
    const second = await postCallback(e, [event]);
    expect(first.body).toMatchObject({ results: [{ outcome: 'started' }] });
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ results: [{ outcome: 'skipped', reason: 'alreadyStarted' }] });
    expect(acsRequests(e, 'startRecording')).toHaveLength(1);
    expect(e.emu.listRecordings()).toHaveLength(1);
  });

  it('starts one recording for two concurrent deliveries of the same CallConnected', async () => {
    const e = await setup();
    const event = callConnected(newCall());
    const results = await Promise.all([postCallback(e, [event]), postCallback(e, [event])]);
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    const outcomes = results.map((r) => (r.body as { results: { outcome: string }[] }).results[0]?.outcome).sort();
    expect(outcomes).toEqual(['skipped', 'started']);
    expect(acsRequests(e, 'startRecording')).toHaveLength(1);
    expect(e.emu.listRecordings()).toHaveLength(1);
  });

  it('does not start anything with RECORDING_AUTO_START=false', async () => {
    const e = await setup({ env: { RECORDING_AUTO_START: 'false' } });
    const res = await postCallback(e, [callConnected(newCall())]);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ results: [{ outcome: 'skipped', reason: 'autoStartDisabled' }] });
    expect(acsRequests(e, 'startRecording')).toHaveLength(0);
  });

  it('sends ACS the configured settings and a callback URI back to this endpoint with the token', async () => {
    const e = await setup({ env: { RECORDING_CHANNEL: 'unmixed', RECORDING_FORMAT: 'wav', RECORDING_PAUSE_ON_START: 'true' } });
    const ids = newCall();
    await postCallback(e, [callConnected(ids)]);
    const [recording] = e.emu.listRecordings();
    expect(recording?.startRequestBody).toEqual({
      callLocator: { serverCallId: ids.serverCallId, kind: 'serverCallLocator' },
      recordingStateCallbackUri: `${e.forwarder.baseUrl}/api/callbacks/call-automation?token=${TEST_CALLBACK_TOKEN}`,
      recordingContentType: 'audio',
      recordingChannelType: 'unmixed',
      recordingFormatType: 'wav',
      pauseOnStart: true,
    });
    expect(acsRequests(e, 'startRecording')[0]?.authenticated).toBe(true);
  });

  it('records RecordingStateChanged, StartRecordingFailed and CallDisconnected; GET reports them', async () => {
    const e = await setup();
    const ids = newCall();
    await postCallback(e, [callConnected(ids)]);
    const [recording] = e.emu.listRecordings();
    const recordingId = recording!.recordingId;
    expect(recordingId).toMatch(/[/+=]/);

    // The emulator activates the recording and posts RecordingStateChanged (JWT + ?token=) to PUBLIC_BASE_URL,
    // which the forwarder hands to the same registered function.
    await vi.waitFor(() => expect(e.forwarder.statuses).toContain(200), { timeout: 10_000, interval: 50 });
    expect((await e.store.getRecording(recordingId))?.value.state).toBe('active');
    let view = await getRecordingApi(routeId(recordingId));
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({
      id: routeId(recordingId),
      recordingId,
      recordingState: 'active',
      serverCallId: ids.serverCallId,
      correlationId: ids.correlationId,
      stored: { state: 'active', lastEventType: 'RecordingStateChanged', startedVia: 'callback' },
      live: { recordingState: 'active' },
    });

    // An older event delivered late does not roll the state back.
    const older = await postCallback(e, [recordingStateChanged(ids, recordingId, 'inactive', new Date(Date.now() - 60_000))]);
    expect(older.status).toBe(200);
    expect((await e.store.getRecording(recordingId))?.value.state).toBe('active');

    const failed = await postCallback(e, [startRecordingFailed(ids, recordingId)]);
    expect(failed.body).toMatchObject({ results: [{ outcome: 'recorded', recordingId }] });
    view = await getRecordingApi(routeId(recordingId));
    expect(view.body).toMatchObject({ stored: { state: 'failed', failureCode: '400', failureSubCode: '8583', failureMessage: 'Recording failed: no audio' } });
    expect((await e.store.getCall(ids.serverCallId))?.value).toMatchObject({ status: 'failed', recordingId });

    const gone = await postCallback(e, [callDisconnected(ids)]);
    expect(gone.status).toBe(200);
    view = await getRecordingApi(routeId(recordingId));
    expect((view.body as { stored: { callDisconnectedAt?: string } }).stored.callDisconnectedAt).toEqual(expect.any(String));
    expect((await e.store.getCall(ids.serverCallId))?.value.disconnectedAt).toEqual(expect.any(String));
  });

  it('after a failed start, marks the call failed and lets a redelivery retry', async () => {
    const e = await setup();
    const ids = newCall();
    // ACS_MAX_RETRIES=1: two attempts fail, the start fails.
    e.emu.injectFault({ operation: 'startRecording', times: 2, fault: { type: 'status', status: 500 } });
    const first = await postCallback(e, [callConnected(ids)]);
    expect(first.status).toBe(502);
    expect(first.body).toMatchObject({ error: { details: { acsStatus: 500 } } });
    expect((await e.store.getCall(ids.serverCallId))?.value).toMatchObject({ status: 'failed', attempts: 1 });

    const retry = await postCallback(e, [callConnected(ids)]);
    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ results: [{ outcome: 'started' }] });
    expect((await e.store.getCall(ids.serverCallId))?.value).toMatchObject({ status: 'started', attempts: 2 });
    expect(e.emu.listRecordings()).toHaveLength(1);
  });

  it('answers 200 when ACS refuses the auto-start for good (a redelivery would not help), reporting it per event', async () => {
    const e = await setup();
    const ids = newCall();
    e.emu.injectFault({ operation: 'startRecording', times: 1, fault: { type: 'status', status: 404 } });
    const res = await postCallback(e, [callConnected(ids)]);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ results: [{ outcome: 'failed', transient: false, error: { status: 404 } }] });
    expect((await e.store.getCall(ids.serverCallId))?.value.status).toBe('failed');
  });

  it('a 501 from ACS is permanent in every layer (one failure model): the client sends it once and the callback asks for no redelivery', async () => {
    const e = await setup();
    const ids = newCall();
    e.emu.injectFault({ operation: 'startRecording', times: 5, fault: { type: 'status', status: 501 } });
    const res = await postCallback(e, [callConnected(ids)]);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ results: [{ outcome: 'failed', transient: false, error: { status: 501 } }] });
    expect(acsRequests(e, 'startRecording')).toHaveLength(1);
  });

  it('no auto-start for a call that already disconnected', async () => {
    const e = await setup();
    const ids = newCall();
    await postCallback(e, [callDisconnected(ids)]);
    const res = await postCallback(e, [callConnected(ids)]);
    expect(res.body).toMatchObject({ results: [{ outcome: 'skipped', reason: 'callDisconnected' }] });
    expect(acsRequests(e, 'startRecording')).toHaveLength(0);
  });

  it('acknowledges unknown event types with 200 and does nothing', async () => {
    const e = await setup();
    const res = await postCallback(e, [cloudEvent('PlayCompleted', { callConnectionId: 'c' }), cloudEvent('SomethingNew', {})]);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ processed: 2, results: [{ outcome: 'ignored' }, { outcome: 'ignored' }] });
    expect(e.emu.requests.filter((r) => r.operation !== 'openid' && r.operation !== 'jwks')).toHaveLength(0);
  });

  it.each<[string, (ids: ReturnType<typeof newCall>) => { body?: unknown; rawBody?: string }, RegExp]>([
    ['malformed JSON', () => ({ rawBody: '[{"id": "1", ' }), /not valid JSON/],
    ['an empty body', () => ({ rawBody: '' }), /empty/],
    ['an object instead of an array', (ids) => ({ body: callConnected(ids) }), /JSON array/],
    [
      'a later element without serverCallId',
      (ids) => {
        const bad = callConnected(newCall());
        delete (bad.data as Record<string, unknown>).serverCallId;
        return { body: [callConnected(ids), bad] };
      },
      /not a valid array/,
    ],
  ])('answers %s with 400 and acts on no element', async (_name, make, message) => {
    const e = await setup();
    const ids = newCall();
    const { body, rawBody } = make(ids);
    const res = await postCallback(e, body, { rawBody });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'BadRequest', message: expect.stringMatching(message) as unknown } });
    expect(acsRequests(e, 'startRecording')).toHaveLength(0);
    expect(await e.store.getCall(ids.serverCallId)).toBeUndefined();
  });

  it('answers 413 from Content-Length alone, before reading the body, and 413 for an oversized body without one', async () => {
    const e = await setup();
    const ids = newCall();
    // The declared length decides: the (small, valid) body is never read, so nothing is acted on.
    const declared = await invokeHttp('callAutomationCallback', {
      method: 'POST',
      url: e.callbackUrl,
      headers: { 'content-type': 'application/json', 'content-length': String(MAX_JSON_BODY_BYTES + 1), authorization: `Bearer ${await e.emu.mintCallbackToken()}` },
      body: { string: JSON.stringify([callConnected(ids)]) },
    });
    expect(declared.status).toBe(413);
    expect(declared.body).toMatchObject({ error: { code: 'PayloadTooLarge', message: expect.stringMatching(/1048577 bytes/) as unknown } });
    // Without a declared length the body is measured once read (multi-byte characters count as bytes).
    const big = await postCallback(e, undefined, { rawBody: JSON.stringify([callConnected(ids), { pad: 'é'.repeat(MAX_JSON_BODY_BYTES / 2) }]) });
    expect(big.status).toBe(413);
    expect(acsRequests(e, 'startRecording')).toHaveLength(0);
    expect(await e.store.getCall(ids.serverCallId)).toBeUndefined();
  });

  it.each<[string, (ids: ReturnType<typeof newCall>) => unknown[], string]>([
    ['a serverCallId longer than 2048', () => [callConnected(callIds('s'.repeat(2049)))], '[0].data.serverCallId'],
    ['a 900,000-character serverCallId', () => [callConnected(callIds('s'.repeat(900_000)))], '[0].data.serverCallId'],
    ['a callConnectionId longer than 256', (ids) => [callConnected({ ...ids, callConnectionId: 'c'.repeat(257) })], '[0].data.callConnectionId'],
    ['a correlationId longer than 256', (ids) => [callConnected({ ...ids, correlationId: 'r'.repeat(257) })], '[0].data.correlationId'],
    ['a recordingId ".."', (ids) => [recordingStateChanged(ids, '..', 'active')], '[0].data.recordingId'],
    ['a recordingId longer than 1024', (ids) => [recordingStateChanged(ids, 'r'.repeat(1025), 'active')], '[0].data.recordingId'],
  ])('answers %s with 400 (documented id caps), storing nothing', async (_name, make, path) => {
    const e = await setup();
    const ids = newCall();
    const res = await postCallback(e, make(ids));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'BadRequest', details: [expect.objectContaining({ path })] } });
    expect(acsRequests(e, 'startRecording')).toHaveLength(0);
    expect(await e.store.getCall(ids.serverCallId)).toBeUndefined();
  });

  it('lists the problem path of a missing serverCallId', async () => {
    const e = await setup();
    const bad = callConnected(newCall());
    delete (bad.data as Record<string, unknown>).serverCallId;
    const res = await postCallback(e, [bad]);
    expect(res.body).toMatchObject({ error: { details: [{ path: '[0].data.serverCallId', message: 'serverCallId is required' }] } });
  });

  it('works end to end with the emulator posting CallConnected itself', async () => {
    const e = await setup();
    const call = await e.emu.simulateCall({ callbackUrl: e.callbackUrl });
    expect(call.status).toBe(200);
    await vi.waitFor(() => expect(e.emu.listRecordings().find((r) => r.serverCallId === call.serverCallId)?.state).toBe('active'), {
      timeout: 10_000,
      interval: 50,
    });
    const recordingId = e.emu.listRecordings()[0]!.recordingId;
    await vi.waitFor(async () => expect((await e.store.getRecording(recordingId))?.value.state).toBe('active'), { timeout: 10_000, interval: 50 });
  });
});
