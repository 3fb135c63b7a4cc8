// Verification failures: the engine throws TransferVerificationError and commits nothing when the source is short,
// changes size, does not tell its size, answers at the wrong offset, or sends more than it said; storage failures
// propagate as they are.
import type { ContainerClient } from '@azure/storage-blob';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { RangeSource } from '../../../src/archive/transfer/RangeSource.js';
import { bufferCapacity } from '../../../src/archive/transfer/stageFromSource.js';
import {
  TransferVerificationError,
  transferToBlockBlob,
  uploadConcurrencyFor,
  type TransferOptions,
} from '../../../src/archive/transfer/transferToBlockBlob.js';
import { GeneratedSource, type SourceFaults } from './support/GeneratedSource.js';
import { newContainer } from './support/storage.js';

const B = 64 * 1024;
const SIZE = 5 * B + 77;
const options: TransferOptions = { contentType: 'audio/wav', blockSizeBytes: B, retryDelayMs: 1, maxRetryDelayMs: 2, maxResumes: 3 };
let container: ContainerClient;

beforeEach(async () => {
  container = await newContainer();
});
afterEach(async () => {
  await container.deleteIfExists();
});

async function expectVerificationFailure(source: RangeSource, code: string, extra: Partial<TransferOptions> = {}) {
  const blob = container.getBlockBlobClient(`v-${code}`);
  const error: unknown = await transferToBlockBlob(source, blob, { ...options, ...extra }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(TransferVerificationError);
  expect(error).toMatchObject({ code });
  expect(await blob.exists()).toBe(false);
}

const faulty = (faults: SourceFaults) => new GeneratedSource(SIZE, 1, faults);

it('a source that keeps ending short of its size fails as ShortSource after maxResumes', async () => {
  const source = faulty({ endAfter: (n) => (n === 0 ? SIZE - 100 : 0) });
  await expectVerificationFailure(source, 'ShortSource');
  expect(source.opens).toEqual([{ offset: 0 }, ...Array.from({ length: 3 }, () => ({ offset: SIZE - 100 }))]);
});

it('a source reporting another total on a later response fails as SourceChanged', async () => {
  await expectVerificationFailure(faulty({ resetAfter: (n) => (n === 0 ? 2 * B : undefined), reportTotal: (n) => (n === 1 ? SIZE + 1 : undefined) }), 'SourceChanged');
});

it('a source that does not tell its size fails as SizeUnknown before anything is staged', async () => {
  const source = faulty({ reportTotal: () => null });
  await expectVerificationFailure(source, 'SizeUnknown');
  expect(source.bytesServed).toBe(0);
});

it('a response starting after the requested offset fails as OffsetMismatch', async () => {
  const inner = faulty({ resetAfter: (n) => (n === 0 ? B : undefined) });
  const shifted: RangeSource = {
    open: async (offset, o) => {
      const r = await inner.open(offset, o);
      return offset > 0 ? { ...r, start: r.start + 10 } : r;
    },
  };
  await expectVerificationFailure(shifted, 'OffsetMismatch');
});

it('a source sending more bytes than its reported size fails as SizeMismatch', async () => {
  await expectVerificationFailure(faulty({ reportTotal: () => SIZE - 10 }), 'SizeMismatch');
});

it('the same checks hold with parallel ranges', async () => {
  await expectVerificationFailure(faulty({ reportTotal: (n) => (n === 2 ? SIZE + 5 : undefined) }), 'SourceChanged', { concurrency: 3 });
});

it('a storage failure propagates as is and stops reading the source', async () => {
  const missing = container.getBlockBlobClient('x');
  await container.delete();
  const size = 40 * B;
  const source = new GeneratedSource(size, 2);
  await expect(transferToBlockBlob(source, missing, options)).rejects.toMatchObject({ statusCode: 404 });
  // The reader may run ahead of the failing upload by the buffers it can get (one being read, one per upload slot)
  // and the few 64 KiB chunks the source stream buffers; never through the rest of the file.
  expect(source.bytesServed).toBeLessThanOrEqual((bufferCapacity(1, uploadConcurrencyFor(1)) + 3) * B);
  container = await newContainer();
});
