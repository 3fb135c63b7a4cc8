// The transfer engine against a real Azurite: sizes around the block boundaries, what the committed blob carries,
// and the same results with parallel ranges.
import type { ContainerClient } from '@azure/storage-blob';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ARCHIVE_METADATA } from '../../../src/archive/transfer/archiveMetadata.js';
import { transferToBlockBlob } from '../../../src/archive/transfer/transferToBlockBlob.js';
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

describe.each([1, 3])('transferToBlockBlob (concurrency %i)', (concurrency) => {
  it.each([
    ['empty file', 0, 0],
    ['less than one block', 1000, 1],
    ['exactly one block', B, 1],
    ['exact multiple of the block size', 4 * B, 4],
    ['several blocks and a partial one', 5 * B + 12_345, 6],
  ])('%s: stored bytes and Content-MD5 equal the source', async (_name, size, blocks) => {
    const source = new GeneratedSource(size, size + concurrency);
    const blob = container.getBlockBlobClient(`f-${size}.bin`);
    const result = await transferToBlockBlob(source, blob, { contentType: 'audio/wav', blockSizeBytes: B, concurrency });

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

it('rejects settings Azure or the MD5 chain cannot work with', async () => {
  const blob = container.getBlockBlobClient('bad');
  const source = new GeneratedSource(10);
  await expect(transferToBlockBlob(source, blob, { contentType: 'x/y', blockSizeBytes: 100 })).rejects.toThrow(RangeError);
  await expect(transferToBlockBlob(source, blob, { contentType: 'x/y', concurrency: 0 })).rejects.toThrow(RangeError);
  expect(source.opens).toHaveLength(0);
});
