// The media client against the ACS emulator over real HTTP with real HMAC. Files are minted under the production
// origin https://eus.storage.asm.skype.com and an injected HttpClient routes that origin to 127.0.0.1, so the
// client runs with its production allow-list and x-ms-host signing.
import { createHash } from 'node:crypto';
import { buffer } from 'node:stream/consumers';
import { beforeAll, describe, expect, it } from 'vitest';
import { startAcsEmulator, type EmulatorChunk } from '../../tools/acs-emulator/index.js';
import { useAcsEmulator } from '../support/useAcsEmulator.js';
import { classifyFailure } from '../../src/shared/failureModel.js';
import { AcsRequestError, DisallowedUrlError } from '../../src/acs/errors.js';
import { RestAcsMediaClient } from '../../src/acs/RestAcsMediaClient.js';
import { loadConfig } from '../../src/config.js';
import { loopbackRoutingHttpClient } from './support/loopbackRoutingHttpClient.js';

const STORAGE = 'https://eus.storage.asm.skype.com';
const emu = await useAcsEmulator({ mediaOrigin: STORAGE });
let media: RestAcsMediaClient;

const md5 = (b: Buffer) => createHash('md5').update(b).digest('base64');
const chunkOf = (sizes: number[]): EmulatorChunk[] => emu.createRecordingWithFiles({ chunks: sizes }).chunks;

beforeAll(() => {
  // The app's configuration with the default allow-list; only the transport knows about loopback.
  const config = loadConfig({ ACS_CONNECTION_STRING: emu.connectionString });
  media = new RestAcsMediaClient(config.acs!, config.mediaAllowedOrigins, {
    httpClient: loopbackRoutingHttpClient(STORAGE, emu.endpoint),
    retryDelayMs: 10,
  });
});

describe('RestAcsMediaClient against the ACS emulator', () => {
  it('downloads a whole file, streamed, byte-identical, with x-ms-host signing for the storage host', async () => {
    const [chunk] = chunkOf([300_000]);
    const since = emu.requests.length;

    const download = await media.download(chunk!.contentLocation, { recordingId: 'r1' });
    const bytes = await buffer(download.body);

    expect(download).toMatchObject({ status: 200, start: 0, totalSize: 300_000, contentLength: 300_000, contentType: 'application/octet-stream' });
    expect(bytes.length).toBe(300_000);
    expect(md5(bytes)).toBe(await emu.fileMd5(chunk!.documentId, 'content'));
    const [entry] = emu.requests.slice(since);
    expect(entry).toMatchObject({
      method: 'GET',
      operation: 'downloadContent',
      host: 'eus.storage.asm.skype.com',
      xMsHost: `127.0.0.1:${emu.port}`,
      authenticated: true,
      status: 200,
    });
  });

  it('downloads a byte range equal to the emulator file slice', async () => {
    const [chunk] = chunkOf([50_000]);
    const download = await media.download(chunk!.contentLocation, { offset: 1234, length: 10_000 });
    const bytes = await buffer(download.body);
    const expected = await buffer(emu.openFile(chunk!.documentId, 'content', { start: 1234, end: 11_233 }));

    expect(download).toMatchObject({ status: 206, start: 1234, contentLength: 10_000, totalSize: 50_000 });
    expect(bytes.equals(expected)).toBe(true);

    const tail = await media.download(chunk!.contentLocation, { offset: 49_990 });
    expect((await buffer(tail.body)).equals(await buffer(emu.openFile(chunk!.documentId, 'content', { start: 49_990 })))).toBe(true);
  });

  it('downloads the metadata document', async () => {
    const [chunk] = chunkOf([1000]);
    const download = await media.download(chunk!.metadataLocation);
    const metadata = JSON.parse((await buffer(download.body)).toString('utf8')) as { chunkDocumentId: string };
    expect(metadata.chunkDocumentId).toBe(chunk!.documentId);
  });

  it('deletes with a 200; afterwards the file is a typed 404 (gone)', async () => {
    const [chunk] = chunkOf([1000]);
    await media.delete(chunk!.deleteLocation);
    expect(emu.requests.at(-1)).toMatchObject({ method: 'DELETE', operation: 'deleteRecording', status: 200, authenticated: true });

    const error = await media.download(chunk!.contentLocation).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AcsRequestError);
    expect(error).toMatchObject({ statusCode: 404, code: 'Not Found', message: 'Not Found' });
    expect(classifyFailure(error)).toEqual({ kind: 'permanent', code: 'Gone' });
    await expect(media.delete(chunk!.deleteLocation)).rejects.toMatchObject({ statusCode: 404 });
  });

  it('a download is one attempt: a throttled or failing GET is thrown at once with its Retry-After, for the transfer engine to retry', async () => {
    const [chunk] = chunkOf([2000]);
    emu.injectFault({ documentId: chunk!.documentId, operation: 'downloadContent', fault: { type: 'throttle', retryAfterSeconds: 1 } });
    emu.injectFault({ documentId: chunk!.documentId, operation: 'downloadContent', fault: { type: 'html', status: 502 } });
    const since = emu.requests.length;

    const throttled = await media.download(chunk!.contentLocation).catch((e: unknown) => e);
    expect(throttled).toMatchObject({ name: 'AcsRequestError', statusCode: 429, retryAfterMs: 1000 });
    expect(classifyFailure(throttled)).toEqual({ kind: 'transient', code: 'Throttled', retryAfterMs: 1000 });
    const failing = await media.download(chunk!.contentLocation).catch((e: unknown) => e);
    expect(classifyFailure(failing)).toEqual({ kind: 'transient', code: 'Unavailable' });
    const bytes = await buffer((await media.download(chunk!.contentLocation)).body);

    expect(emu.requests.slice(since).map((r) => r.status)).toEqual([429, 502, 200]);
    expect(md5(bytes)).toBe(await emu.fileMd5(chunk!.documentId, 'content'));
  });

  it('a delete keeps the client retries: a 503 and then a 429 with Retry-After, then 200', async () => {
    const [chunk] = chunkOf([2000]);
    emu.injectFault({ documentId: chunk!.documentId, operation: 'deleteRecording', fault: { type: 'status', status: 503 } });
    emu.injectFault({ documentId: chunk!.documentId, operation: 'deleteRecording', fault: { type: 'throttle', retryAfterSeconds: 1 } });
    const since = emu.requests.length;

    await media.delete(chunk!.deleteLocation);

    const attempts = emu.requests.slice(since);
    expect(attempts.map((r) => r.status)).toEqual([503, 429, 200]);
    expect(attempts[2]!.time.getTime() - attempts[1]!.time.getTime()).toBeGreaterThanOrEqual(1000);
  });

  it('an HTML error page that persists is a typed error, not a SyntaxError', async () => {
    const [chunk] = chunkOf([2000]);
    const once = new RestAcsMediaClient(loadConfig({ ACS_CONNECTION_STRING: emu.connectionString }).acs!, [STORAGE], {
      httpClient: loopbackRoutingHttpClient(STORAGE, emu.endpoint),
      maxRetries: 0,
    });
    emu.injectFault({ documentId: chunk!.documentId, fault: { type: 'html', status: 400 } });
    await expect(once.download(chunk!.contentLocation)).rejects.toMatchObject({
      name: 'AcsRequestError',
      statusCode: 400,
      code: 'HttpError',
      message: 'HTTP 400 with a text/html body',
    });
  });

  it('a connection reset mid-body errors the stream with NetworkError; resuming from the offset completes the file', async () => {
    const [chunk] = chunkOf([200_000]);
    emu.injectFault({ documentId: chunk!.documentId, operation: 'downloadContent', fault: { type: 'reset', afterBytes: 70_000 } });

    const first = await media.download(chunk!.contentLocation);
    const parts: Buffer[] = [];
    const error = await (async () => {
      for await (const part of first.body) parts.push(part as Buffer);
    })().catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'AcsRequestError', code: 'NetworkError' });

    const received = Buffer.concat(parts).length;
    expect(received).toBeLessThan(200_000);
    const rest = await media.download(chunk!.contentLocation, { offset: received });
    expect(rest.start).toBe(received);
    parts.push(await buffer(rest.body));
    expect(md5(Buffer.concat(parts))).toBe(await emu.fileMd5(chunk!.documentId, 'content'));
  });

  it.each([
    ['a foreign host', 'https://evil.example/v1/objects/0-eus-d1-abc/content/audio'],
    ['the emulator itself, not allow-listed', 'EMULATOR'],
    ['a look-alike host', 'https://eus.storage.asm.skype.com.evil.example/v1/objects/x'],
  ])('refuses %s without sending any request', async (_name, url) => {
    const target = url === 'EMULATOR' ? `${emu.endpoint}v1/objects/0-eus-d1-abc/content/audio` : url;
    const since = emu.requests.length;
    await expect(media.download(target)).rejects.toBeInstanceOf(DisallowedUrlError);
    await expect(media.delete(target)).rejects.toBeInstanceOf(DisallowedUrlError);
    expect(emu.requests.length).toBe(since);
  });
});

describe('media on the emulator origin itself (http://127.0.0.1)', () => {
  it('is reachable only when that origin is allow-listed, over plain http to loopback', async () => {
    const local = await startAcsEmulator();
    try {
      const [chunk] = local.createRecordingWithFiles({ chunks: [5000] }).chunks;
      const acs = loadConfig({ ACS_CONNECTION_STRING: local.connectionString }).acs!;
      const allowed = new RestAcsMediaClient(acs, [new URL(local.endpoint).origin]);
      const bytes = await buffer((await allowed.download(chunk!.contentLocation)).body);
      expect(md5(bytes)).toBe(await local.fileMd5(chunk!.documentId, 'content'));

      const defaults = new RestAcsMediaClient(acs, loadConfig({}).mediaAllowedOrigins);
      const since = local.requests.length;
      await expect(defaults.download(chunk!.contentLocation)).rejects.toBeInstanceOf(DisallowedUrlError);
      expect(local.requests.length).toBe(since);
    } finally {
      await local.close();
    }
  });
});
