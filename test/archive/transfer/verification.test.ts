// Verification failures: the engine throws TransferVerificationError and commits nothing when the source is short,
// changes size, does not tell its size, answers at the wrong offset, or sends more than it said; storage failures
// propagate as they are; a block damaged between the engine and storage is refused by its transactional MD5.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { afterEach, beforeEach, expect, inject, it } from 'vitest';
import type { RangeSource } from '../../../src/archive/transfer/RangeSource.js';
import { bufferCapacity } from '../../../src/archive/transfer/stageFromSource.js';
import { TransferVerificationError } from '../../../src/archive/transfer/errors.js';
import { transferToBlockBlob, uploadConcurrencyFor, type TransferOptions } from '../../../src/archive/transfer/transferToBlockBlob.js';
import { classifyFailure } from '../../../src/shared/failureModel.js';
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

it('a block damaged on its way to storage is refused by storage (its own MD5) and nothing is committed', async () => {
  // A proxy in front of Azurite flips one byte in the body of the first Put Block: only the block's
  // transactionalContentMD5 lets storage notice, since the engine hashed the bytes before they were damaged.
  const proxy = await startCorruptingProxy(new URL(container.url).port);
  try {
    const service = BlobServiceClient.fromConnectionString(
      inject('storageConnectionString').replace(`127.0.0.1:${new URL(container.url).port}/`, `127.0.0.1:${proxy.port}/`),
      { retryOptions: { maxTries: 1 } },
    );
    const blob = service.getContainerClient(container.containerName).getBlockBlobClient('damaged');
    const error = await transferToBlockBlob(new GeneratedSource(SIZE, 1), blob, options).catch((e: unknown) => e);
    // Azure says 400 Md5Mismatch; Azurite 400 InvalidOperation "Provided contentMD5 doesn't match.".
    expect(error).toMatchObject({ statusCode: 400, message: expect.stringMatching(/contentMD5 doesn't match/) as unknown });
    // Not a verdict on the source or the archive: a resend of the block fixes it, so the failure is transient.
    expect(classifyFailure(error)).toEqual({ kind: 'transient', code: 'CorruptedInTransit' });
    expect(proxy.corrupted).toBe(1);
    expect(proxy.refusedBlocks).toBe(1);
    expect(await container.getBlockBlobClient('damaged').exists()).toBe(false);
  } finally {
    await proxy.close();
  }
});

/** Forwards to Azurite; flips the first byte of the first Put Block body and counts the blocks Azurite refuses. */
async function startCorruptingProxy(azuritePort: string): Promise<{ port: number; corrupted: number; refusedBlocks: number; close(): Promise<void> }> {
  const state = { corrupted: 0, refusedBlocks: 0 };
  const server = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      const body = Buffer.concat(parts);
      const isBlock = req.method === 'PUT' && /[?&]comp=block(&|$)/.test(req.url ?? '');
      if (isBlock && state.corrupted === 0 && body.length > 0) {
        body[0] = body[0]! ^ 0xff;
        state.corrupted++;
      }
      const upstream = http.request({ host: '127.0.0.1', port: Number(azuritePort), method: req.method, path: req.url, headers: req.headers }, (response) => {
        if (isBlock && response.statusCode === 400) state.refusedBlocks++;
        res.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    get corrupted() {
      return state.corrupted;
    },
    get refusedBlocks() {
      return state.refusedBlocks;
    },
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
