// The transfer engine against a real Azurite: sizes around the block boundaries, what the committed blob carries,
// and the same results with parallel ranges and parallel uploads.
import type { BlockBlobClient, ContainerClient } from '@azure/storage-blob';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ARCHIVE_METADATA } from '../../../src/archive/transfer/verifiedCopy.js';
import { DEFAULT_UPLOAD_CONCURRENCY } from '../../../src/archive/transfer/transferDefaults.js';
import { transferToBlockBlob, uploadConcurrencyFor } from '../../../src/archive/transfer/transferToBlockBlob.js';
import { GeneratedSource } from './support/GeneratedSource.js';
import { newContainer, storedDigest } from './support/storage.js';

const B = 64 * 1024;
let container: ContainerClient;

beforeEach(async () => {
  container = await newContainer();
});
afterEach(async () => {
  await container.deleteIfExists();
});

describe.each([
  [1, 1],
  [1, 4],
  [3, 2],
])('transferToBlockBlob (concurrency %i, uploadConcurrency %i)', (concurrency, uploadConcurrency) => {
  it.each([
    ['empty file', 0, 0],
    ['less than one block', 1000, 1],
    ['exactly one block', B, 1],
    ['exact multiple of the block size', 4 * B, 4],
    ['several blocks and a partial one', 5 * B + 12_345, 6],
  ])('%s: stored bytes and Content-MD5 equal the source', async (_name, size, blocks) => {
    const source = new GeneratedSource(size, size + concurrency + 10 * uploadConcurrency);
    const blob = container.getBlockBlobClient(`f-${size}.bin`);
    const result = await transferToBlockBlob(source, blob, { contentType: 'audio/wav', blockSizeBytes: B, concurrency, uploadConcurrency });

    const expectedMd5 = source.md5Base64();
    expect(result).toMatchObject({ sizeBytes: size, md5Base64: expectedMd5, blockCount: blocks, resumes: 0, reusedExisting: false, resumedFromBytes: 0 });
    expect(await storedDigest(blob)).toEqual({ md5Base64: expectedMd5, length: size });
    const props = await blob.getProperties();
    expect(Buffer.from(props.contentMD5!).toString('base64')).toBe(expectedMd5);
    expect(props.etag).toBe(result.etag);
    expect((await blob.getBlockList('committed')).committedBlocks).toHaveLength(blocks);
    // One stream: every byte was read from the source exactly once.
    if (concurrency === 1) expect(source.bytesServed).toBe(size);
  });
});

it('sets content type, Content-MD5, caller metadata plus the completion marker, and tags', async () => {
  const source = new GeneratedSource(3 * B + 7);
  const blob = container.getBlockBlobClient('recordings/r1/chunk-0.wav');
  const result = await transferToBlockBlob(source, blob, {
    contentType: 'audio/wav',
    blockSizeBytes: B,
    metadata: { recordingid: 'r1', kind: 'content', archivesize: 'caller may not forge this' },
    tags: { recordingId: 'r1', kind: 'content' },
    sourceId: 'doc-1/content',
  });
  const props = await blob.getProperties();
  expect(props.contentType).toBe('audio/wav');
  expect(props.contentLength).toBe(3 * B + 7);
  expect(Buffer.from(props.contentMD5!).toString('base64')).toBe(source.md5Base64());
  expect(props.metadata).toMatchObject({
    recordingid: 'r1',
    kind: 'content',
    [ARCHIVE_METADATA.sizeBytes]: String(3 * B + 7),
    [ARCHIVE_METADATA.md5Base64]: result.md5Base64,
    [ARCHIVE_METADATA.blockSize]: String(B),
  });
  expect(props.metadata?.[ARCHIVE_METADATA.sourceTag]).toMatch(/^[0-9a-f]{16}$/);
  expect((await blob.getTags()).tags).toEqual({ recordingId: 'r1', kind: 'content' });
});

it('reads with one streaming request when concurrency is 1, and ranged requests per block otherwise', async () => {
  const sequential = new GeneratedSource(5 * B);
  await transferToBlockBlob(sequential, container.getBlockBlobClient('seq'), { contentType: 'x/y', blockSizeBytes: B });
  expect(sequential.opens).toEqual([{ offset: 0 }]);

  const parallel = new GeneratedSource(5 * B);
  await transferToBlockBlob(parallel, container.getBlockBlobClient('par'), { contentType: 'x/y', blockSizeBytes: B, concurrency: 2 });
  // The first open learns the size (no range yet: an empty file must not get an unsatisfiable one).
  expect(parallel.opens).toEqual([{ offset: 0 }, ...[1, 2, 3, 4].map((k) => ({ offset: k * B, length: B }))]);
  expect(parallel.bytesServed).toBeGreaterThanOrEqual(5 * B);
});

/**
 * Wraps the real stageBlock (Azurite still stores every block) to watch how many uploads overlap. Each upload is held
 * back until `gather` uploads are pending at once, so the overlap the engine allows shows deterministically; a
 * fallback releases it after 300 ms so an engine that allows less cannot hang the test (it fails the assertion).
 */
function watchUploads(blob: BlockBlobClient, gather: number, source: GeneratedSource) {
  const seen = { maxInFlight: 0, servedAtMax: 0, calls: 0 };
  const held: Array<() => void> = [];
  let inFlight = 0;
  const stageBlock = blob.stageBlock.bind(blob);
  blob.stageBlock = async (...args: Parameters<BlockBlobClient['stageBlock']>) => {
    seen.calls++;
    inFlight++;
    if (inFlight > seen.maxInFlight) {
      seen.maxInFlight = inFlight;
      seen.servedAtMax = source.bytesServed;
    }
    try {
      await new Promise<void>((release) => {
        held.push(release);
        if (held.length >= gather) held.splice(0).forEach((r) => r());
        else setTimeout(release, 300);
      });
      return await stageBlock(...args);
    } finally {
      inFlight--;
    }
  };
  return seen;
}

it('keeps uploadConcurrency blocks uploading while the one download stream keeps reading, never more', async () => {
  const source = new GeneratedSource(12 * B + 5);
  const blob = container.getBlockBlobClient('overlap');
  const seen = watchUploads(blob, 3, source);
  const result = await transferToBlockBlob(source, blob, { contentType: 'x/y', blockSizeBytes: B, uploadConcurrency: 3 });

  expect(source.opens).toEqual([{ offset: 0 }]);
  expect(seen.calls).toBe(13);
  expect(seen.maxInFlight).toBe(3);
  // While three uploads were pending, the stream had already delivered at least those three blocks: reading went on.
  expect(seen.servedAtMax).toBeGreaterThanOrEqual(3 * B);
  expect(await storedDigest(blob)).toEqual({ md5Base64: result.md5Base64, length: 12 * B + 5 });
});

it('uploads one block at a time with uploadConcurrency 1, whatever the number of ranges', async () => {
  const source = new GeneratedSource(6 * B);
  const blob = container.getBlockBlobClient('serial');
  const seen = watchUploads(blob, 2, source);
  await transferToBlockBlob(source, blob, { contentType: 'x/y', blockSizeBytes: B, concurrency: 3, uploadConcurrency: 1 });
  expect(seen.calls).toBe(6);
  expect(seen.maxInFlight).toBe(1);
});

it('by default keeps at least one upload slot per range, and four with one stream', async () => {
  expect(DEFAULT_UPLOAD_CONCURRENCY).toBe(4);
  expect([1, 2, 4, 6].map(uploadConcurrencyFor)).toEqual([4, 4, 4, 6]);
  const source = new GeneratedSource(12 * B);
  const blob = container.getBlockBlobClient('default-uploads');
  const seen = watchUploads(blob, 6, source);
  await transferToBlockBlob(source, blob, { contentType: 'x/y', blockSizeBytes: B, concurrency: 6 });
  expect(seen.calls).toBe(12);
  expect(seen.maxInFlight).toBe(6);
});

it('rejects settings Azure or the MD5 chain cannot work with', async () => {
  const blob = container.getBlockBlobClient('bad');
  const source = new GeneratedSource(10);
  await expect(transferToBlockBlob(source, blob, { contentType: 'x/y', blockSizeBytes: 100 })).rejects.toThrow(RangeError);
  await expect(transferToBlockBlob(source, blob, { contentType: 'x/y', concurrency: 0 })).rejects.toThrow(RangeError);
  await expect(transferToBlockBlob(source, blob, { contentType: 'x/y', uploadConcurrency: 0 })).rejects.toThrow(RangeError);
  await expect(transferToBlockBlob(source, blob, { contentType: 'x/y', uploadConcurrency: 1.5 })).rejects.toThrow(RangeError);
  expect(source.opens).toHaveLength(0);
});
