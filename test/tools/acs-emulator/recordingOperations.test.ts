// Recording operations over signed HTTP: validation, api-version, idempotency, the state machine and its callbacks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAcsEmulator, type AcsEmulator } from '../../../tools/acs-emulator/index.js';
import { sendSigned, type SignedResponse } from '../../../tools/acs-emulator/control/signedClient.js';
import { startWebhookSink, type WebhookSink } from './support/webhookSink.js';

const API = 'api-version=2026-03-12';

describe('recording operations', () => {
  let acs: AcsEmulator;
  let sink: WebhookSink;

  beforeAll(async () => {
    acs = await startAcsEmulator({ activationDelayMs: 10 });
    sink = await startWebhookSink();
  });
  afterAll(async () => {
    await acs.close();
    await sink.close();
  });

  const call = (method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown, headers: Record<string, string> = {}): Promise<SignedResponse> =>
    sendSigned(acs.accessKey, {
      method,
      url: `${acs.endpoint}${path.replace(/^\//, '')}`,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    });
  const recordingPath = (id: string, suffix = '') => `/calling/recordings/${encodeURIComponent(id)}${suffix}?${API}`;
  const start = (body: unknown, headers?: Record<string, string>) => call('POST', `/calling/recordings?${API}`, body, headers);
  const newCall = () => acs.simulateCall({ callbackUrl: `${sink.url}/calls` });
  const errorOf = (r: SignedResponse) => (r.json() as { error: { code: string; message: string } }).error;

  describe('api-version', () => {
    it('is required', async () => {
      const r = await call('GET', '/calling/recordings/abc');
      expect(r.status).toBe(400);
      expect(errorOf(r).code).toBe('MissingApiVersionParameter');
    });
    it('must be a known version', async () => {
      const r = await call('GET', '/calling/recordings/abc?api-version=2099-01-01');
      expect(r.status).toBe(400);
      expect(errorOf(r)).toMatchObject({ code: 'UnsupportedApiVersion', message: expect.stringContaining('2099-01-01') as string });
    });
    it('accepts older GA versions', async () => {
      expect((await call('GET', '/calling/recordings/abc?api-version=2023-03-06')).status).toBe(404);
    });
  });

  describe('start validation (400 CommunicationErrorResponse with a clear message)', () => {
    const serverCallId = 'aHR0cHM6Ly9hcGk/aT0x';
    it.each([
      ['both locators', { callLocator: { kind: 'serverCallLocator', serverCallId }, callConnectionId: 'x' }, 'Only one of callLocator or callConnectionId'],
      ['no locator', { recordingContentType: 'audio' }, 'Either callLocator or callConnectionId'],
      ['PascalCase enum', { callConnectionId: 'c', recordingContentType: 'Audio' }, 'recordingContentType must be one of audio, audioVideo'],
      ['audioVideo unmixed', { callConnectionId: 'c', recordingContentType: 'audioVideo', recordingChannelType: 'unmixed', recordingFormatType: 'wav' }, 'audioVideo recordings must use'],
      ['audio mp4', { callConnectionId: 'c', recordingContentType: 'audio', recordingFormatType: 'mp4' }, 'mp4 is only supported for audioVideo'],
      ['unmixed mp3', { callConnectionId: 'c', recordingContentType: 'audio', recordingChannelType: 'unmixed', recordingFormatType: 'mp3' }, 'unmixed recordings must use recordingFormatType wav'],
      ['channelAffinity on mixed', { callConnectionId: 'c', recordingContentType: 'audio', recordingChannelType: 'mixed', recordingFormatType: 'wav', channelAffinity: [{ channel: 0, participant: { rawId: '8:acs:a' } }] }, 'channelAffinity is only supported for unmixed'],
      ['channel 5', { callConnectionId: 'c', recordingContentType: 'audio', recordingChannelType: 'unmixed', recordingFormatType: 'wav', channelAffinity: [{ channel: 5, participant: { rawId: '8:acs:a' } }] }, 'channelAffinity.0.channel: channelAffinity channel must be 0..4'],
      ['ordering on mixed', { callConnectionId: 'c', recordingContentType: 'audio', recordingChannelType: 'mixed', recordingFormatType: 'wav', audioChannelParticipantOrdering: [{ rawId: '8:acs:a' }] }, 'audioChannelParticipantOrdering is only supported for unmixed'],
      ['not base64 serverCallId', { callLocator: { kind: 'serverCallLocator', serverCallId: 'a call id!' } }, 'not a valid Base-64 string'],
      ['room locator', { callLocator: { kind: 'roomCallLocator', roomId: 'r' } }, 'roomCallLocator is not supported'],
      ['bad JSON', '{"callConnectionId":', 'not valid JSON'],
    ])('%s', async (_name, body, message) => {
      const r = await start(body);
      expect(r.status).toBe(400);
      expect(errorOf(r).code).toBe('BadRequest');
      expect(errorOf(r).message).toContain(message);
    });

    it('treats explicit nulls as absent (the 2026-03-12 spec example)', async () => {
      const c = await newCall();
      const r = await start({ recordingStateCallbackUri: `${sink.url}/rec`, recordingContentType: null, recordingChannelType: null, recordingFormatType: null, pauseOnStart: false, callConnectionId: c.callConnectionId });
      expect(r.status).toBe(200);
      const rec = acs.getRecording((r.json() as { recordingId: string }).recordingId)!;
      expect([rec.content, rec.channel, rec.format]).toEqual(['audioVideo', 'mixed', 'mp4']);
    });
  });

  describe('idempotency (Repeatability-Request-ID)', () => {
    it('answers a repeated id with the original result and starts nothing new', async () => {
      const c = await newCall();
      const headers = { 'Repeatability-Request-ID': crypto.randomUUID(), 'Repeatability-First-Sent': new Date().toUTCString() };
      const body = { callConnectionId: c.callConnectionId, recordingContentType: 'audio', recordingChannelType: 'mixed', recordingFormatType: 'wav' };
      const first = await start(body, headers);
      const count = acs.listRecordings().length;
      const second = await start(body, headers);
      expect(second.status).toBe(200);
      expect(second.json()).toEqual(first.json());
      expect(acs.listRecordings().length).toBe(count);
      // A new id for the same call is a second start: the call already has a recording → 409 (our documented choice).
      const third = await start(body, { ...headers, 'Repeatability-Request-ID': crypto.randomUUID() });
      expect(third.status).toBe(409);
      expect(errorOf(third).code).toBe('Conflict');
    });

    it('lets a client whose first response was lost retry safely', async () => {
      const c = await newCall();
      const headers = { 'Repeatability-Request-ID': crypto.randomUUID(), 'Repeatability-First-Sent': new Date().toUTCString() };
      const body = { callConnectionId: c.callConnectionId, recordingContentType: 'audio', recordingChannelType: 'mixed', recordingFormatType: 'wav' };
      acs.injectFault({ operation: 'startRecording', fault: { type: 'reset', afterBytes: 5 } });
      await expect(start(body, headers)).rejects.toMatchObject({ name: 'RestError', code: 'PARSE_ERROR' }); // the response was cut mid-body
      const created = acs.listRecordings().filter((r) => r.callConnectionId === c.callConnectionId);
      expect(created).toHaveLength(1);
      const retry = await start(body, headers);
      expect(retry.status).toBe(200);
      expect((retry.json() as { recordingId: string }).recordingId).toBe(created[0]!.recordingId);
    });

    it('requires Repeatability-First-Sent with the id', async () => {
      const r = await start({ callConnectionId: 'c' }, { 'Repeatability-Request-ID': crypto.randomUUID() });
      expect(r.status).toBe(400);
      expect(errorOf(r).message).toContain('Repeatability-First-Sent');
    });
  });

  describe('state machine and RecordingStateChanged callbacks', () => {
    const stateEvents = (recordingId: string) =>
      sink.received
        .map((w) => JSON.parse(w.body) as { type: string; data: { recordingId: string; state: string } }[])
        .filter(([e]) => e?.type === 'Microsoft.Communication.RecordingStateChanged' && e.data.recordingId === recordingId)
        .map(([e]) => e!.data.state);
    const waitForState = (recordingId: string, state: string) =>
      sink.waitFor((w) => w.path.startsWith('/rec') && w.body.includes(`"state":"${state}"`) && w.body.includes(JSON.stringify(recordingId)));

    it('inactive → active after the delay, pause → inactive (202), resume → active (202), stop → 204, then 404', async () => {
      const c = await newCall();
      const r = await start({ callLocator: { kind: 'serverCallLocator', serverCallId: c.serverCallId }, recordingStateCallbackUri: `${sink.url}/rec`, recordingContentType: 'audio', recordingChannelType: 'mixed', recordingFormatType: 'mp3' });
      expect(r.json()).toMatchObject({ recordingState: 'inactive', recordingKind: 'azureCommunicationServices' });
      const id = (r.json() as { recordingId: string }).recordingId;
      await waitForState(id, 'active');
      expect((await call('GET', recordingPath(id))).json()).toMatchObject({ recordingId: id, recordingState: 'active' });

      const pause = await call('POST', recordingPath(id, ':pause'));
      expect([pause.status, pause.text]).toEqual([202, '']);
      expect(acs.getRecording(id)!.state).toBe('inactive');
      await waitForState(id, 'inactive');
      const resume = await call('POST', recordingPath(id, ':resume'));
      expect(resume.status).toBe(202);
      expect(acs.getRecording(id)!.state).toBe('active');
      await sink.waitFor(() => stateEvents(id).length === 3);
      expect(stateEvents(id)).toEqual(['active', 'inactive', 'active']);

      const stop = await call('DELETE', recordingPath(id));
      expect([stop.status, stop.text]).toEqual([204, '']);
      const rec = acs.getRecording(id)!;
      expect(rec.state).toBe('stopped');
      expect(rec.chunks).toHaveLength(1);
      expect(rec.chunks[0]!.sizeBytes).toBe(256 * 1024);
      expect((rec.chunks[0]!.metadata as { pauseResumeIntervals: unknown[] }).pauseResumeIntervals).toHaveLength(1);
      for (const op of [recordingPath(id), recordingPath(id, ':pause'), recordingPath(id, ':resume')]) {
        const res = await call(op.includes(':') ? 'POST' : 'GET', op);
        expect(res.status).toBe(404);
        expect(errorOf(res).code).toBe('NotFound');
      }
      expect((await call('DELETE', recordingPath(id))).status).toBe(404);
    });

    it('pauseOnStart stays inactive until resumed', async () => {
      const c = await newCall();
      const r = await start({ callConnectionId: c.callConnectionId, recordingStateCallbackUri: `${sink.url}/rec`, pauseOnStart: true, recordingContentType: 'audio', recordingChannelType: 'mixed', recordingFormatType: 'wav' });
      const id = (r.json() as { recordingId: string }).recordingId;
      await waitForState(id, 'inactive');
      expect(acs.getRecording(id)!.state).toBe('inactive');
      await call('POST', recordingPath(id, ':resume'));
      await waitForState(id, 'active');
      expect(stateEvents(id)).toEqual(['inactive', 'active']);
    });

    it('a pause before activation wins over the pending activation', async () => {
      const c = await newCall();
      const slow = await startAcsEmulator({ activationDelayMs: 60_000, accessKey: acs.accessKey });
      try {
        const res = await sendSigned(acs.accessKey, { method: 'POST', url: `${slow.endpoint}calling/recordings?${API}`, body: JSON.stringify({ callConnectionId: c.callConnectionId }) });
        const id = (res.json() as { recordingId: string }).recordingId;
        expect((await sendSigned(acs.accessKey, { method: 'POST', url: `${slow.endpoint}${recordingPath(id, ':pause').slice(1)}` })).status).toBe(202);
        expect(slow.getRecording(id)!.state).toBe('inactive');
      } finally {
        await slow.close();
      }
    });

    it('setNextRecordingFiles applies to the next stop only', async () => {
      const files = async () => {
        const c = await newCall();
        const id = ((await start({ callConnectionId: c.callConnectionId })).json() as { recordingId: string }).recordingId;
        await call('DELETE', recordingPath(id));
        return acs.getRecording(id)!.chunks.map((ch) => [ch.index, ch.sizeBytes, ch.endReason]);
      };
      acs.setNextRecordingFiles({ count: 3, sizeBytes: 10 });
      expect(await files()).toEqual([
        [0, 10, 'ChunkMaximumSizeExceeded'],
        [1, 10, 'ChunkMaximumSizeExceeded'],
        [2, 10, 'SessionEnded'],
      ]);
      expect(await files()).toEqual([[0, 256 * 1024, 'SessionEnded']]);
    });

    it('disconnectCall stops the running recording and later starts on that call are 404', async () => {
      const c = await newCall();
      const id = ((await start({ callConnectionId: c.callConnectionId })).json() as { recordingId: string }).recordingId;
      const { status } = await acs.disconnectCall({ callbackUrl: `${sink.url}/calls`, ...c });
      expect(status).toBe(200);
      expect(acs.getRecording(id)!.state).toBe('stopped');
      expect(acs.getRecording(id)!.chunks.length).toBeGreaterThan(0);
      expect((await start({ callConnectionId: c.callConnectionId })).status).toBe(404);
    });
  });

  it('simulating a known call again keeps its identity (and its running recording)', async () => {
    const c = await newCall();
    await start({ callConnectionId: c.callConnectionId });
    const again = await acs.simulateCall({ callbackUrl: `${sink.url}/calls`, serverCallId: c.serverCallId });
    expect(again).toMatchObject({ serverCallId: c.serverCallId, callConnectionId: c.callConnectionId, correlationId: c.correlationId });
    expect((await start({ callLocator: { kind: 'serverCallLocator', serverCallId: c.serverCallId } })).status).toBe(409);
  });

  it('rejects unknown calls when unknownCalls is "reject"', async () => {
    const strict = await startAcsEmulator({ unknownCalls: 'reject' });
    try {
      const res = await sendSigned(strict.accessKey, { method: 'POST', url: `${strict.endpoint}calling/recordings?${API}`, body: JSON.stringify({ callConnectionId: crypto.randomUUID() }) });
      expect(res.status).toBe(404);
      expect(strict.listRecordings()).toHaveLength(0);
    } finally {
      await strict.close();
    }
  });

  it('answers unknown routes and methods with CommunicationErrorResponse', async () => {
    const unknownPath = await call('GET', `/calling/nothing?${API}`);
    expect([unknownPath.status, errorOf(unknownPath).code]).toEqual([404, 'NotFound']);
    const wrongMethod = await call('GET', `/calling/recordings?${API}`);
    expect(wrongMethod.status).toBe(405);
    expect(acs.requests.at(-1)!.operation).toBe('unknown');
  });
});
