import { describe, expect, it } from 'vitest';
import { blobLabels } from '../../src/archive/blobLabels.js';
import { chunkBlobName, manifestBlobName, mediaFileType, recordingBlobPrefix, safeSegment } from '../../src/archive/blobLayout.js';

const recording = {
  recordingId: 'eyJQbGF0Zm9ybUVuZHBvaW50SWQiOiJhL2IrYz0ifQ==',
  serverCallId: 'aHR0cHM6Ly9hcGk/aT0x',
  callId: '43563209-4ec6-4119-be5b-88398cda2caf',
  recordingStartTime: '2021-07-27T23:59:59.9999999-02:00',
};

describe('blob layout', () => {
  it('puts a recording under its UTC start date and call, ids made path-safe', () => {
    expect(recordingBlobPrefix(recording, '2030-01-01T00:00:00Z')).toBe(
      '2021/07/28/43563209-4ec6-4119-be5b-88398cda2caf/eyJQbGF0Zm9ybUVuZHBvaW50SWQiOiJhL2IrYz0ifQ/',
    );
  });

  it('falls back to the event time, then to now, for the date', () => {
    const noStart = { ...recording, recordingStartTime: undefined };
    expect(recordingBlobPrefix(noStart, '2024-02-29T10:00:00Z')).toMatch(/^2024\/02\/29\//);
    expect(recordingBlobPrefix(noStart, undefined, new Date('2025-12-31T23:00:00Z'))).toMatch(/^2025\/12\/31\//);
  });

  it('names media and metadata side by side, sortable by chunk index, with the format extension', () => {
    const prefix = recordingBlobPrefix(recording);
    const c = { index: 7, documentId: '0-eus-d12-801b3f3f' };
    expect(chunkBlobName(prefix, c, 'content', 'mp4')).toBe(`${prefix}chunk-0007-0-eus-d12-801b3f3f.mp4`);
    expect(chunkBlobName(prefix, c, 'content', 'wav')).toBe(`${prefix}chunk-0007-0-eus-d12-801b3f3f.wav`);
    expect(chunkBlobName(prefix, c, 'content', undefined)).toBe(`${prefix}chunk-0007-0-eus-d12-801b3f3f.bin`);
    expect(chunkBlobName(prefix, c, 'metadata', 'mp3')).toBe(`${prefix}chunk-0007-0-eus-d12-801b3f3f.metadata.json`);
    expect(manifestBlobName(prefix)).toBe(`${prefix}manifest.json`);
  });

  it.each([
    ['wav', 'audio/wav'],
    ['mp3', 'audio/mpeg'],
    ['mp4', 'video/mp4'],
    [undefined, 'application/octet-stream'],
  ] as const)('maps format %s to %s', (format, contentType) => expect(mediaFileType(format).contentType).toBe(contentType));

  it('makes any id a single safe, deterministic segment', () => {
    expect(safeSegment('a+b/cA==', 'base64')).toBe('a-b_cA');
    const odd = safeSegment('weird id/with spaces#?');
    expect(odd).toMatch(/^weird_id_with_spaces__-[A-Za-z0-9_-]{16}$/);
    expect(safeSegment('weird id/with spaces#?')).toBe(odd);
    expect(safeSegment('weird id/with spaces#!')).not.toBe(odd); // no collisions through the replacement
    expect(safeSegment('x'.repeat(500)).length).toBeLessThanOrEqual(200);
    expect(safeSegment('..')).not.toMatch(/^\.|\.$/);
  });
});

describe('lossless folder names', () => {
  const marked = /~[A-Za-z0-9_-]{16}$/;

  it('keeps the layout of ids that already mapped losslessly: padded base64 recording ids, GUID call ids, document ids', () => {
    // The real shapes: recording ids are padded base64 with / + =, call ids GUIDs, document ids 0-eus-d12-<hex>.
    expect(safeSegment('eyJQbGF0Zm9ybUVuZHBvaW50SWQiOiJhL2IrYz0ifQ==', 'base64')).toBe('eyJQbGF0Zm9ybUVuZHBvaW50SWQiOiJhL2IrYz0ifQ');
    expect(safeSegment('ab+/cdef', 'base64')).toBe('ab-_cdef');
    expect(safeSegment('abcd', 'base64')).toBe('abcd');
    expect(safeSegment('43563209-4ec6-4119-be5b-88398cda2caf', 'plain')).toBe('43563209-4ec6-4119-be5b-88398cda2caf');
    expect(safeSegment('0-eus-d12-801b3f3fc462fe8a01e6810cbff729b8')).toBe('0-eus-d12-801b3f3fc462fe8a01e6810cbff729b8');
    expect(safeSegment('a.b', 'base64')).toBe('a.b');
  });

  it.each([
    ['ab+c', 'ab-c', 'base64'],
    ['abc=', 'abc', 'base64'],
    ['ab/c', 'ab_c', 'base64'],
    ['YWJj', 'YWJj=', 'base64'],
    ['ab+c', 'ab-c', 'plain'],
    ['ab/c==', 'ab_c', 'plain'],
    ['.a', '_a', 'plain'],
    ['a.', 'a_', 'plain'],
    ['..', '__', 'plain'],
  ] as const)('%s and %s get two folders (%s segment)', (a, b, kind) => {
    expect(safeSegment(a, kind)).not.toBe(safeSegment(b, kind));
  });

  it('marks the id that yields (readable form, then ~ and a hash), and two recordings never share a prefix', () => {
    expect(safeSegment('ab-c', 'base64')).toMatch(/^ab-c~/);
    expect(safeSegment('abc', 'base64')).toMatch(/^abc~/);
    expect(safeSegment('abc=', 'base64')).toBe('abc');
    expect(safeSegment('ab+c==', 'plain')).toMatch(/^ab-c~/);
    expect(safeSegment('a-b-c', 'base64')).toBe('a-b-c'); // 4n+1 characters: never a base64url result
    expect(safeSegment('a'.repeat(300) + '+', 'base64')).toMatch(marked);
    expect(safeSegment('a'.repeat(300) + '+', 'base64').length).toBeLessThanOrEqual(200);
    const prefix = (recordingId: string) => recordingBlobPrefix({ ...recording, recordingId });
    for (const [a, b] of [['ab+c', 'ab-c'], ['abc=', 'abc'], ['eyJh/Q==', 'eyJh_Q']]) expect(prefix(a!)).not.toBe(prefix(b!));
  });

  it('is injective over a dense set of small ids in both kinds', () => {
    const alphabet = ['a', 'B', '0', '+', '/', '=', '-', '_', '.', ' '];
    let level = [''];
    const ids: string[] = [];
    for (let n = 0; n < 4; n++) {
      level = level.flatMap((id) => alphabet.map((c) => id + c));
      ids.push(...level);
    }
    for (const kind of ['base64', 'plain'] as const) {
      const seen = new Map<string, string>();
      for (const id of ids) {
        const segment = safeSegment(id, kind);
        expect(segment).toMatch(/^[A-Za-z0-9._~-]+$/);
        expect(segment).not.toMatch(/^\.|\.$/);
        const other = seen.get(segment);
        if (other !== undefined) expect.fail(`${JSON.stringify(id)} and ${JSON.stringify(other)} share ${segment} (${kind})`);
        seen.set(segment, id);
      }
    }
  });
});

describe('blobLabels', () => {
  it('labels a chunk file with metadata and index tags', () => {
    expect(blobLabels({ recording, kind: 'content', chunkIndex: 3, documentId: 'doc-1' })).toEqual({
      metadata: {
        recordingid: recording.recordingId,
        servercallid: recording.serverCallId,
        callid: recording.callId,
        kind: 'content',
        chunkindex: '3',
        documentid: 'doc-1',
      },
      tags: {
        recordingId: recording.recordingId,
        serverCallId: recording.serverCallId,
        callId: recording.callId,
        kind: 'content',
        chunkIndex: '3',
        documentId: 'doc-1',
      },
    });
  });

  it('leaves out what a tag cannot carry instead of mangling it', () => {
    const long = 'A'.repeat(300);
    const labels = blobLabels({ recording: { recordingId: 'r', callId: 'c', serverCallId: long }, kind: 'manifest' });
    expect(labels.tags).toEqual({ recordingId: 'r', callId: 'c', kind: 'manifest' });
    expect(labels.metadata.servercallid).toBe(long);
  });
});
