// The recording client against the project's ACS emulator over real HTTP on 127.0.0.1 with real HMAC: every
// operation with IDs containing / + =, throttling, 5xx, HTML and empty error pages, 404 and a wrong key.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { useAcsEmulator } from '../support/useAcsEmulator.js';
import { classifyFailure } from '../../src/shared/failureModel.js';
import { AcsRequestError } from '../../src/acs/errors.js';
import { RestAcsRecordingClient } from '../../src/acs/RestAcsRecordingClient.js';
import type { StartRecordingRequest } from '../../src/acs/models.js';
import { loadConfig } from '../../src/config.js';

const emu = await useAcsEmulator();
let client: RestAcsRecordingClient;

/** A serverCallId in the real style (base64 of a conversation URL), unique per test. */
const serverCallId = () => Buffer.from(`https://api.flightproxy.skype.com/api/v2/cp/conv/${randomUUID()}?i=10&e=1`).toString('base64');
const startRequest = (): StartRecordingRequest => ({ target: { serverCallId: serverCallId() }, content: 'audio', channel: 'mixed', format: 'wav' });
const requestsFor = (operation: string, since: number) => emu.requests.slice(since).filter((r) => r.operation === operation);

beforeAll(() => {
  // Built the way the app builds it: from the connection string setting.
  const { acs } = loadConfig({ ACS_CONNECTION_STRING: emu.connectionString });
  client = new RestAcsRecordingClient(acs!, { retryDelayMs: 10 });
});

describe('RestAcsRecordingClient against the ACS emulator', () => {
  it('starts, reads, pauses, resumes and stops a recording whose id contains / + =', async () => {
    const since = emu.requests.length;
    const started = await client.startRecording({ ...startRequest(), recordingStateCallbackUri: 'https://app.example.com/cb?token=t' });
    const id = started.recordingId;
    expect(id).toMatch(/\//);
    expect(id).toMatch(/\+/);
    expect(id).toMatch(/=/);
    expect(started.recordingState).toBe('inactive');
    expect(emu.getRecording(id)?.recordingStateCallbackUri).toBe('https://app.example.com/cb?token=t');

    expect((await client.getRecordingState(id)).recordingId).toBe(id);
    await client.pauseRecording(id);
    expect(emu.getRecording(id)?.state).toBe('inactive');
    await client.resumeRecording(id);
    expect(emu.getRecording(id)?.state).toBe('active');
    expect(await client.getRecordingState(id)).toMatchObject({ recordingId: id, recordingState: 'active' });
    await client.stopRecording(id);
    expect(emu.getRecording(id)?.state).toBe('stopped');

    const log = emu.requests.slice(since);
    expect(log.map((r) => [r.operation, r.status])).toEqual([
      ['startRecording', 200],
      ['getRecording', 200],
      ['pauseRecording', 202],
      ['resumeRecording', 202],
      ['getRecording', 200],
      ['stopRecording', 204],
    ]);
    expect(log.every((r) => r.authenticated)).toBe(true);
    const encoded = encodeURIComponent(id);
    expect(log[2]?.path).toBe(`/calling/recordings/${encoded}:pause?api-version=2026-03-12`);
    expect(log[1]?.path).toContain('%2F');
    expect(log[1]?.path).toContain('%2B');
    expect(log[1]?.path).toContain('%3D');
  });

  it('after stop, the recording is gone: a typed 404', async () => {
    const { recordingId } = await client.startRecording(startRequest());
    await client.stopRecording(recordingId);
    const error = await client.getRecordingState(recordingId).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AcsRequestError);
    expect(error).toMatchObject({ statusCode: 404, code: 'NotFound', message: 'Recording not found.' });
    expect(classifyFailure(error)).toEqual({ kind: 'permanent', code: 'Gone' });
  });

  it('a never-seen id is a typed 404 (and not retried)', async () => {
    const since = emu.requests.length;
    await expect(client.pauseRecording('bm9wZQ/+bm9wZQ==')).rejects.toMatchObject({ name: 'AcsRequestError', statusCode: 404, code: 'NotFound' });
    expect(emu.requests.length - since).toBe(1);
  });

  it('honours Retry-After on 429: waits at least that long, retries with the same repeatability id, starts once', async () => {
    emu.injectFault({ operation: 'startRecording', times: 1, fault: { type: 'throttle', retryAfterSeconds: 1 } });
    const since = emu.requests.length;
    const request = startRequest();

    const started = await client.startRecording(request);

    const attempts = requestsFor('startRecording', since);
    expect(attempts.map((r) => r.status)).toEqual([429, 200]);
    expect(attempts[1]!.time.getTime() - attempts[0]!.time.getTime()).toBeGreaterThanOrEqual(1000);
    expect(attempts[1]!.headers['repeatability-request-id']).toBe(attempts[0]!.headers['repeatability-request-id']);
    expect(attempts.every((r) => r.authenticated)).toBe(true);
    expect(emu.listRecordings().filter((r) => r.serverCallId === (request.target as { serverCallId: string }).serverCallId)).toHaveLength(1);
    expect(started.recordingState).toBe('inactive');
  });

  it('retries a 503, then succeeds', async () => {
    const { recordingId } = await client.startRecording(startRequest());
    emu.injectFault({ operation: 'getRecording', recordingId, times: 1, fault: { type: 'status', status: 503 } });
    const since = emu.requests.length;
    await expect(client.getRecordingState(recordingId)).resolves.toMatchObject({ recordingId });
    expect(requestsFor('getRecording', since).map((r) => r.status)).toEqual([503, 200]);
    await client.stopRecording(recordingId);
  });

  it('turns an HTML 502 error page into a typed error after the bounded retries', async () => {
    const { recordingId } = await client.startRecording(startRequest());
    const strict = new RestAcsRecordingClient({ kind: 'connectionString', endpoint: emu.endpoint, accessKey: emu.accessKey }, { maxRetries: 2, retryDelayMs: 1 });
    emu.injectFault({ operation: 'stopRecording', times: 3, fault: { type: 'html', status: 502 } });
    const since = emu.requests.length;

    const error = await strict.stopRecording(recordingId).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AcsRequestError);
    expect(error).toMatchObject({ statusCode: 502, code: 'HttpError', message: 'HTTP 502 with a text/html body' });
    expect(requestsFor('stopRecording', since).map((r) => r.status)).toEqual([502, 502, 502]);
    expect(classifyFailure(error)).toEqual({ kind: 'transient', code: 'Unavailable' });
    await strict.stopRecording(recordingId); // the fault is used up: the stop now goes through
  });

  it('describes an empty error body, and maps the 500 "9999" body to its code', async () => {
    const once = new RestAcsRecordingClient({ kind: 'connectionString', endpoint: emu.endpoint, accessKey: emu.accessKey }, { maxRetries: 0 });
    emu.injectFault({ operation: 'getRecording', fault: { type: 'empty', status: 503 } });
    await expect(once.getRecordingState('eA==')).rejects.toMatchObject({ statusCode: 503, code: 'HttpError', message: 'HTTP 503 with an empty body' });
    emu.injectFault({ operation: 'startRecording', fault: { type: 'status', status: 500 } });
    await expect(once.startRecording(startRequest())).rejects.toMatchObject({ statusCode: 500, code: '9999', message: 'Unknown internal server error.' });
  });

  it('a wrong access key is a typed 401 Denied, not retried', async () => {
    const wrongKey = Buffer.alloc(32, 7).toString('base64');
    const bad = new RestAcsRecordingClient({ kind: 'connectionString', endpoint: emu.endpoint, accessKey: wrongKey });
    const since = emu.requests.length;

    const error = await bad.startRecording(startRequest()).catch((e: unknown) => e);

    expect(error).toMatchObject({ name: 'AcsRequestError', statusCode: 401, code: 'Denied', message: 'Denied by the resource provider.' });
    expect(classifyFailure(error)).toEqual({ kind: 'permanent', code: 'Refused' });
    const log = emu.requests.slice(since);
    expect(log).toHaveLength(1);
    expect(log[0]?.authenticated).toBe(false);
  });
});
