// Fidelity through the official SDK: @azure/communication-call-automation 1.6.0 runs unchanged against the emulator;
// the only help it gets is an HttpClient that routes the *.asm.skype.com storage host to loopback.
import { CallAutomationClient, type CallRecording } from '@azure/communication-call-automation';
import { isRestError } from '@azure/core-rest-pipeline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAcsEmulator, type AcsEmulator } from '../../../tools/acs-emulator/index.js';
import { readAll } from './support/readAll.js';
import { routeToEmulator } from './support/routeToEmulator.js';
import { startWebhookSink, type WebhookSink } from './support/webhookSink.js';

const MEDIA_ORIGIN = 'https://eus.storage.asm.skype.com';

describe('official Call Automation SDK against the emulator', () => {
  let acs: AcsEmulator;
  let sink: WebhookSink;
  let httpClient: ReturnType<typeof routeToEmulator>;
  let recording: CallRecording;

  beforeAll(async () => {
    acs = await startAcsEmulator({ mediaOrigin: MEDIA_ORIGIN, activationDelayMs: 20 });
    sink = await startWebhookSink();
    httpClient = routeToEmulator(acs.port);
    const client = new CallAutomationClient(acs.connectionString, { httpClient, retryOptions: { retryDelayInMs: 10, maxRetries: 2 } });
    recording = client.getCallRecording();
  });
  afterAll(async () => {
    await acs.close();
    await sink.close();
  });

  const stateChanges = (recordingId: string, state: string) =>
    sink.waitFor((w) => {
      const [event] = JSON.parse(w.body) as { type: string; data: { recordingId: string; state: string } }[];
      return event?.type === 'Microsoft.Communication.RecordingStateChanged' && event.data.recordingId === recordingId && event.data.state === state;
    });

  it('starts by serverCallLocator, reports state, pauses, resumes and stops; ids carry /, + and =', async () => {
    const call = await acs.simulateCall({ callbackUrl: `${sink.url}/calls` });
    const started = await recording.start({
      callLocator: { id: call.serverCallId, kind: 'serverCallLocator' },
      recordingStateCallbackEndpointUrl: `${sink.url}/recording?token=abc`,
      recordingContent: 'audio',
      recordingChannel: 'unmixed',
      recordingFormat: 'wav',
      audioChannelParticipantOrdering: [{ communicationUserId: '8:acs:res_user1' }, { phoneNumber: '+14255550123' }],
    });
    expect(started.recordingState).toBe('inactive');
    expect(started.recordingKind).toBe('azureCommunicationServices');
    const id = started.recordingId;
    expect(id).toMatch(/\//);
    expect(id).toMatch(/\+/);
    expect(id).toMatch(/=$/);
    expect(JSON.parse(Buffer.from(id, 'base64').toString('utf8'))).toHaveProperty('PlatformEndpointId');
    expect(acs.requests.at(-1)!.path).toBe('/calling/recordings?api-version=2026-03-12');

    await stateChanges(id, 'active');
    expect((await recording.getState(id)).recordingState).toBe('active');
    // The SDK percent-encoded the id in the path; the emulator decoded the segment for the lookup.
    const getRequest = acs.requests.at(-1)!;
    expect(getRequest.path).toContain(encodeURIComponent(id));
    for (const encoded of ['%2F', '%2B', '%3D']) expect(getRequest.path).toContain(encoded);

    await recording.pause(id);
    expect((await recording.getState(id)).recordingState).toBe('inactive');
    await recording.resume(id);
    expect((await recording.getState(id)).recordingState).toBe('active');
    expect(acs.requests.filter((r) => r.operation === 'pauseRecording' || r.operation === 'resumeRecording').map((r) => r.status)).toEqual([202, 202]);

    acs.setNextRecordingFiles({ sizesBytes: [300_000, 5_000] });
    await recording.stop(id);
    expect(acs.requests.at(-1)).toMatchObject({ operation: 'stopRecording', status: 204, authenticated: true });
    const stopped = acs.getRecording(id)!;
    expect(stopped.state).toBe('stopped');
    expect(stopped.chunks.map((c) => c.sizeBytes)).toEqual([300_000, 5_000]);
    expect(stopped.chunks[0]!.contentLocation).toMatch(new RegExp(`^${MEDIA_ORIGIN}/v1/objects/[^/]+/content/audio$`));
    // What the SDK put on the wire, as the emulator received it.
    expect(stopped.startRequestBody).toMatchObject({
      callLocator: { kind: 'serverCallLocator', serverCallId: call.serverCallId },
      recordingContentType: 'audio',
      recordingChannelType: 'unmixed',
      recordingFormatType: 'wav',
      audioChannelParticipantOrdering: [{ rawId: '8:acs:res_user1' }, { rawId: '4:+14255550123' }],
    });
    expect((stopped.chunks[0]!.metadata as { participants: unknown }).participants).toEqual(
      expect.arrayContaining([
        { participantId: '8:acs:res_user1', channel: 0 },
        { participantId: '4:+14255550123', channel: 1 },
      ]),
    );

    const afterStop = await recording.getState(id).catch((e: unknown) => e);
    expect(isRestError(afterStop) && afterStop.statusCode).toBe(404);
  });

  it('starts by callConnectionId (audioVideo mixed mp4) on the call it belongs to', async () => {
    const call = await acs.simulateCall({ callbackUrl: `${sink.url}/calls` });
    const started = await recording.start({ callConnectionId: call.callConnectionId, recordingContent: 'audioVideo', recordingChannel: 'mixed', recordingFormat: 'mp4' });
    const rec = acs.getRecording(started.recordingId)!;
    expect(rec).toMatchObject({ serverCallId: call.serverCallId, callConnectionId: call.callConnectionId, content: 'audioVideo', format: 'mp4' });
    expect(rec.startRequestBody).toEqual({ callConnectionId: call.callConnectionId, recordingContentType: 'audioVideo', recordingChannelType: 'mixed', recordingFormatType: 'mp4' });
    await recording.stop(started.recordingId);
    expect(rec.chunks[0]!.contentLocation).toMatch(/\/content\/video$/);
  });

  it('surfaces service errors as RestErrors: unknown recording 404, second recording on a call 409', async () => {
    const unknown = await recording.getState(Buffer.from('{"nope":1}').toString('base64')).catch((e: unknown) => e);
    expect(isRestError(unknown) && [unknown.statusCode, unknown.code]).toEqual([404, 'NotFound']);

    const call = await acs.simulateCall({ callbackUrl: `${sink.url}/calls` });
    await recording.start({ callConnectionId: call.callConnectionId, recordingContent: 'audio', recordingChannel: 'mixed', recordingFormat: 'mp3' });
    const second = await recording.start({ callConnectionId: call.callConnectionId }).catch((e: unknown) => e);
    expect(isRestError(second) && [second.statusCode, second.code]).toEqual([409, 'Conflict']);
  });

  it('retries a throttled start (429 + Retry-After) with the same Repeatability-Request-ID and succeeds once', async () => {
    const call = await acs.simulateCall({ callbackUrl: `${sink.url}/calls` });
    acs.injectFault({ operation: 'startRecording', fault: { type: 'throttle', retryAfterSeconds: 0 } });
    const before = acs.listRecordings().length;
    const started = await recording.start({ callConnectionId: call.callConnectionId, recordingContent: 'audio', recordingChannel: 'mixed', recordingFormat: 'wav' });
    const starts = acs.requests.filter((r) => r.operation === 'startRecording').slice(-2);
    expect(starts.map((r) => r.status)).toEqual([429, 200]);
    expect(starts[0]!.headers['repeatability-request-id']).toBe(starts[1]!.headers['repeatability-request-id']);
    expect(acs.listRecordings().length).toBe(before + 1);
    expect(acs.getRecording(started.recordingId)?.callConnectionId).toBe(call.callConnectionId);
  });

  describe('downloads and delete', () => {
    let chunk: AcsEmulator['listRecordings'] extends () => (infer R)[] ? R extends { chunks: (infer C)[] } ? C : never : never;

    beforeAll(() => {
      chunk = acs.createRecordingWithFiles({ chunks: [3 * 1024 * 1024 + 123] }).chunks[0]!;
    });

    it('downloadStreaming serves the exact bytes of the file, routed through the storage host', async () => {
      const full = await readAll(await recording.downloadStreaming(chunk.contentLocation));
      expect(full.bytes.length).toBe(chunk.sizeBytes);
      expect(full.md5).toBe(await acs.fileMd5(chunk.documentId, 'content'));
      expect(httpClient.routed).toContain(chunk.contentLocation);
      const req = acs.requests.at(-1)!;
      expect(req).toMatchObject({ operation: 'downloadContent', status: 200, authenticated: true, host: 'eus.storage.asm.skype.com', xMsHost: `127.0.0.1:${acs.port}` });
    });

    it('downloadStreaming with offset and length asks for a range and gets those bytes (206)', async () => {
      const part = await readAll(await recording.downloadStreaming(chunk.contentLocation, { offset: 1_048_570, length: 5_000 }));
      expect(acs.requests.at(-1)!.headers.range).toBe(`bytes=1048570-${1_048_570 + 4_999}`);
      expect(acs.requests.at(-1)!.status).toBe(206);
      const expected = await readAll(acs.openFile(chunk.documentId, 'content', { start: 1_048_570, end: 1_048_570 + 4_999 }));
      expect(part.bytes.equals(expected.bytes)).toBe(true);

      const tail = await readAll(await recording.downloadStreaming(chunk.contentLocation, { offset: 3 * 1024 * 1024 }));
      expect(tail.bytes.length).toBe(123);
      expect(acs.requests.at(-1)!.headers.range).toBe(`bytes=${3 * 1024 * 1024}-`);
    });

    it('downloads the metadata document', async () => {
      const meta = await readAll(await recording.downloadStreaming(chunk.metadataLocation));
      expect(JSON.parse(meta.bytes.toString('utf8'))).toEqual(chunk.metadata);
      expect(chunk.metadata).toMatchObject({ chunkDocumentId: chunk.documentId, chunkIndex: 0, resourceId: acs.resourceId });
    });

    it('delete succeeds (200) and the document is gone afterwards', async () => {
      await recording.delete(chunk.deleteLocation);
      expect(acs.requests.at(-1)).toMatchObject({ operation: 'deleteRecording', status: 200 });
      expect(chunk.deleted).toBe(true);
      await expect(recording.downloadStreaming(chunk.contentLocation)).rejects.toMatchObject({ status: 404 });
      await expect(recording.delete(chunk.deleteLocation)).rejects.toMatchObject({ status: 404 });
      expect(acs.requests.at(-1)).toMatchObject({ operation: 'deleteRecording', status: 404 });
    });
  });
});
