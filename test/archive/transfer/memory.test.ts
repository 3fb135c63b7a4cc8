// Constant memory: a ~300 MiB transfer with the default 8 MiB blocks must not grow the process by anything close to
// the file size. RSS is sampled on every chunk the source generates (a loose bound; nothing here is timed).
import type { ContainerClient } from '@azure/storage-blob';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { transferToBlockBlob } from '../../../src/archive/transfer/transferToBlockBlob.js';
import { GeneratedSource } from './support/GeneratedSource.js';
import { newContainer, storedDigest } from './support/storage.js';

const MiB = 1024 * 1024;
const SIZE = 300 * MiB + 12_345;
let container: ContainerClient;

beforeEach(async () => {
  container = await newContainer();
});
afterEach(async () => {
  await container.deleteIfExists();
});

it('streams ~300 MiB with RSS growth far below the file size, and stores it exactly', { timeout: 300_000 }, async () => {
  const baseline = process.memoryUsage.rss();
  let peak = baseline;
  const source = new GeneratedSource(SIZE, 300, { resetAfter: (n) => (n === 0 ? 123 * MiB + 7 : undefined) }, () => {
    peak = Math.max(peak, process.memoryUsage.rss());
  });
  const blob = container.getBlockBlobClient('big.mp4');
  const result = await transferToBlockBlob(source, blob, { contentType: 'video/mp4', retryDelayMs: 1 });
  const growthMiB = (peak - baseline) / MiB;

  expect(result).toMatchObject({ sizeBytes: SIZE, blockCount: 38, resumes: 1, md5Base64: source.md5Base64() });
  expect(growthMiB).toBeLessThan(100);
  expect(await storedDigest(blob)).toEqual({ md5Base64: result.md5Base64, length: SIZE });
  console.info(`300 MiB transfer: RSS growth ${growthMiB.toFixed(1)} MiB`);
});
