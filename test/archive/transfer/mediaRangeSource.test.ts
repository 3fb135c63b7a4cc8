// End to end through the real ACS client: the project's ACS emulator (real HTTP and HMAC on 127.0.0.1) as the
// source, mediaRangeSource as the adapter, the transfer engine writing into Azurite.
import { randomUUID } from 'node:crypto';
import type { ContainerClient } from '@azure/storage-blob';
import { afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { RestAcsMediaClient } from '../../../src/acs/RestAcsMediaClient.js';
import { mediaRangeSource } from '../../../src/archive/transfer/mediaRangeSource.js';
import { transferToBlockBlob, type TransferOptions } from '../../../src/archive/transfer/transferToBlockBlob.js';
import { loadConfig } from '../../../src/config.js';
import { useAcsEmulator } from '../../support/useAcsEmulator.js';
import { newContainer, storedDigest } from './support/storage.js';

const B = 64 * 1024;
const options: TransferOptions = { contentType: 'audio/wav', blockSizeBytes: B, retryDelayMs: 1, maxRetryDelayMs: 5 };
const emu = await useAcsEmulator();
let client: RestAcsMediaClient;
let container: ContainerClient;

beforeAll(() => {
  // The emulator mints media URLs under its own loopback origin; allow exactly that origin.
  const origin = new URL(emu.endpoint).origin;
  const config = loadConfig({ ACS_CONNECTION_STRING: emu.connectionString, ACS_MEDIA_ALLOWED_ORIGINS: origin });
  client = new RestAcsMediaClient(config.acs!, config.mediaAllowedOrigins, { retryDelayMs: 1, maxRetries: 0 });
});
beforeEach(async () => {
  container = await newContainer();
});
afterEach(async () => {
  await container.deleteIfExists();
});

const downloads = (documentId: string) =>
  emu.requests.filter((r) => r.operation === 'downloadContent' && r.path.includes(documentId)).map((r) => r.headers.range);

it('archives a recording file and its metadata document byte-identically, resuming a reset download by Range', async () => {
  const [chunk] = emu.createRecordingWithFiles({ chunks: [7 * B + 999] }).chunks;
  emu.injectFault({ operation: 'downloadContent', documentId: chunk!.documentId, fault: { type: 'reset', afterBytes: 3 * B + 10 } });
  const blob = container.getBlockBlobClient(`${randomUUID()}.wav`);

  const source = mediaRangeSource(client, chunk!.contentLocation, { recordingId: 'rec-1', serverCallId: 'call-1' });
  const result = await transferToBlockBlob(source, blob, { ...options, sourceId: `${chunk!.documentId}/content` });

  const expected = await emu.fileMd5(chunk!.documentId, 'content');
  expect(result).toMatchObject({ sizeBytes: 7 * B + 999, md5Base64: expected, resumes: 1, blockCount: 8 });
  expect(await storedDigest(blob)).toEqual({ md5Base64: expected, length: 7 * B + 999 });
  const ranges = downloads(chunk!.documentId);
  // First request without Range (a plain 200), then one resume from where the reset cut the body.
  expect(ranges).toHaveLength(2);
  expect(ranges[0]).toBeUndefined();
  const resumedAt = Number(/^bytes=(\d+)-$/.exec(String(ranges[1]))?.[1]);
  expect(resumedAt).toBeGreaterThan(0);
  expect(resumedAt).toBeLessThanOrEqual(3 * B + 10);

  const meta = container.getBlockBlobClient(`${randomUUID()}.json`);
  const metaResult = await transferToBlockBlob(mediaRangeSource(client, chunk!.metadataLocation), meta, { ...options, contentType: 'application/json' });
  expect(metaResult.md5Base64).toBe(await emu.fileMd5(chunk!.documentId, 'metadata'));
  expect(await storedDigest(meta)).toMatchObject({ md5Base64: metaResult.md5Base64 });
});

it('reads ranges in parallel through the ACS client', async () => {
  const [chunk] = emu.createRecordingWithFiles({ chunks: [5 * B + 1] }).chunks;
  const blob = container.getBlockBlobClient('parallel.wav');
  const result = await transferToBlockBlob(mediaRangeSource(client, chunk!.contentLocation), blob, { ...options, concurrency: 3 });
  expect(result.md5Base64).toBe(await emu.fileMd5(chunk!.documentId, 'content'));
  expect(downloads(chunk!.documentId).slice(1).sort()).toEqual(
    [1, 2, 3, 4, 5].map((k) => `bytes=${k * B}-${Math.min(k * B + B, 5 * B + 1) - 1}`).sort(),
  );
});

it('an expired file (404) fails at once as a permanent AcsRequestError and nothing is committed', async () => {
  const [chunk] = emu.createRecordingWithFiles({ chunks: [2 * B] }).chunks;
  emu.injectFault({ operation: 'downloadContent', documentId: chunk!.documentId, fault: { type: 'status', status: 404 } });
  const blob = container.getBlockBlobClient('gone.wav');
  await expect(transferToBlockBlob(mediaRangeSource(client, chunk!.contentLocation), blob, options)).rejects.toMatchObject({
    name: 'AcsRequestError',
    statusCode: 404,
  });
  expect(downloads(chunk!.documentId)).toHaveLength(1);
  expect(await blob.exists()).toBe(false);
});

it('retries a throttled download after Retry-After', async () => {
  const [chunk] = emu.createRecordingWithFiles({ chunks: [B + 5] }).chunks;
  emu.injectFault({ operation: 'downloadContent', documentId: chunk!.documentId, fault: { type: 'throttle', retryAfterSeconds: 0 } });
  const blob = container.getBlockBlobClient('throttled.wav');
  const result = await transferToBlockBlob(mediaRangeSource(client, chunk!.contentLocation), blob, options);
  expect(result).toMatchObject({ resumes: 1, md5Base64: await emu.fileMd5(chunk!.documentId, 'content') });
  expect(downloads(chunk!.documentId)).toHaveLength(2);
});
