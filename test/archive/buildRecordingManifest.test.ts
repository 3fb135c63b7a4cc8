import { describe, expect, it } from 'vitest';
import type { ChunkOutcome, RecordingManifestSource } from '../../src/archive/archiveModels.js';
import { buildRecordingManifest, mergeRecordingManifests, recordingArchiveStatus } from '../../src/archive/buildRecordingManifest.js';
import { parseRecordingMetadata, RecordingMetadataParseError } from '../../src/archive/parseRecordingMetadata.js';

// The reference's unmixed WAV example (§5), including the docs' string sampleRate.
const METADATA_DOC = {
  resourceId: '29bd5ea9-e0fc-4d00-8f6f-339b1f0ee2e2',
  callId: '43563209-4ec6-4119-be5b-88398cda2caf',
  chunkDocumentId: '0-eus-d11-05bf22b166dfb2119e3ff85d98906121',
  chunkIndex: 0,
  chunkStartTime: '2021-03-24T18:52:14.1321393Z',
  chunkDuration: 15000.0,
  pauseResumeIntervals: [{ startTime: '2021-03-24T18:52:20.0000000Z', duration: 2000 }],
  recordingInfo: { contentType: 'audio', channelType: 'unmixed', format: 'wav', audioConfiguration: { sampleRate: '16000', bitRate: 256000, channels: 2 } },
  participants: [
    { participantId: '4:+14255550123', channel: 1 },
    { participantId: '8:acs:29bd5ea9-e0fc-4d00-8f6f-339b1f0ee2e2_00000008-6ad3-6540-99c6-593a0d00c367', channel: 0 },
  ],
};

describe('parseRecordingMetadata', () => {
  it('summarizes participants, channel mapping and timing', () => {
    expect(parseRecordingMetadata(Buffer.from(JSON.stringify(METADATA_DOC)))).toEqual({
      callId: '43563209-4ec6-4119-be5b-88398cda2caf',
      chunkStartTime: '2021-03-24T18:52:14.1321393Z',
      chunkDurationMs: 15000,
      participants: ['4:+14255550123', '8:acs:29bd5ea9-e0fc-4d00-8f6f-339b1f0ee2e2_00000008-6ad3-6540-99c6-593a0d00c367'],
      channels: [
        { channel: 0, participantId: '8:acs:29bd5ea9-e0fc-4d00-8f6f-339b1f0ee2e2_00000008-6ad3-6540-99c6-593a0d00c367' },
        { channel: 1, participantId: '4:+14255550123' },
      ],
      recordingInfo: { contentType: 'audio', channelType: 'unmixed', format: 'wav' },
    });
  });

  it('is lenient about missing optional parts and numeric strings', () => {
    expect(parseRecordingMetadata('{"chunkDuration":"1500","participants":[{"participantId":"x"}]}')).toEqual({
      chunkDurationMs: 1500,
      participants: ['x'],
      channels: [],
    });
  });

  it.each(['not json', '{"participants":"nobody"}', '[1,2]'])('rejects %j with a typed error', (doc) => {
    expect(() => parseRecordingMetadata(doc)).toThrow(RecordingMetadataParseError);
  });
});

function outcome(index: number, patch: Partial<ChunkOutcome> = {}): ChunkOutcome {
  return {
    index,
    documentId: `doc-${index}`,
    endReason: 'SessionEnded',
    status: 'archived',
    media: { blobName: `p/chunk-000${index}-doc-${index}.wav`, sizeBytes: 100 + index, md5Base64: `md5-${index}`, contentType: 'audio/wav' },
    metadata: { blobName: `p/chunk-000${index}-doc-${index}.metadata.json`, sizeBytes: 10, md5Base64: `mmd5-${index}`, contentType: 'application/json' },
    summary: { participants: ['a'], channels: [{ channel: 0, participantId: 'a' }], chunkStartTime: 't0', chunkDurationMs: 5 },
    archivedAt: '2026-01-01T00:00:01.000Z',
    sourceDeleted: true,
    sourceDeletedAt: '2026-01-01T00:00:02.000Z',
    failures: [],
    ...patch,
  };
}

function input(chunks: ChunkOutcome[], instanceId = 'archive-1'): RecordingManifestSource {
  return {
    recording: { recordingId: 'rec', serverCallId: 'scid', callId: 'call', recordingStartTime: 't', recordingDurationMs: 10, content: 'audio', channel: 'unmixed', format: 'wav', sessionEndReason: 'CallEnded' },
    blobPrefix: 'p/',
    instanceId,
    sourceEventId: `ev-${instanceId}`,
    completedAt: '2026-01-01T00:00:03.000Z',
    chunks,
  };
}

describe('buildRecordingManifest', () => {
  it('records the recording and, per chunk, files, sizes, MD5s, participants, channels, archive time and deletion', () => {
    const m = buildRecordingManifest(input([outcome(1), outcome(0, { status: 'failed', media: undefined, sourceDeleted: false, sourceDeletedAt: undefined, failures: [{ step: 'content', permanent: true, statusCode: 404, code: 'NotFound', message: 'gone' }] })]));
    expect(m).toMatchObject({
      schemaVersion: 1,
      recordingId: 'rec',
      serverCallId: 'scid',
      callId: 'call',
      recordingStartTime: 't',
      recordingDurationMs: 10,
      content: 'audio',
      channel: 'unmixed',
      format: 'wav',
      status: 'partial',
      orchestrationInstanceIds: ['archive-1'],
      sourceEventIds: ['ev-archive-1'],
    });
    expect(m.chunks.map((c) => c.index)).toEqual([0, 1]);
    expect(m.chunks[1]).toEqual({
      index: 1,
      documentId: 'doc-1',
      endReason: 'SessionEnded',
      status: 'archived',
      chunkStartTime: 't0',
      chunkDurationMs: 5,
      media: outcome(1).media,
      metadata: outcome(1).metadata,
      participants: ['a'],
      channels: [{ channel: 0, participantId: 'a' }],
      archivedAt: '2026-01-01T00:00:01.000Z',
      sourceDeleted: true,
      sourceDeletedAt: '2026-01-01T00:00:02.000Z',
      failures: [],
    });
    expect(m.chunks[0]).toMatchObject({ status: 'failed', sourceDeleted: false, failures: [{ statusCode: 404 }] });
    expect(m.chunks[0]).not.toHaveProperty('media');
  });

  it.each([
    [[], 'empty'],
    [[{ status: 'archived' }], 'archived'],
    [[{ status: 'failed' }], 'failed'],
    [[{ status: 'archived' }, { status: 'failed' }], 'partial'],
  ] as const)('status of %j is %s', (chunks, status) => expect(recordingArchiveStatus(chunks)).toBe(status));
});

describe('mergeRecordingManifests', () => {
  it('unions chunk sets by document id: archived beats failed, a deleted source stays deleted', () => {
    const first = buildRecordingManifest(input([outcome(0), outcome(1)], 'archive-A'));
    const second = buildRecordingManifest(
      input(
        [
          outcome(1, { status: 'failed', media: undefined, sourceDeleted: false, sourceDeletedAt: undefined, failures: [{ step: 'content', permanent: true, code: 'NotFound', message: 'deleted by A' }] }),
          outcome(2),
        ],
        'archive-B',
      ),
    );
    const merged = mergeRecordingManifests(first, second);
    expect(merged.chunks.map((c) => [c.index, c.status, c.sourceDeleted])).toEqual([
      [0, 'archived', true],
      [1, 'archived', true],
      [2, 'archived', true],
    ]);
    expect(merged.status).toBe('archived');
    expect(merged.orchestrationInstanceIds).toEqual(['archive-A', 'archive-B']);
    expect(merged.sourceEventIds).toEqual(['ev-archive-A', 'ev-archive-B']);
  });

  it('never lists two chunks with one index: another documentId for an archived index is kept as a conflict', () => {
    const first = buildRecordingManifest(input([outcome(0), outcome(1)], 'archive-A'));
    const other = outcome(1, { documentId: 'doc-1-other', media: { blobName: 'p/chunk-0001-doc-1-other.wav', sizeBytes: 7, md5Base64: 'x', contentType: 'audio/wav' } });
    const second = buildRecordingManifest(input([outcome(0), other], 'archive-B'));
    const merged = mergeRecordingManifests(first, second);
    expect(merged.chunks.map((c) => [c.index, c.documentId])).toEqual([
      [0, 'doc-0'],
      [1, 'doc-1'],
    ]);
    expect(merged.conflicts).toEqual([{ index: 1, documentIds: ['doc-1', 'doc-1-other'], chunks: [expect.objectContaining({ documentId: 'doc-1-other', media: other.media })] }]);
    expect(merged.status).toBe('archived');
    // Stable: merging again (either side) keeps the same listing and the conflict, once.
    expect(mergeRecordingManifests(merged, second)).toEqual(merged);
    expect(mergeRecordingManifests(JSON.parse(JSON.stringify(merged)) as typeof merged, first)).toEqual(merged);
    // An archived copy takes the listing from a failed one of the same index; the failed one is the conflict.
    const failedFirst = buildRecordingManifest(input([outcome(1, { status: 'failed', media: undefined, sourceDeleted: false, sourceDeletedAt: undefined })], 'archive-C'));
    const m2 = mergeRecordingManifests(failedFirst, buildRecordingManifest(input([other], 'archive-D')));
    expect(m2.chunks.map((c) => c.documentId)).toEqual(['doc-1-other']);
    expect(m2.conflicts?.[0]).toMatchObject({ index: 1, documentIds: ['doc-1-other', 'doc-1'] });
    expect(mergeRecordingManifests(first, first).conflicts).toBeUndefined();
  });

  it('is idempotent: merging a manifest with itself changes nothing', () => {
    const m = buildRecordingManifest(input([outcome(0), outcome(1)]));
    expect(JSON.stringify(mergeRecordingManifests(JSON.parse(JSON.stringify(m)) as typeof m, m))).toBe(JSON.stringify(m));
  });

  it('replaces a manifest of another recording rather than mixing them', () => {
    const m = buildRecordingManifest(input([outcome(0)]));
    expect(mergeRecordingManifests({ ...m, recordingId: 'other' }, m)).toBe(m);
    expect(mergeRecordingManifests(undefined, m)).toBe(m);
  });
});
