// Recording storage: ranges (RFC 9110), delete then 404, deterministic bytes that openFile reproduces exactly.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeterministicMedia, MEDIA_BLOCK_SIZE } from '../../../tools/acs-emulator/media/deterministicMedia.js';
import { startAcsEmulator, type AcsEmulator, type EmulatorChunk } from '../../../tools/acs-emulator/index.js';
import { hasContainerSignature } from '../../../src/archive/recordingContainer.js';
import { mediaRequest } from './support/mediaClient.js';
import { readAll } from './support/readAll.js';

describe('media downloads and delete', () => {
  let acs: AcsEmulator;
  let chunk: EmulatorChunk;
  const SIZE = 2 * MEDIA_BLOCK_SIZE + 777;

  beforeAll(async () => {
    acs = await startAcsEmulator();
    chunk = acs.createRecordingWithFiles({ chunks: [SIZE] }).chunks[0]!;
  });
  afterAll(() => acs.close());

  it('mints URLs under the emulator itself by default', () => {
    expect(acs.mediaOrigin).toBe(`http://127.0.0.1:${acs.port}`);
    expect(chunk.contentLocation).toBe(`${acs.mediaOrigin}/v1/objects/${chunk.documentId}/content/audio`);
    expect(chunk.deleteLocation).toBe(`${acs.mediaOrigin}/v1/objects/${chunk.documentId}`);
  });

  it('serves the whole file with 200, Content-Length and application/octet-stream', async () => {
    const res = await mediaRequest(acs, 'GET', chunk.contentLocation);
    expect(res.status).toBe(200);
    expect(res.headers['content-length']).toBe(String(SIZE));
    expect(res.headers['content-type']).toBe('application/octet-stream');
    expect(res.headers['content-range']).toBeUndefined();
    const body = await readAll(res.stream!);
    expect(body.bytes.length).toBe(SIZE);
    expect(body.md5).toBe(await acs.fileMd5(chunk.documentId, 'content'));
  });

  it.each([
    ['bytes=0-99', 0, 99],
    ['bytes=1048570-1048600', 1_048_570, 1_048_600],
    [`bytes=${SIZE - 10}-`, SIZE - 10, SIZE - 1],
    [`bytes=100-${SIZE + 5000}`, 100, SIZE - 1],
    ['bytes=-50', SIZE - 50, SIZE - 1],
  ])('%s → 206 with the bytes openFile gives', async (range, start, end) => {
    const res = await mediaRequest(acs, 'GET', chunk.contentLocation, { Range: range });
    expect(res.status).toBe(206);
    expect(res.headers['content-range']).toBe(`bytes ${start}-${end}/${SIZE}`);
    expect(res.headers['content-length']).toBe(String(end - start + 1));
    const body = await readAll(res.stream!);
    const expected = await readAll(acs.openFile(chunk.documentId, 'content', { start, end }));
    expect(body.bytes.length).toBe(end - start + 1);
    expect(body.bytes.equals(expected.bytes)).toBe(true);
  });

  it('answers an unsatisfiable range with 416 and Content-Range: bytes */total', async () => {
    const res = await mediaRequest(acs, 'GET', chunk.contentLocation, { Range: `bytes=${SIZE}-` });
    expect(res.status).toBe(416);
    expect(res.headers['content-range']).toBe(`bytes */${SIZE}`);
    expect(res.json()).toMatchObject({ status: 416 });
  });

  it('ignores a Range header it cannot use (multiple ranges, other units)', async () => {
    for (const range of ['bytes=0-1,5-6', 'items=0-1']) {
      const res = await mediaRequest(acs, 'GET', chunk.metadataLocation, { Range: range });
      expect(res.status).toBe(200);
    }
  });

  it('serves the metadata document (§5) as octet-stream JSON', async () => {
    const res = await mediaRequest(acs, 'GET', chunk.metadataLocation);
    expect(res.headers['content-type']).toBe('application/octet-stream');
    const doc = JSON.parse((await readAll(res.stream!)).bytes.toString('utf8')) as Record<string, unknown>;
    expect(Object.keys(doc)).toEqual(['resourceId', 'callId', 'chunkDocumentId', 'chunkIndex', 'chunkStartTime', 'chunkDuration', 'pauseResumeIntervals', 'recordingInfo', 'participants']);
    expect(doc).toMatchObject({
      resourceId: acs.resourceId,
      chunkDocumentId: chunk.documentId,
      chunkIndex: 0,
      recordingInfo: { contentType: 'audio', channelType: 'mixed', format: 'wav', audioConfiguration: { sampleRate: 16000, bitRate: 256000, channels: 1 } },
    });
    // 256 kbps wav: bytes * 8 / 256000 seconds.
    expect(doc.chunkDuration).toBe(Math.round((SIZE * 8 * 1000) / 256_000));
  });

  it('answers 404 for unknown documents and for the wrong content kind', async () => {
    const unknown = await mediaRequest(acs, 'GET', chunk.contentLocation.replace(chunk.documentId, '0-eus-d1-nothere'));
    expect(unknown.status).toBe(404);
    expect(Object.keys(unknown.json() as object).sort()).toEqual(['instance', 'message', 'status', 'title', 'traceId']);
    expect((await mediaRequest(acs, 'GET', chunk.contentLocation.replace('/audio', '/video'))).status).toBe(404);
  });

  it('DELETE answers 200, then every GET and DELETE of the document is 404; openFile still works', async () => {
    const doomed = acs.createRecordingWithFiles({ chunks: [1000] }).chunks[0]!;
    const del = await mediaRequest(acs, 'DELETE', doomed.deleteLocation);
    expect(del.status).toBe(200);
    expect(doomed.deleted).toBe(true);
    for (const [method, url] of [['GET', doomed.contentLocation], ['GET', doomed.metadataLocation], ['DELETE', doomed.deleteLocation]] as const) {
      const res = await mediaRequest(acs, method, url);
      expect(res.status).toBe(404);
      expect(res.json()).toMatchObject({ title: 'Not Found', status: 404 });
    }
    expect((await readAll(acs.openFile(doomed.documentId, 'content'))).bytes.length).toBe(1000);
  });

  it('serves zero-byte files', async () => {
    const empty = acs.createRecordingWithFiles({ chunks: [0] }).chunks[0]!;
    const res = await mediaRequest(acs, 'GET', empty.contentLocation);
    expect(res.status).toBe(200);
    expect((await readAll(res.stream!)).bytes.length).toBe(0);
    expect((await mediaRequest(acs, 'GET', empty.contentLocation, { Range: 'bytes=0-' })).status).toBe(416);
  });

  it('honours a mediaOrigin with a base path', async () => {
    const prefixed = await startAcsEmulator({ mediaOrigin: 'https://eus.storage.asm.skype.com/store/' });
    try {
      const c = prefixed.createRecordingWithFiles({ chunks: [10] }).chunks[0]!;
      expect(c.contentLocation).toBe(`https://eus.storage.asm.skype.com/store/v1/objects/${c.documentId}/content/audio`);
      const res = await mediaRequest(prefixed, 'GET', c.contentLocation);
      expect(res.status).toBe(200);
      expect((await readAll(res.stream!)).bytes.length).toBe(10);
    } finally {
      await prefixed.close();
    }
  });
});

describe('deterministic media bytes', () => {
  const md5 = async (s: NodeJS.ReadableStream) => (await readAll(s)).md5;

  it('same seed and document → same bytes; another seed or document → different bytes', async () => {
    const size = 3 * MEDIA_BLOCK_SIZE + 5;
    const a = new DeterministicMedia(7);
    const b = new DeterministicMedia(7);
    expect(await md5(a.open('doc-1', size))).toBe(await md5(b.open('doc-1', size)));
    expect(await md5(a.open('doc-1', size))).not.toBe(await md5(new DeterministicMedia(8).open('doc-1', size)));
    expect(await md5(a.open('doc-1', size))).not.toBe(await md5(a.open('doc-2', size)));
  });

  it('every block is distinct, and ranges are exact slices of the whole file', async () => {
    const media = new DeterministicMedia(1);
    const size = 3 * MEDIA_BLOCK_SIZE;
    const whole = (await readAll(media.open('d', size))).bytes;
    const blocks = [0, 1, 2].map((k) => createHash('md5').update(whole.subarray(k * MEDIA_BLOCK_SIZE, (k + 1) * MEDIA_BLOCK_SIZE)).digest('hex'));
    expect(new Set(blocks).size).toBe(3);
    for (const [start, end] of [[0, 0], [5, 20], [MEDIA_BLOCK_SIZE - 3, MEDIA_BLOCK_SIZE + 40], [size - 1, size - 1], [10, size - 1]] as const) {
      expect((await readAll(media.open('d', size, start, end))).bytes.equals(whole.subarray(start, end + 1))).toBe(true);
    }
  });

  it('two emulators with the same seed serve the same bytes for the same document', async () => {
    const one = await startAcsEmulator({ seed: 42 });
    const two = await startAcsEmulator({ seed: 42 });
    try {
      const c = one.createRecordingWithFiles({ chunks: [100_000] }).chunks[0]!;
      const d = two.createRecordingWithFiles({ chunks: [100_000] }).chunks[0]!;
      // Document ids are random, so compare through the generator with the same id.
      const viaHttp = await readAll((await mediaRequest(one, 'GET', c.contentLocation)).stream!);
      expect(viaHttp.md5).toBe(await md5(new DeterministicMedia(42).open(c.documentId, 100_000, 0, 99_999, 'wav')));
      expect(await two.fileMd5(d.documentId, 'content')).toBe(await md5(new DeterministicMedia(42).open(d.documentId, 100_000, 0, 99_999, 'wav')));
    } finally {
      await one.close();
      await two.close();
    }
  });
});

describe('container signatures', () => {
  let acs: AcsEmulator;
  beforeAll(async () => {
    acs = await startAcsEmulator();
  });
  afterAll(() => acs.close());

  it.each([
    ['audio', 'wav', (h: Buffer) => h.toString('latin1', 0, 4) === 'RIFF' && h.toString('latin1', 8, 12) === 'WAVE'],
    ['audio', 'mp3', (h: Buffer) => h.toString('latin1', 0, 3) === 'ID3'],
    ['audioVideo', 'mp4', (h: Buffer) => h.toString('latin1', 4, 8) === 'ftyp'],
  ] as const)('serves a %s %s recording that starts with its container signature (over HTTP and via openFile)', async (content, format, signed) => {
    const rec = acs.createRecordingWithFiles({ chunks: [5_000, MEDIA_BLOCK_SIZE + 3], content, format });
    for (const c of rec.chunks) {
      const viaHttp = (await readAll((await mediaRequest(acs, 'GET', c.contentLocation)).stream!)).bytes;
      expect(viaHttp.length).toBe(c.sizeBytes);
      expect(signed(viaHttp)).toBe(true);
      // The archive's own check agrees: it is this format and no other.
      expect(hasContainerSignature(viaHttp.subarray(0, 12), format)).toBe(true);
      for (const other of (['wav', 'mp3', 'mp4'] as const).filter((f) => f !== format)) {
        expect(hasContainerSignature(viaHttp.subarray(0, 12), other)).toBe(false);
      }
      expect((await readAll(acs.openFile(c.documentId, 'content'))).bytes.equals(viaHttp)).toBe(true);
      // A range from inside the header is an exact slice of the same file.
      expect((await readAll((await mediaRequest(acs, 'GET', c.contentLocation, { range: 'bytes=6-49' })).stream!)).bytes.equals(viaHttp.subarray(6, 50))).toBe(true);
    }
    // The WAV header carries the file's own sizes; chunks of two documents still differ right after the header.
    if (format === 'wav') {
      const head = (await readAll(acs.openFile(rec.chunks[0]!.documentId, 'content', { start: 0, end: 59 }))).bytes;
      expect(head.readUInt32LE(4)).toBe(5_000 - 8);
      expect(head.readUInt32LE(40)).toBe(5_000 - 44);
    }
    const heads = await Promise.all(rec.chunks.map(async (c) => (await readAll(acs.openFile(c.documentId, 'content', { start: 0, end: 63 }))).bytes.toString('hex')));
    expect(new Set(heads).size).toBe(2);
  });
});
