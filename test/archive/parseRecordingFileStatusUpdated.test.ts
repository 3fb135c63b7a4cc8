import { describe, expect, it } from 'vitest';
import { InvalidRecordingEventError } from '../../src/archive/archiveErrors.js';
import { parseRecordingFileStatusUpdated, parseRecordingSubject, RECORDING_FILE_STATUS_UPDATED } from '../../src/archive/parseRecordingFileStatusUpdated.js';

const ORIGINS = ['https://*.asm.skype.com'];
const RECORDING_ID = 'eyJQbGF0Zm9ybUVuZHBvaW50SWQiOiJhL2IrYz0ifQ=='; // base64 with '/' and '+' inside
const SERVER_CALL_ID = 'aHR0cHM6Ly9hcGk/aT0x+/z==';

function chunk(index: number, doc = `0-eus-d12-${index}abc`) {
  return {
    documentId: doc,
    index,
    endReason: 'SessionEnded',
    contentLocation: `https://storage.asm.skype.com/v1/objects/${doc}/content/video`,
    metadataLocation: `https://storage.asm.skype.com/v1/objects/${doc}/content/acsmetadata`,
    deleteLocation: `https://us-storage.asm.skype.com/v1/objects/${doc}`,
  };
}

function eventGridEvent(overrides: Record<string, unknown> = {}, data: Record<string, unknown> = {}) {
  return {
    id: '7283825e-f8f1-4c61-a9ea-752c56890500',
    topic: '/subscriptions/x/resourcegroups/g/providers/microsoft.communication/communicationservices/acs',
    subject: `/recording/call/43563209-4ec6-4119-be5b-88398cda2caf/serverCallId/${SERVER_CALL_ID}/recordingId/${RECORDING_ID}`,
    data: {
      recordingStorageInfo: { recordingChunks: [chunk(1), chunk(0)] },
      recordingStartTime: '2021-07-27T15:20:23.6089755Z',
      recordingDurationMs: 6620,
      sessionEndReason: 'CallEnded',
      recordingContentType: 'AudioVideo',
      recordingChannelType: 'Mixed',
      recordingFormatType: 'Mp4',
      ...data,
    },
    eventType: RECORDING_FILE_STATUS_UPDATED,
    dataVersion: '1.0',
    metadataVersion: '1',
    eventTime: '2021-07-27T15:20:34.2199328Z',
    ...overrides,
  };
}

function invalid(input: unknown): InvalidRecordingEventError {
  try {
    parseRecordingFileStatusUpdated(input, ORIGINS);
  } catch (e) {
    if (e instanceof InvalidRecordingEventError) return e;
    throw e;
  }
  throw new Error('expected InvalidRecordingEventError');
}

describe('parseRecordingSubject', () => {
  it('parses the current and the older subject shapes, with slashes inside base64 ids', () => {
    expect(parseRecordingSubject(`/recording/call/c1/serverCallId/${SERVER_CALL_ID}/recordingId/${RECORDING_ID}`)).toEqual({
      callId: 'c1',
      serverCallId: SERVER_CALL_ID,
      recordingId: RECORDING_ID,
    });
    expect(parseRecordingSubject(`/recording/call/c1/recordingId/${RECORDING_ID}`)).toEqual({ callId: 'c1', recordingId: RECORDING_ID });
  });

  it.each(['', '/recording/call/c1', '/recording/call//recordingId/r', '/recording/call/c1/recordingId/', '/other/call/c1/recordingId/r', '/recording/call/c1/serverCallId//recordingId/r'])(
    'rejects %j',
    (subject) => expect(parseRecordingSubject(subject)).toBeUndefined(),
  );
});

describe('parseRecordingFileStatusUpdated', () => {
  it('validates an Event Grid event into typed values with chunks sorted by index and camelCase enums', () => {
    const parsed = parseRecordingFileStatusUpdated(eventGridEvent(), ORIGINS);
    expect(parsed.kind).toBe('recordingFileStatusUpdated');
    if (parsed.kind !== 'recordingFileStatusUpdated') return;
    expect(parsed.event).toEqual({
      eventId: '7283825e-f8f1-4c61-a9ea-752c56890500',
      eventTime: '2021-07-27T15:20:34.2199328Z',
      schema: 'EventGrid',
      recording: {
        recordingId: RECORDING_ID,
        serverCallId: SERVER_CALL_ID,
        callId: '43563209-4ec6-4119-be5b-88398cda2caf',
        recordingStartTime: '2021-07-27T15:20:23.6089755Z',
        recordingDurationMs: 6620,
        content: 'audioVideo',
        channel: 'mixed',
        format: 'mp4',
        sessionEndReason: 'CallEnded',
      },
      chunks: [chunk(0), chunk(1)],
    });
  });

  it('accepts the CloudEvents schema and the older subject without serverCallId', () => {
    const eg = eventGridEvent({ subject: `/recording/call/c1/recordingId/${RECORDING_ID}` });
    const cloud = { id: eg.id, source: eg.topic, subject: eg.subject, type: eg.eventType, time: eg.eventTime, specversion: '1.0', data: eg.data };
    const parsed = parseRecordingFileStatusUpdated(cloud, ORIGINS);
    if (parsed.kind !== 'recordingFileStatusUpdated') throw new Error('not parsed');
    expect(parsed.event.schema).toBe('CloudEvents');
    expect(parsed.event.recording.serverCallId).toBeUndefined();
    expect(parsed.event.recording).not.toHaveProperty('serverCallId');
    expect(parsed.event.chunks).toHaveLength(2);
  });

  it('accepts zero chunks', () => {
    const parsed = parseRecordingFileStatusUpdated(eventGridEvent({}, { recordingStorageInfo: { recordingChunks: [] } }), ORIGINS);
    expect(parsed.kind === 'recordingFileStatusUpdated' && parsed.event.chunks).toEqual([]);
  });

  it('ignores other event types', () => {
    expect(parseRecordingFileStatusUpdated(eventGridEvent({ eventType: 'Microsoft.Communication.IncomingCall' }), ORIGINS)).toEqual({
      kind: 'ignored',
      eventId: '7283825e-f8f1-4c61-a9ea-752c56890500',
      eventType: 'Microsoft.Communication.IncomingCall',
    });
  });

  it('rejects a URL outside the allow-list, naming the field and origin but not the path', () => {
    const bad = { ...chunk(0), deleteLocation: 'https://evil.example.com/steal?sig=secret' };
    const e = invalid(eventGridEvent({}, { recordingStorageInfo: { recordingChunks: [bad] } }));
    expect(e.eventId).toBe('7283825e-f8f1-4c61-a9ea-752c56890500');
    expect(e.issues).toEqual([
      'data.recordingStorageInfo.recordingChunks.0.deleteLocation: origin https://evil.example.com is not in ACS_MEDIA_ALLOWED_ORIGINS',
    ]);
    expect(e.message).not.toContain('steal');
  });

  it.each([
    ['http instead of https', { contentLocation: 'http://storage.asm.skype.com/v1/objects/x/content/video' }, 'contentLocation: origin http://storage.asm.skype.com'],
    ['a look-alike host', { metadataLocation: 'https://asm.skype.com.evil.io/x' }, 'metadataLocation: origin'],
    ['not a URL', { contentLocation: 'not a url' }, 'contentLocation: must be an absolute http(s) URL'],
    ['a path-unsafe documentId', { documentId: '../../etc' }, 'documentId: must be 1-200 characters'],
    ['a negative index', { index: -1 }, 'index:'],
    ['a missing endReason', { endReason: undefined }, 'endReason:'],
  ])('rejects %s', (_, patch, expected) => {
    const c = { ...chunk(0), ...patch };
    const e = invalid(eventGridEvent({}, { recordingStorageInfo: { recordingChunks: [c] } }));
    expect(e.issues.join('\n')).toContain(expected);
  });

  it.each([
    ['contentLocation', { contentLocation: 'https://storage.asm.skype.com/v1/objects/0-eus-d12-OTHER/content/video' }],
    ['metadataLocation', { metadataLocation: 'https://storage.asm.skype.com/v1/objects/0-eus-d12-OTHER/content/acsmetadata' }],
    ['contentLocation', { contentLocation: 'https://storage.asm.skype.com/v1/objects/0-eus-d12-0abcdef/content/video' }], // a prefix is not the id
    ['metadataLocation', { metadataLocation: 'https://storage.asm.skype.com/v1/objects/x/content/acsmetadata?doc=0-eus-d12-0abc' }], // nor a query
  ])('rejects a %s that does not name the chunk as a path segment (nothing is downloaded)', (field, patch) => {
    const e = invalid(eventGridEvent({}, { recordingStorageInfo: { recordingChunks: [{ ...chunk(0), ...patch }] } }));
    expect(e.issues).toEqual([`data.recordingStorageInfo.recordingChunks.0.${field}: does not name the chunk's documentId as a path segment`]);
  });

  it('accepts locations that name the chunk in any segment (percent-encoded too), and a deleteLocation that does not', () => {
    const c = {
      ...chunk(0),
      contentLocation: 'https://eus.storage.asm.skype.com/v2/x/0-eus-d12-0abc/video?sig=1',
      metadataLocation: 'https://storage.asm.skype.com/v1/objects/0%2Deus%2Dd12%2D0abc/content/acsmetadata',
      // Kept and never called (deleteVerifiedSource): a format change of ACS costs storage, never the event.
      deleteLocation: 'https://us-storage.asm.skype.com/v1/objects/something-else',
    };
    const parsed = parseRecordingFileStatusUpdated(eventGridEvent({}, { recordingStorageInfo: { recordingChunks: [c] } }), ORIGINS);
    expect(parsed.kind).toBe('recordingFileStatusUpdated');
  });

  it.each([
    ['an unknown format', { recordingFormatType: 'Ogg' }, 'data.recordingFormatType: must be one of wav, mp3, mp4'],
    ['a bad start time', { recordingStartTime: 'yesterday' }, 'data.recordingStartTime: must be an ISO 8601 date-time'],
    ['a string duration', { recordingDurationMs: '6620' }, 'data.recordingDurationMs:'],
    ['no storage info', { recordingStorageInfo: undefined }, 'data.recordingStorageInfo:'],
    ['duplicate indexes', { recordingStorageInfo: { recordingChunks: [chunk(0, 'a1'), chunk(0, 'b2')] } }, 'duplicate index 0'],
    ['duplicate documentIds', { recordingStorageInfo: { recordingChunks: [chunk(0, 'a1'), chunk(1, 'a1')] } }, 'duplicate documentId a1'],
    ['a mismatching data.recordingId', { recordingId: 'other' }, 'data.recordingId: does not match'],
  ])('rejects %s', (_, data, expected) => {
    expect(invalid(eventGridEvent({}, data)).issues.join('\n')).toContain(expected);
  });

  it.each([
    ['a malformed subject', { subject: '/recording/elsewhere' }, 'subject: must be /recording/call/'],
    ['no id', { id: undefined }, 'id:'],
    ['a non-ASCII recording id', { subject: '/recording/call/c1/recordingId/réc' }, 'subject.recordingId: must be printable ASCII'],
  ])('rejects %s', (_, envelope, expected) => {
    expect(invalid(eventGridEvent(envelope)).issues.join('\n')).toContain(expected);
  });

  it('rejects something that is not an event at all', () => {
    expect(invalid('hello').issues).toEqual(['eventType: missing']);
    expect(invalid({ id: 'x' }).eventId).toBe('x');
  });

  it('collects every problem of an event, not just the first', () => {
    const e = invalid(eventGridEvent({ subject: 'nope' }, { recordingStorageInfo: { recordingChunks: [{ ...chunk(0), contentLocation: 'https://x.com/a' }] } }));
    expect(e.issues.length).toBeGreaterThanOrEqual(2);
  });
});
