// At-least-once execution: running the same transfer again (after success, concurrently, or onto a blob that is
// not a verified archive) leaves exactly one correct blob and never overwrites a verified archive of other content.
import { Readable } from 'node:stream';
import type { ContainerClient } from '@azure/storage-blob';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ARCHIVE_METADATA } from '../../../src/archive/transfer/verifiedCopy.js';
import type { RangeSource } from '../../../src/archive/transfer/RangeSource.js';
import { TransferConflictError } from '../../../src/archive/transfer/errors.js';
import { transferToBlockBlob, type TransferOptions, type TransferResult } from '../../../src/archive/transfer/transferToBlockBlob.js';
import { GeneratedSource } from './support/GeneratedSource.js';
import { newContainer, storedDigest } from './support/storage.js';

const B = 64 * 1024;
const SIZE = 6 * B + 321;
const options: TransferOptions = { contentType: 'audio/wav', blockSizeBytes: B, retryDelayMs: 1 };
let container: ContainerClient;

beforeEach(async () => {
  container = await newContainer();
});
afterEach(async () => {
  await container.deleteIfExists();
});

it('re-execution after success reuses the blob: no source reads, same bytes, same ETag', async () => {
  const blob = container.getBlockBlobClient('a');
  const first = await transferToBlockBlob(new GeneratedSource(SIZE, 1), blob, { ...options, sourceId: 'doc/content' });
  const again = new GeneratedSource(SIZE, 1);
  const second = await transferToBlockBlob(again, blob, { ...options, sourceId: 'doc/content' });

  expect(again.opens).toEqual([]);
  expect(second).toEqual({ ...first, reusedExisting: true, resumes: 0, resumedFromBytes: 0 });
  expect((await blob.getProperties()).etag).toBe(first.etag);
  expect(await storedDigest(blob)).toEqual({ md5Base64: again.md5Base64(), length: SIZE });
  const listed = [];
  for await (const item of container.listBlobsFlat()) listed.push(item.name);
  expect(listed).toEqual(['a']);
});

it('never overwrites a verified archive of another source', async () => {
  const blob = container.getBlockBlobClient('b');
  const first = await transferToBlockBlob(new GeneratedSource(SIZE, 2), blob, { ...options, sourceId: 'doc-1/content' });
  const other = new GeneratedSource(SIZE, 3);
  await expect(transferToBlockBlob(other, blob, { ...options, sourceId: 'doc-2/content' })).rejects.toBeInstanceOf(TransferConflictError);
  expect(other.opens).toEqual([]);
  expect((await blob.getProperties()).etag).toBe(first.etag);
});

it('replaces a blob that is not a verified archive (no or inconsistent completion marker)', async () => {
  const plain = container.getBlockBlobClient('c');
  await plain.upload('junk', 4);
  const source = new GeneratedSource(SIZE, 4);
  const result = await transferToBlockBlob(source, plain, options);
  expect(result.reusedExisting).toBe(false);
  expect(await storedDigest(plain)).toEqual({ md5Base64: source.md5Base64(), length: SIZE });

  // A marker that disagrees with the stored length is not trusted either.
  const forged = container.getBlockBlobClient('d');
  await forged.upload('junk', 4, { metadata: { [ARCHIVE_METADATA.sizeBytes]: String(SIZE), [ARCHIVE_METADATA.md5Base64]: source.md5Base64() } });
  const again = new GeneratedSource(SIZE, 4);
  expect((await transferToBlockBlob(again, forged, options)).reusedExisting).toBe(false);
  expect(again.opens).toEqual([{ offset: 0 }]);
  expect(await storedDigest(forged)).toEqual({ md5Base64: source.md5Base64(), length: SIZE });
});

it('two concurrent runs of the same transfer commit once and agree', async () => {
  const blob = container.getBlockBlobClient('e');
  const [a, b] = await Promise.all([
    transferToBlockBlob(new GeneratedSource(SIZE, 5), blob, options),
    transferToBlockBlob(new GeneratedSource(SIZE, 5), blob, options),
  ]);
  expect(a.md5Base64).toBe(b.md5Base64);
  expect([a.reusedExisting, b.reusedExisting].sort()).toEqual([false, true]);
  const props = await blob.getProperties();
  expect(props.etag).toBe(a.etag);
  expect(props.etag).toBe(b.etag);
  expect(await storedDigest(blob)).toEqual({ md5Base64: new GeneratedSource(SIZE, 5).md5Base64(), length: SIZE });
});

it('a concurrent run committing different content wins; the loser throws and does not overwrite', async () => {
  const blob = container.getBlockBlobClient('f');
  // The slow run's body pauses after 3 blocks until another writer has committed other content to the same blob.
  let racer: Promise<TransferResult> | undefined;
  const inner = new GeneratedSource(SIZE, 6);
  const slow: RangeSource = {
    async open(offset, o) {
      const r = await inner.open(offset, o);
      async function* gated() {
        let n = offset;
        for await (const chunk of r.body as AsyncIterable<Buffer>) {
          yield chunk;
          n += chunk.length;
          if (n >= 3 * B && !racer) {
            racer = transferToBlockBlob(new GeneratedSource(100, 7), container.getBlockBlobClient('f'), options);
            await racer;
          }
        }
      }
      return { ...r, body: Readable.from(gated()) };
    },
  };
  await expect(transferToBlockBlob(slow, blob, options)).rejects.toBeInstanceOf(TransferConflictError);
  const won = await racer!;
  expect(won).toMatchObject({ sizeBytes: 100, reusedExisting: false });
  const props = await blob.getProperties();
  expect(props.etag).toBe(won.etag);
  expect(props.contentLength).toBe(100);
});
