// The hash thread: blocks hashed there get exactly the IDs and digests hashing on the event loop gives (so the two
// ways can continue each other's staged blocks), it is really used by default, and it survives bad requests and
// restarts after being stopped.
import { createHash, randomBytes } from 'node:crypto';
import type { ContainerClient } from '@azure/storage-blob';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AcsRequestError } from '../../../src/acs/errors.js';
import { HashThreadError, sharedHashThread } from '../../../src/archive/transfer/HashThread.js';
import { Md5 } from '../../../src/archive/transfer/Md5.js';
import { transferToBlockBlob, type TransferOptions } from '../../../src/archive/transfer/transferToBlockBlob.js';
import { GeneratedSource } from './support/GeneratedSource.js';
import { newContainer, storedDigest } from './support/storage.js';

const B = 64 * 1024;
const SIZE = 5 * B + 123;
const options: TransferOptions = { contentType: 'audio/wav', blockSizeBytes: B, retryDelayMs: 1, maxRetryDelayMs: 2 };
let container: ContainerClient;

beforeEach(async () => {
  container = await newContainer();
});
afterEach(async () => {
  await container.deleteIfExists();
});

function thread() {
  const t = sharedHashThread();
  if (!t) throw new Error('no hash thread can run in this checkout');
  return t;
}

/** A copy of `data` in shared memory, as the transfer's buffer pool allocates it. */
function shared(data: Buffer): Buffer {
  const out = Buffer.from(new SharedArrayBuffer(data.length));
  data.copy(out);
  return out;
}

describe('transfers', () => {
  it('hash in the shared thread by default, with the same block IDs and MD5 as hashing on the event loop', async () => {
    const before = thread().blocksHashed;
    const viaThread = await transferToBlockBlob(new GeneratedSource(SIZE, 41), container.getBlockBlobClient('thread'), options);
    expect(thread().blocksHashed - before).toBe(6);

    const afterThread = thread().blocksHashed;
    const onLoop = await transferToBlockBlob(new GeneratedSource(SIZE, 41), container.getBlockBlobClient('loop'), { ...options, hashThread: false });
    expect(thread().blocksHashed).toBe(afterThread);

    expect(viaThread.md5Base64).toBe(new GeneratedSource(SIZE, 41).md5Base64());
    expect(onLoop.md5Base64).toBe(viaThread.md5Base64);
    const names = async (name: string) => (await container.getBlockBlobClient(name).getBlockList('committed')).committedBlocks?.map((b) => b.name);
    expect(await names('thread')).toEqual(await names('loop'));
    expect(await storedDigest(container.getBlockBlobClient('thread'))).toEqual({ md5Base64: viaThread.md5Base64, length: SIZE });
  });

  it('continue blocks staged by the other way of hashing', async () => {
    const gone = () => new AcsRequestError('file expired', 404, 'NotFound');
    // First call hashes on the event loop and dies after 3 blocks; the second hashes in the thread and resumes.
    const first = new GeneratedSource(SIZE, 42, { resetAfter: (n) => (n === 0 ? 3 * B : undefined), failOpen: (n) => (n > 0 ? gone() : undefined) });
    const blob = container.getBlockBlobClient('mixed');
    await expect(transferToBlockBlob(first, blob, { ...options, hashThread: false })).rejects.toMatchObject({ statusCode: 404 });

    const second = new GeneratedSource(SIZE, 42);
    const result = await transferToBlockBlob(second, blob, options);
    expect(result).toMatchObject({ resumedFromBytes: 3 * B, md5Base64: second.md5Base64() });
    expect(second.opens).toEqual([{ offset: 3 * B }]);
    expect(await storedDigest(blob)).toEqual({ md5Base64: second.md5Base64(), length: SIZE });
  });
});

describe('HashThread', () => {
  it('advances the running MD5 by a block and computes the block MD5, like Md5 and node:crypto', async () => {
    const prefix = randomBytes(3 * 64);
    const block = randomBytes(1000);
    const running = new Md5().update(prefix);
    const middle = await thread().hash({ state: running.exportState(), length: prefix.length, data: shared(block.subarray(0, 960)), final: false });
    expect(middle.state).toEqual(new Md5().update(prefix).update(block.subarray(0, 960)).exportState());
    const last = await thread().hash({ state: middle.state, length: prefix.length + 960, data: shared(block.subarray(960)), final: true });
    expect(last.state.toString('hex')).toBe(createHash('md5').update(prefix).update(block).digest('hex'));
    expect(last.contentMd5.toString('hex')).toBe(createHash('md5').update(block.subarray(960)).digest('hex'));
  });

  it('refuses a block outside shared memory, reports a bad request without dying, and restarts after terminate', async () => {
    const t = thread();
    await expect(t.hash({ state: new Md5().exportState(), length: 0, data: Buffer.alloc(64), final: true })).rejects.toThrow(TypeError);
    // A state off a 64-byte boundary is refused inside the thread; the thread keeps serving.
    await expect(t.hash({ state: new Md5().exportState(), length: 10, data: shared(Buffer.alloc(64)), final: true })).rejects.toThrow(HashThreadError);
    const empty64 = createHash('md5').update(Buffer.alloc(64)).digest();
    expect((await t.hash({ state: new Md5().exportState(), length: 0, data: shared(Buffer.alloc(64)), final: true })).state).toEqual(empty64);

    const inFlight = expect(t.hash({ state: new Md5().exportState(), length: 0, data: shared(Buffer.alloc(8 * 1024 * 1024)), final: true })).rejects.toThrow(
      HashThreadError,
    );
    await t.terminate();
    await inFlight;
    await t.warmUp();
    expect((await t.hash({ state: new Md5().exportState(), length: 0, data: shared(Buffer.alloc(64)), final: true })).state).toEqual(empty64);
  });
});
