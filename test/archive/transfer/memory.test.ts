// Constant memory: a ~300 MiB transfer with the default settings must not grow the process by anything close to the
// file size: the bound is the engine's block buffers ((ranges + uploads) × block size) plus a fixed allowance for the
// SDK, sockets and garbage not yet collected. RSS is sampled on every chunk the source generates (nothing is timed).
import type { ContainerClient } from '@azure/storage-blob';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { bufferCapacity } from '../../../src/archive/transfer/stageFromSource.js';
import { transferToBlockBlob, uploadConcurrencyFor } from '../../../src/archive/transfer/transferToBlockBlob.js';
import { DEFAULT_BLOCK_SIZE_BYTES, DEFAULT_TRANSFER_CONCURRENCY } from '../../../src/archive/transfer/transferDefaults.js';
import { GeneratedSource } from './support/GeneratedSource.js';
import { newContainer, storedDigest } from './support/storage.js';

const MiB = 1024 * 1024;
const SIZE = 300 * MiB + 12_345;
/** Block buffers the engine may hold with the defaults. */
const BUFFERS_MiB = (bufferCapacity(DEFAULT_TRANSFER_CONCURRENCY, uploadConcurrencyFor(DEFAULT_TRANSFER_CONCURRENCY)) * DEFAULT_BLOCK_SIZE_BYTES) / MiB;
/** Node, the SDK's sockets and responses, 64 KiB source chunks and buffers of the warm-up awaiting collection (37–46 MiB measured). */
const ALLOWANCE_MiB = 80;
let container: ContainerClient;

beforeEach(async () => {
  container = await newContainer();
});
afterEach(async () => {
  await container.deleteIfExists();
});

it('streams ~300 MiB with RSS growth far below the file size, and stores it exactly', { timeout: 300_000 }, async () => {
  // The hash thread is started once per process (a fixed cost, not per transfer): start it before measuring.
  await transferToBlockBlob(new GeneratedSource(DEFAULT_BLOCK_SIZE_BYTES + 64, 299), container.getBlockBlobClient('warm-up'), { contentType: 'x/y' });
  const baseline = process.memoryUsage.rss();
  let peak = baseline;
  const source = new GeneratedSource(SIZE, 300, { resetAfter: (n) => (n === 0 ? 123 * MiB + 7 : undefined) }, () => {
    peak = Math.max(peak, process.memoryUsage.rss());
  });
  const blob = container.getBlockBlobClient('big.mp4');
  const result = await transferToBlockBlob(source, blob, { contentType: 'video/mp4', retryDelayMs: 1 });
  const growthMiB = (peak - baseline) / MiB;

  expect(result).toMatchObject({ sizeBytes: SIZE, blockCount: Math.ceil(SIZE / DEFAULT_BLOCK_SIZE_BYTES), resumes: 1, md5Base64: source.md5Base64() });
  expect(BUFFERS_MiB + ALLOWANCE_MiB).toBeLessThan(SIZE / MiB / 2);
  expect(growthMiB).toBeLessThan(BUFFERS_MiB + ALLOWANCE_MiB);
  expect(await storedDigest(blob)).toEqual({ md5Base64: result.md5Base64, length: SIZE });
  console.info(`300 MiB transfer: RSS growth ${growthMiB.toFixed(1)} MiB (block buffers ${BUFFERS_MiB} MiB)`);
});
