// Callbacks and events parse with the official parsers, and callback JWTs verify against the served OpenID/JWKS.
import { parseCallAutomationEvent } from '@azure/communication-call-automation';
import { EventGridDeserializer, isSystemEvent } from '@azure/eventgrid';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAcsEmulator, type AcsEmulator } from '../../../tools/acs-emulator/index.js';
import { sendSigned } from '../../../tools/acs-emulator/control/signedClient.js';
import { startWebhookSink, type WebhookSink } from './support/webhookSink.js';

describe('callbacks, events and callback JWTs', () => {
  let acs: AcsEmulator;
  let sink: WebhookSink;
  let verify: (token: string) => ReturnType<typeof jwtVerify>;

  beforeAll(async () => {
    acs = await startAcsEmulator({ activationDelayMs: 5 });
    sink = await startWebhookSink();
    // Discover the keys like a callback receiver does: OpenID configuration → jwks_uri → JWKS.
    const config = (await (await fetch(acs.openIdConfigUrl)).json()) as { issuer: string; jwks_uri: string; id_token_signing_alg_values_supported: string[] };
    expect(config).toMatchObject({ issuer: acs.issuer, jwks_uri: acs.jwksUrl, id_token_signing_alg_values_supported: ['RS256'] });
    const jwks = createRemoteJWKSet(new URL(config.jwks_uri));
    verify = (token) => jwtVerify(token, jwks, { issuer: config.issuer, audience: acs.resourceId, algorithms: ['RS256'] });
  });
  afterAll(async () => {
    await acs.close();
    await sink.close();
  });

  const bearer = (w: { headers: Record<string, string | string[] | undefined> }) => String(w.headers.authorization).replace(/^Bearer /, '');

  it('simulateCall posts a CallConnected array with a JWT that verifies against the JWKS', async () => {
    const call = await acs.simulateCall({ callbackUrl: `${sink.url}/callbacks?token=s3cret` });
    expect(call.status).toBe(200);
    const w = await sink.waitFor((x) => x.body.includes('CallConnected'));
    expect(w.path).toBe('/callbacks?token=s3cret');
    expect(Array.isArray(JSON.parse(w.body))).toBe(true);
    const event = parseCallAutomationEvent(w.body);
    expect(event).toMatchObject({ kind: 'CallConnected', serverCallId: call.serverCallId, callConnectionId: call.callConnectionId, correlationId: call.correlationId });
    const { payload, protectedHeader } = await verify(bearer(w));
    expect(protectedHeader).toMatchObject({ alg: 'RS256', kid: expect.any(String) as string });
    expect(payload.exp! - payload.iat!).toBe(300);
    // serverCallIds are base64 of a conversation URL, like the real ones.
    expect(Buffer.from(call.serverCallId, 'base64').toString('utf8')).toMatch(/^https:\/\/api\.flightproxy\.skype\.com\/api\/v2\/cp\/.+\/conv\/.+\?i=/);
    expect(acs.deliveries.at(-1)).toMatchObject({ eventType: 'Microsoft.Communication.CallConnected', status: 200, url: expect.stringContaining('token=***') as string });
  });

  it('RecordingStateChanged parses and carries a fresh verifiable JWT', async () => {
    const call = await acs.simulateCall({ callbackUrl: `${sink.url}/callbacks` });
    const res = await sendSigned(acs.accessKey, {
      method: 'POST',
      url: `${acs.endpoint}calling/recordings?api-version=2026-03-12`,
      body: JSON.stringify({ callConnectionId: call.callConnectionId, recordingStateCallbackUri: `${sink.url}/recording` }),
    });
    const { recordingId } = res.json() as { recordingId: string };
    const w = await sink.waitFor((x) => x.path === '/recording' && x.body.includes(JSON.stringify(recordingId)));
    const event = parseCallAutomationEvent(w.body);
    expect(event).toMatchObject({ kind: 'RecordingStateChanged', recordingId, state: 'active', recordingKind: 'azureCommunicationServices', serverCallId: call.serverCallId, callConnectionId: call.callConnectionId, correlationId: call.correlationId });
    // `data` is not converted by the parser: startDateTime stays the ISO string the service sent.
    expect(event.kind === 'RecordingStateChanged' && event.startDateTime).toEqual(acs.getRecording(recordingId)!.startTime.toISOString());
    await expect(verify(bearer(w))).resolves.toMatchObject({ payload: { aud: acs.resourceId, iss: acs.issuer }, protectedHeader: { alg: 'RS256' } });
  });

  it('disconnectCall posts CallDisconnected', async () => {
    const call = await acs.simulateCall({ callbackUrl: `${sink.url}/callbacks` });
    await acs.disconnectCall({ callbackUrl: `${sink.url}/bye`, ...call });
    const w = await sink.waitFor((x) => x.path === '/bye');
    expect(parseCallAutomationEvent(w.body)).toMatchObject({ kind: 'CallDisconnected', callConnectionId: call.callConnectionId });
  });

  it('mintCallbackToken: foreign keys, expired tokens and wrong audiences do not verify', async () => {
    await expect(verify(await acs.mintCallbackToken())).resolves.toMatchObject({ payload: { aud: acs.resourceId, iss: acs.issuer } });
    await expect(verify(await acs.mintCallbackToken({ custom: 1 }))).resolves.toMatchObject({ payload: { custom: 1 } });
    await expect(verify(await acs.mintCallbackToken({}, { key: 'foreign' }))).rejects.toMatchObject({ code: 'ERR_JWKS_NO_MATCHING_KEY' });
    await expect(verify(await acs.mintCallbackToken({}, { expiresInSeconds: -60 }))).rejects.toMatchObject({ code: 'ERR_JWT_EXPIRED' });
    await expect(verify(await acs.mintCallbackToken({ aud: 'someone-else' }))).rejects.toMatchObject({ code: 'ERR_JWT_CLAIM_VALIDATION_FAILED' });
  });

  describe('CallStarted and CallEnded', () => {
    type CallEventData = { serverCallId: string; correlationId: string; startedBy: Record<string, unknown>; callDurationInSeconds?: number; durationOfCall?: number; reason?: unknown };

    it('simulateCall publishes CallStarted to the Event Grid URL, disconnectCall publishes CallEnded; both deserialize with EventGridDeserializer', async () => {
      const call = await acs.simulateCall({ callStarted: { url: `${sink.url}/eg-calls`, shape: 'systemEvent' } });
      expect(call).toMatchObject({ status: 200, callStartedStatus: 200, callEventShape: 'systemEvent' });
      const started = await sink.waitFor((x) => x.path === '/eg-calls' && x.body.includes('CallStarted'));
      expect(started.headers).toMatchObject({ 'aeg-event-type': 'Notification', 'content-type': 'application/json; charset=utf-8' });
      const [event] = await new EventGridDeserializer().deserializeEventGridEvents(started.body);
      expect(isSystemEvent('Microsoft.Communication.CallStarted', event!)).toBe(true);
      const startedBy = ((event!.data as CallEventData).startedBy.communicationIdentifier as { rawId: string }).rawId;
      expect(startedBy).toMatch(/^8:acs:/);
      expect(event!.subject).toBe(`call/${call.serverCallId}/startedBy/${startedBy}`);
      expect(event!.data).toMatchObject({ serverCallId: call.serverCallId, correlationId: call.correlationId, isTwoParty: false, isRoomsCall: false, group: { id: expect.any(String) as string } });
      // No Call Automation callback was involved: a plain VoIP call.
      expect(sink.received.filter((x) => x.body.includes('CallConnected') && x.body.includes(call.serverCallId))).toEqual([]);
      expect(await acs.disconnectCall({ serverCallId: call.serverCallId })).toMatchObject({ status: 200, callEndedStatus: 200 });
      const ended = await sink.waitFor((x) => x.path === '/eg-calls' && x.body.includes('CallEnded'));
      const [endedEvent] = await new EventGridDeserializer().deserializeEventGridEvents(ended.body);
      expect(isSystemEvent('Microsoft.Communication.CallEnded', endedEvent!)).toBe(true);
      expect(endedEvent!.subject).toBe(`call/${call.serverCallId}`);
      const data = endedEvent!.data as CallEventData;
      expect(data.callDurationInSeconds).toBeGreaterThanOrEqual(0);
      expect(data.reason).toMatchObject({ code: expect.any(Number) as number, phrase: expect.any(String) as string });
    });

    it('publishes the Learn example shape in the CloudEvents schema, for Rooms and 1:1 calls, next to CallConnected', async () => {
      const rooms = await acs.simulateCall({ callbackUrl: `${sink.url}/cb`, callStarted: { url: `${sink.url}/ce-calls`, schema: 'CloudEvents', shape: 'learnExample', kind: 'rooms' } });
      const w = await sink.waitFor((x) => x.path === '/ce-calls' && x.body.includes(rooms.serverCallId));
      expect(w.headers['content-type']).toBe('application/cloudevents+json; charset=utf-8');
      const [event] = await new EventGridDeserializer().deserializeCloudEvents(w.body);
      expect(event).toMatchObject({ type: 'Microsoft.Communication.CallStarted', specversion: '1.0', source: expect.stringContaining('communicationservices') as string });
      expect(event!.data).toMatchObject({ isRoomsCall: true, room: { id: expect.any(String) as string }, startedBy: { rawId: expect.stringMatching(/^8:acs:/) as string } });
      const connected = await sink.waitFor((x) => x.path === '/cb' && x.body.includes(rooms.serverCallId));
      expect(parseCallAutomationEvent(connected.body)).toMatchObject({ kind: 'CallConnected', serverCallId: rooms.serverCallId });

      const oneToOne = await acs.simulateCall({ callStarted: { url: `${sink.url}/ce-calls`, schema: 'CloudEvents', shape: 'learnExample', kind: 'twoParty' } });
      await acs.disconnectCall({ serverCallId: oneToOne.serverCallId });
      const ended = await sink.waitFor((x) => x.path === '/ce-calls' && x.body.includes('CallEnded') && x.body.includes(oneToOne.serverCallId));
      const [endedEvent] = await new EventGridDeserializer().deserializeCloudEvents(ended.body);
      expect(endedEvent!.data).toMatchObject({ isTwoParty: true, group: { id: '00000000-0000-0000-0000-000000000000' }, durationOfCall: expect.any(Number) as number });
      expect(endedEvent!.data).not.toHaveProperty('reason');
    });

    it('chooses the payload shape per call when not told, so a run of calls sees both', async () => {
      const shapes = new Set<string>();
      for (let i = 0; i < 12; i++) shapes.add((await acs.simulateCall({ callStarted: { url: `${sink.url}/shapes` } })).callEventShape!);
      expect([...shapes].sort()).toEqual(['learnExample', 'systemEvent']);
    });

    it('buildCallEvent: the same facts for CallStarted and CallEnded of one call, in the requested schema and shape', async () => {
      const started = acs.buildCallEvent('CallStarted', undefined, { kind: 'twoParty', shape: 'systemEvent' }) as { data: CallEventData & { isTwoParty: boolean } };
      const ended = acs.buildCallEvent('CallEnded', started.data.serverCallId, { schema: 'CloudEvents', shape: 'learnExample' }) as { data: CallEventData & { isTwoParty: boolean } };
      expect(ended.data).toMatchObject({ serverCallId: started.data.serverCallId, correlationId: started.data.correlationId, isTwoParty: true, durationOfCall: expect.any(Number) as number });
      const [ce] = await new EventGridDeserializer().deserializeCloudEvents(JSON.stringify([ended]));
      expect(ce!.type).toBe('Microsoft.Communication.CallEnded');
      await expect(acs.disconnectCall({ serverCallId: started.data.serverCallId })).rejects.toThrow(/needs a callbackUrl/);
    });
  });

  describe('RecordingFileStatusUpdated', () => {
    it('Event Grid schema deserializes with EventGridDeserializer and is typed by isSystemEvent', async () => {
      const rec = acs.createRecordingWithFiles({ chunks: [100, 200], content: 'audio', channel: 'unmixed', format: 'wav' });
      const raw = acs.buildRecordingFileStatusUpdated(rec.recordingId);
      const [event] = await new EventGridDeserializer().deserializeEventGridEvents(JSON.stringify([raw]));
      expect(event).toBeDefined();
      expect(isSystemEvent('Microsoft.Communication.RecordingFileStatusUpdated', event!)).toBe(true);
      expect(event).toMatchObject({ dataVersion: '1.0', metadataVersion: '1', topic: expect.stringContaining('/providers/microsoft.communication/communicationservices/') as string });
      const metadata = rec.chunks[0]!.metadata as { callId: string };
      expect(event!.subject).toBe(`/recording/call/${metadata.callId}/serverCallId/${rec.serverCallId}/recordingId/${rec.recordingId}`);
      expect(event!.data).toMatchObject({
        recordingContentType: 'Audio',
        recordingChannelType: 'Unmixed',
        recordingFormatType: 'Wav',
        sessionEndReason: 'CallEnded',
        recordingStartTime: rec.startTime.toISOString(),
        recordingStorageInfo: {
          recordingChunks: rec.chunks.map((c) => ({ documentId: c.documentId, index: c.index, endReason: c.endReason, contentLocation: c.contentLocation, metadataLocation: c.metadataLocation, deleteLocation: c.deleteLocation })),
        },
      });
    });

    it('CloudEvents schema deserializes with deserializeCloudEvents', async () => {
      const rec = acs.createRecordingWithFiles({ chunks: 1, content: 'audioVideo' });
      const [event] = await new EventGridDeserializer().deserializeCloudEvents(JSON.stringify([acs.buildRecordingFileStatusUpdated(rec.recordingId, 'CloudEvents')]));
      expect(event).toMatchObject({ type: 'Microsoft.Communication.RecordingFileStatusUpdated', specversion: '1.0', source: expect.stringContaining('communicationservices') as string });
      expect(event!.data).toMatchObject({ recordingContentType: 'AudioVideo', recordingChannelType: 'Mixed', recordingFormatType: 'Mp4' });
    });

    it('publish POSTs [event] with the Event Grid delivery headers', async () => {
      const rec = acs.createRecordingWithFiles({ chunks: 1 });
      expect(await acs.publishRecordingFileStatusUpdated(rec.recordingId, `${sink.url}/eg`)).toEqual({ status: 200 });
      const w = await sink.waitFor((x) => x.path === '/eg');
      expect(w.headers).toMatchObject({ 'aeg-event-type': 'Notification', 'aeg-subscription-name': expect.any(String) as string, 'aeg-delivery-count': '0', 'content-type': 'application/json; charset=utf-8' });
      const body = JSON.parse(w.body) as { eventType: string }[];
      expect(body).toHaveLength(1);
      expect(body[0]!.eventType).toBe('Microsoft.Communication.RecordingFileStatusUpdated');

      sink.status = 500;
      try {
        await acs.publishRecordingFileStatusUpdated(rec.recordingId, `${sink.url}/ce`, { schema: 'CloudEvents' }).then((r) => expect(r.status).toBe(500));
      } finally {
        sink.status = 200;
      }
      const ce = await sink.waitFor((x) => x.path === '/ce');
      expect(ce.headers['content-type']).toBe('application/cloudevents+json; charset=utf-8');
      expect((JSON.parse(ce.body) as { specversion: string }[])[0]!.specversion).toBe('1.0');
    });

    it('only loopback URLs are ever contacted, and only stopped recordings have files', async () => {
      const rec = acs.createRecordingWithFiles({ chunks: 1 });
      await expect(acs.publishRecordingFileStatusUpdated(rec.recordingId, 'https://example.com/hook')).rejects.toThrow(/non-loopback/);
      expect(acs.deliveries.at(-1)).toMatchObject({ url: 'https://example.com/hook', error: expect.stringContaining('refused') as string });
      const call = await acs.simulateCall({ callbackUrl: `${sink.url}/callbacks` });
      const res = await sendSigned(acs.accessKey, { method: 'POST', url: `${acs.endpoint}calling/recordings?api-version=2026-03-12`, body: JSON.stringify({ callConnectionId: call.callConnectionId }) });
      expect(() => acs.buildRecordingFileStatusUpdated((res.json() as { recordingId: string }).recordingId)).toThrow(/files exist only after stop/);
    });
  });
});
