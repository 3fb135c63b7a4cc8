// The recording control API through the REAL registered functions, against the ACS emulator (recording IDs with
// '/', '+', '=') and the state table in Azurite.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { triggerBinding } from '../../tools/local/host/functionsHost.js';
import { TEST_CALLBACK_TOKEN, useCallTestEnv, type CallTestEnv } from '../calls/support/callTestEnv.js';
import { callConnected, callIds } from '../calls/support/cloudEvents.js';
import { acsRequests, postCallback } from '../calls/support/postCallback.js';
import {
  getRecordingApi,
  pauseRecordingApi,
  resumeRecordingApi,
  routeId,
  startRecordingApi,
  stopRecordingApi,
} from '../calls/support/callRecordingsApi.js';
import { mintServerCallId } from '../../tools/acs-emulator/ids/mintServerCallId.js';

beforeAll(async () => {
  await import('../../src/functions/callAutomationCallback.js');
  await import('../../src/functions/recordingsStart.js');
  await import('../../src/functions/recordingsGet.js');
  await import('../../src/functions/recordingsPause.js');
  await import('../../src/functions/recordingsResume.js');
  await import('../../src/functions/recordingsStop.js');
});

const setup = useCallTestEnv();

interface View {
  id: string;
  recordingId: string;
  recordingState: string | null;
  [k: string]: unknown;
}

async function startOne(e: CallTestEnv, body: Record<string, unknown> = {}): Promise<View> {
  const res = await startRecordingApi({ serverCallId: mintServerCallId(), ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  expect(e.emu.listRecordings().length).toBeGreaterThan(0);
  return res.body as View;
}

describe('control API registration', () => {
  it.each([
    ['startRecording', 'recordings', ['POST']],
    ['getRecording', 'recordings/{id}', ['GET']],
    ['stopRecording', 'recordings/{id}', ['DELETE']],
    ['pauseRecording', 'recordings/{id}/pause', ['POST']],
    ['resumeRecording', 'recordings/{id}/resume', ['POST']],
  ])('%s: %s %s with authLevel function', (name, route, methods) => {
    expect(triggerBinding(name)).toMatchObject({ type: 'httpTrigger', route, methods, authLevel: 'function' });
  });
});

describe('POST /api/recordings', () => {
  it('starts by serverCallId: 201 with both ID forms, a Location, and the start body ACS received', async () => {
    const e = await setup();
    const serverCallId = mintServerCallId();
    const res = await startRecordingApi({ serverCallId, format: 'mp3', pauseOnStart: true });
    expect(res.status).toBe(201);
    const view = res.body as View;
    expect(view.recordingId).toMatch(/[/+=]/);
    expect(view.id).toBe(Buffer.from(view.recordingId, 'utf8').toString('base64url'));
    expect(view.id).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(res.headers.get('location')).toBe(`/api/recordings/${view.id}`);
    expect(view).toMatchObject({ recordingState: 'inactive', serverCallId, content: 'audio', channel: 'mixed', format: 'mp3', pauseOnStart: true });
    expect(e.emu.getRecording(view.recordingId)?.startRequestBody).toEqual({
      callLocator: { serverCallId, kind: 'serverCallLocator' },
      recordingStateCallbackUri: `${e.forwarder.baseUrl}/api/callbacks/call-automation?token=${TEST_CALLBACK_TOKEN}`,
      recordingContentType: 'audio',
      recordingChannelType: 'mixed',
      recordingFormatType: 'mp3',
      pauseOnStart: true,
    });
    expect((await e.store.getRecording(view.recordingId))?.value).toMatchObject({ startedVia: 'api', serverCallId, format: 'mp3' });
    expect((await e.store.getCall(serverCallId))?.value).toMatchObject({ status: 'started', recordingId: view.recordingId });
  });

  it('sends unmixed options as ACS identifier models', async () => {
    const e = await setup();
    const view = await startOne(e, {
      channel: 'unmixed',
      channelAffinity: [{ channel: 0, participant: '4:+14255550123' }, { channel: 3, participant: '8:acs:res_user1' }],
      audioChannelParticipantOrdering: ['8:acs:res_user1', '4:+14255550123'],
    });
    const recording = e.emu.getRecording(view.recordingId);
    expect(recording).toMatchObject({ channel: 'unmixed', format: 'wav' });
    expect(recording?.channelAffinity).toEqual([
      { channel: 0, participant: { kind: 'phoneNumber', rawId: '4:+14255550123', phoneNumber: { value: '+14255550123', isAnonymous: false } } },
      { channel: 3, participant: { kind: 'communicationUser', rawId: '8:acs:res_user1', communicationUser: { id: '8:acs:res_user1' } } },
    ]);
    expect(recording?.audioChannelParticipantOrdering).toEqual([
      { kind: 'communicationUser', rawId: '8:acs:res_user1', communicationUser: { id: '8:acs:res_user1' } },
      { kind: 'phoneNumber', rawId: '4:+14255550123', phoneNumber: { value: '+14255550123', isAnonymous: false } },
    ]);
  });

  it('starts by callConnectionId and records the recording', async () => {
    const e = await setup();
    const callConnectionId = '401f3500-62bd-46a9-8c09-9e1b06caca01';
    const res = await startRecordingApi({ callConnectionId, content: 'audioVideo' });
    expect(res.status).toBe(201);
    const view = res.body as View;
    expect(view).toMatchObject({ callConnectionId, content: 'audioVideo', channel: 'mixed', format: 'mp4' });
    expect(e.emu.getRecording(view.recordingId)?.startRequestBody).toMatchObject({ callConnectionId, recordingContentType: 'audioVideo' });
    expect((await e.store.getRecording(view.recordingId))?.value).toMatchObject({ callConnectionId, startedVia: 'api' });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['channel 5', { channel: 'unmixed', channelAffinity: [{ channel: 5, participant: '8:acs:a_b' }] }, 'channelAffinity[0].channel'],
    ['channelAffinity on a mixed recording', { channel: 'mixed', channelAffinity: [{ channel: 0, participant: '8:acs:a_b' }] }, 'channelAffinity'],
    ['a bad channel enum', { channel: 'stereo' }, 'channel'],
    ['an unsupported combination', { content: 'audio', format: 'mp4' }, 'content'],
    ['both serverCallId and callConnectionId', { callConnectionId: 'c' }, 'serverCallId'],
  ])('answers %s with 400 and calls nothing', async (_name, body, path) => {
    const e = await setup();
    const res = await startRecordingApi({ serverCallId: mintServerCallId(), ...body });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'BadRequest' } });
    expect((res.body as { error: { details: { path: string }[] } }).error.details.map((d) => d.path)).toContain(path);
    expect(acsRequests(e, 'startRecording')).toHaveLength(0);
  });

  it('answers neither serverCallId nor callConnectionId, and malformed JSON, with 400', async () => {
    const e = await setup();
    expect((await startRecordingApi({ content: 'audio' })).status).toBe(400);
    expect((await startRecordingApi(undefined, '{"serverCallId":')).status).toBe(400);
    expect(acsRequests(e, 'startRecording')).toHaveLength(0);
  });

  it('rides out one ACS 429 (the client honours Retry-After) and answers 201', async () => {
    const e = await setup();
    e.emu.injectFault({ operation: 'startRecording', times: 1, fault: { type: 'throttle', retryAfterSeconds: 1 } });
    const view = await startOne(e);
    expect(acsRequests(e, 'startRecording').map((r) => r.status)).toEqual([429, 200]);
    expect(e.emu.getRecording(view.recordingId)?.state, 'one recording, started and not stopped').toMatch(/^(inactive|active)$/);
  });

  it("writes the ACS client's attempt and retry lines through the invocation's logger, not the console", async () => {
    const e = await setup();
    e.emu.injectFault({ operation: 'startRecording', times: 1, fault: { type: 'throttle', retryAfterSeconds: 1 } });
    const consoleLines = [vi.spyOn(console, 'info'), vi.spyOn(console, 'warn'), vi.spyOn(console, 'log')];
    try {
      const res = await startRecordingApi({ serverCallId: mintServerCallId() });
      expect(res.status).toBe(201);
      const acsLines = res.logs.filter((l) => l.message.startsWith('ACS request'));
      expect(acsLines.map((l) => `${l.level} ${l.message.split(' {')[0]}`)).toEqual([
        'warning ACS request attempt failed',
        'warning ACS request will be retried',
        'information ACS request attempt',
      ]);
      expect(acsLines.every((l) => l.functionName === 'startRecording' && l.message.includes('"operation":"startRecording"'))).toBe(true);
      for (const spy of consoleLines) expect(spy.mock.calls.filter((c) => String(c[0]).startsWith('ACS request'))).toEqual([]);
    } finally {
      vi.restoreAllMocks();
    }
  });

  it('answers 503 with Retry-After when ACS keeps throttling, and releases the call for a retry', async () => {
    const e = await setup();
    const serverCallId = mintServerCallId();
    e.emu.injectFault({ operation: 'startRecording', times: 2, fault: { type: 'throttle', retryAfterSeconds: 1 } });
    const res = await startRecordingApi({ serverCallId });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(res.body).toMatchObject({ error: { details: { acsStatus: 429 } } });
    expect((await e.store.getCall(serverCallId))?.value.status).toBe('failed');
    expect((await startRecordingApi({ serverCallId })).status).toBe(201);
  });

  it('maps ACS refusing our credentials to 502', async () => {
    const e = await setup();
    e.emu.injectFault({ operation: 'startRecording', times: 1, fault: { type: 'status', status: 401 } });
    const res = await startRecordingApi({ serverCallId: mintServerCallId() });
    expect(res.status).toBe(502);
    expect(res.body).toMatchObject({ error: { details: { acsStatus: 401 } } });
  });

  it('answers 409 when the call is already being recorded (by the callback), and the callback sees API starts', async () => {
    const e = await setup();
    const ids = callIds(mintServerCallId());
    await postCallback(e, [callConnected(ids)]);
    const conflict = await startRecordingApi({ serverCallId: ids.serverCallId });
    expect(conflict.status).toBe(409);
    const [recording] = e.emu.listRecordings();
    expect(conflict.body).toMatchObject({ error: { code: 'RecordingAlreadyStarted', details: { recordingId: recording!.recordingId, id: routeId(recording!.recordingId) } } });

    const other = callIds(mintServerCallId());
    expect((await startRecordingApi({ serverCallId: other.serverCallId })).status).toBe(201);
    const cb = await postCallback(e, [callConnected(other)]);
    expect(cb.body).toMatchObject({ results: [{ outcome: 'skipped', reason: 'alreadyStarted' }] });
    expect(acsRequests(e, 'startRecording')).toHaveLength(2);
  });

  it('allows a new recording of the call after the previous one was stopped', async () => {
    const e = await setup();
    const serverCallId = mintServerCallId();
    const first = (await startRecordingApi({ serverCallId })).body as View;
    expect((await stopRecordingApi(first.id)).status).toBe(200);
    const second = await startRecordingApi({ serverCallId });
    expect(second.status).toBe(201);
    expect((second.body as View).recordingId).not.toBe(first.recordingId);
    expect(e.emu.listRecordings()).toHaveLength(2);
  });
});

describe('GET / pause / resume / DELETE /api/recordings/{id}', () => {
  it('controls an emulator recording addressed by its base64url id', async () => {
    const e = await setup();
    const started = await startOne(e);
    const { id, recordingId } = started;
    expect(recordingId).toMatch(/\//);
    expect(recordingId).toMatch(/\+/);

    const got = await getRecordingApi(id);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ id, recordingId, live: { recordingId }, stored: { recordingId, startedVia: 'api' } });

    const paused = await pauseRecordingApi(id);
    expect(paused.status).toBe(202);
    expect(paused.body).toEqual({ id, recordingId, action: 'pause', status: 'accepted' });
    expect(e.emu.getRecording(recordingId)?.state).toBe('inactive');

    const resumed = await resumeRecordingApi(id);
    expect(resumed.status).toBe(202);
    expect(resumed.body).toEqual({ id, recordingId, action: 'resume', status: 'accepted' });
    expect(e.emu.getRecording(recordingId)?.state).toBe('active');
    expect((await getRecordingApi(id)).body).toMatchObject({ recordingState: 'active', stored: { lastAction: 'resume' } });

    const stopped = await stopRecordingApi(id);
    expect(stopped.status).toBe(200);
    expect(stopped.body).toEqual({ id, recordingId, action: 'stop', status: 'stopped' });
    expect(e.emu.getRecording(recordingId)?.state).toBe('stopped');

    // ACS no longer knows it; the stored state still answers.
    const after = await getRecordingApi(id);
    expect(after.status).toBe(200);
    expect(after.body).toMatchObject({ id, recordingId, recordingState: 'stopped', live: null, stored: { stoppedAt: expect.any(String) as unknown } });

    // Every operation reached ACS with the percent-encoded id, HMAC-authenticated.
    const ops = e.emu.requests.filter((r) => ['getRecording', 'pauseRecording', 'resumeRecording', 'stopRecording'].includes(r.operation));
    expect(ops.every((r) => r.authenticated && r.path.includes(encodeURIComponent(recordingId)))).toBe(true);
  });

  it('answers 404 for an id neither this app nor ACS knows, and maps ACS 404s on operations', async () => {
    const e = await setup();
    const id = routeId('eyJ1bmtub3duIjoicmVjb3JkaW5nIn0/+==');
    const got = await getRecordingApi(id);
    expect(got.status).toBe(404);
    expect(got.body).toMatchObject({ error: { code: 'NotFound' } });
    for (const call of [pauseRecordingApi, resumeRecordingApi, stopRecordingApi]) {
      const res = await call(id);
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ error: { details: { acsStatus: 404 } } });
    }
    expect(acsRequests(e, 'pauseRecording')).toHaveLength(1);
  });

  it.each(['abc+', 'YWJj=', 'YR', 'a/b'])('answers 400 for the non-base64url id %s without calling ACS', async (id) => {
    const e = await setup();
    for (const call of [getRecordingApi, pauseRecordingApi, resumeRecordingApi, stopRecordingApi]) {
      const res = await call(id);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: { code: 'BadRequest', message: expect.stringMatching(/base64url/) as unknown } });
    }
    expect(e.emu.requests.filter((r) => r.operation !== 'openid' && r.operation !== 'jwks')).toHaveLength(0);
  });

  it.each([
    ['"."', '.', /dot path segment/],
    ['".."', '..', /dot path segment/],
    ['a backslash', 'a\\b', /backslash/],
    ['a NUL', 'ab\u0000c', /control character/],
    ['a newline', 'ab\nc', /control character/],
    ['1025 characters', 'x'.repeat(1025), /longer than 1024/],
  ])('answers 400 for an id that decodes to %s without sending anything to ACS', async (_label, recordingId, message) => {
    const e = await setup();
    const before = e.emu.requests.length;
    for (const call of [getRecordingApi, pauseRecordingApi, resumeRecordingApi, stopRecordingApi]) {
      const res = await call(routeId(recordingId));
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: { code: 'BadRequest', message: expect.stringMatching(message) as unknown } });
    }
    // Nothing at all reached the emulator (in particular no signed request to /calling/).
    expect(e.emu.requests.slice(before)).toEqual([]);
  });

  it('still addresses recording ids with / + = (base64) and at the length cap', async () => {
    const e = await setup();
    for (const recordingId of ['eyJhIjoiYiJ9/+==', 'y'.repeat(1024)]) {
      const res = await getRecordingApi(routeId(recordingId));
      expect(res.status).toBe(404); // unknown, but sent to ACS: the id is acceptable
    }
    expect(acsRequests(e, 'getRecording')).toHaveLength(2);
  });

  it('reports the stored state when ACS is unavailable for GET', async () => {
    const e = await setup();
    const { id } = await startOne(e);
    e.emu.injectFault({ operation: 'getRecording', times: 2, fault: { type: 'status', status: 500 } });
    const res = await getRecordingApi(id);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ live: null, liveError: { status: 500 }, stored: { startedVia: 'api' } });
  });
});
