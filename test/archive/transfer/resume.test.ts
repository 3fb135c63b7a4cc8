// Resuming: within one call (broken streams, failed opens, ignored ranges, stalls) and across calls (an earlier call
// staged blocks and died). Every test checks the stored bytes against the generator, and which ranges were read.
import type { ContainerClient } from '@azure/storage-blob';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AcsRequestError } from '../../../src/acs/errors.js';
import { BlockIdChain } from '../../../src/archive/transfer/BlockIdChain.js';
import { sourceTagOf } from '../../../src/archive/transfer/blockId.js';
import { transferToBlockBlob, type TransferOptions } from '../../../src/archive/transfer/transferToBlockBlob.js';
import { GeneratedSource } from './support/GeneratedSource.js';
import { newContainer, storedDigest } from './support/storage.js';

const B = 64 * 1024;
const SIZE = 10 * B + 5_000; // 11 blocks
const options: TransferOptions = { contentType: 'audio/wav', blockSizeBytes: B, retryDelayMs: 1, maxRetryDelayMs: 5 };
const gone = () => new AcsRequestError('file expired', 404, 'NotFound');
let container: ContainerClient;

beforeEach(async () => {
  container = await newContainer();
});
afterEach(async () => {
  await container.deleteIfExists();
});

async function expectStored(name: string, source: GeneratedSource) {
  expect(await storedDigest(container.getBlockBlobClient(name))).toEqual({ md5Base64: source.md5Base64(), length: source.size });
}

describe('within one call', () => {
  it('resumes a reset stream with a Range from the first byte not yet received; the MD5 continues', async () => {
    const cuts = [3 * B + 1234, 2 * B + 99];
    const source = new GeneratedSource(SIZE, 7, { resetAfter: (n) => cuts[n] });
    const result = await transferToBlockBlob(source, container.getBlockBlobClient('a'), options);
    expect(source.opens).toEqual([{ offset: 0 }, { offset: cuts[0] }, { offset: cuts[0]! + cuts[1]! }]);
    expect(source.bytesServed).toBe(SIZE);
    expect(result).toMatchObject({ resumes: 2, sizeBytes: SIZE, md5Base64: source.md5Base64(), blockCount: 11 });
    await expectStored('a', source);
  });

  it('retries transient open failures (network, 5xx, 429) with backoff, then reads from the start', async () => {
    const failures = [new AcsRequestError('net', undefined, 'NetworkError'), new AcsRequestError('busy', 503, 'ServiceUnavailable'), new AcsRequestError('slow down', 429, 'TooManyRequests', { retryAfterMs: 5 })];
    const source = new GeneratedSource(SIZE, 8, { failOpen: (n) => failures[n] });
    const result = await transferToBlockBlob(source, container.getBlockBlobClient('b'), options);
    expect(source.opens).toEqual([{ offset: 0 }, { offset: 0 }, { offset: 0 }, { offset: 0 }]);
    expect(result.resumes).toBe(3);
    await expectStored('b', source);
  });

  it('rethrows a permanent failure at once and commits nothing', async () => {
    const source = new GeneratedSource(SIZE, 9, { resetAfter: (n) => (n === 0 ? 2 * B : undefined), failOpen: (n) => (n > 0 ? gone() : undefined) });
    const blob = container.getBlockBlobClient('c');
    await expect(transferToBlockBlob(source, blob, options)).rejects.toMatchObject({ name: 'AcsRequestError', statusCode: 404 });
    expect(source.opens).toEqual([{ offset: 0 }, { offset: 2 * B }]);
    expect(await blob.exists()).toBe(false);
  });

  it('gives up after maxResumes and rethrows the last failure', async () => {
    const source = new GeneratedSource(SIZE, 10, { failOpen: () => new AcsRequestError('busy', 500, 'InternalError') });
    const blob = container.getBlockBlobClient('d');
    await expect(transferToBlockBlob(source, blob, { ...options, maxResumes: 2 })).rejects.toMatchObject({ statusCode: 500 });
    expect(source.opens).toHaveLength(3);
    expect(await blob.exists()).toBe(false);
  });

  it('skips to the offset when the server ignores the Range and answers 200 with the whole file', async () => {
    const source = new GeneratedSource(SIZE, 11, { resetAfter: (n) => (n === 0 ? 4 * B + 10 : undefined), ignoreRange: (n) => n === 1 });
    const result = await transferToBlockBlob(source, container.getBlockBlobClient('e'), options);
    expect(source.opens).toEqual([{ offset: 0 }, { offset: 4 * B + 10 }]);
    expect(result.resumes).toBe(1);
    await expectStored('e', source);
  });

  it('abandons a stalled body after idleTimeoutMs and resumes', async () => {
    const source = new GeneratedSource(SIZE, 12, { stallAfter: (n) => (n === 0 ? 5 * B : undefined) });
    const result = await transferToBlockBlob(source, container.getBlockBlobClient('f'), { ...options, idleTimeoutMs: 200 });
    expect(source.opens).toEqual([{ offset: 0 }, { offset: 5 * B }]);
    expect(result.resumes).toBe(1);
    await expectStored('f', source);
  });

  it('resumes inside a block with parallel ranges', async () => {
    const source = new GeneratedSource(SIZE, 13, { resetAfter: (n) => (n === 3 ? 1000 : undefined) });
    const result = await transferToBlockBlob(source, container.getBlockBlobClient('g'), { ...options, concurrency: 3 });
    const broken = source.opens[3]!;
    expect(source.opens).toContainEqual({ offset: broken.offset + 1000, length: B - 1000 });
    expect(result.resumes).toBe(1);
    await expectStored('g', source);
  });

  it('continues without spending a resume when a server sends shorter ranges than asked (and says so)', async () => {
    const inner = new GeneratedSource(SIZE, 14);
    const capped = {
      label: 'capped',
      opens: [] as number[],
      open(offset: number, o: { length?: number; abortSignal?: AbortSignal } = {}) {
        this.opens.push(offset);
        return inner.open(offset, { ...o, length: Math.min(o.length ?? Infinity, 3 * B + 1) });
      },
    };
    const result = await transferToBlockBlob(capped, container.getBlockBlobClient('h'), options);
    expect(capped.opens).toEqual([0, 3 * B + 1, 6 * B + 2, 9 * B + 3]);
    expect(result.resumes).toBe(0);
    await expectStored('h', inner);
  });

  it('stops reading and commits nothing when aborted', async () => {
    const controller = new AbortController();
    const source = new GeneratedSource(SIZE, 15, {}, () => {
      if (source.bytesServed >= 3 * B) controller.abort();
    });
    const blob = container.getBlockBlobClient('i');
    await expect(transferToBlockBlob(source, blob, { ...options, abortSignal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect(source.bytesServed).toBeLessThan(SIZE);
    expect(await blob.exists()).toBe(false);
  });
});

describe('across calls', () => {
  it('keeps the blocks an interrupted call staged and reads only the rest', async () => {
    const blob = container.getBlockBlobClient('j');
    const first = new GeneratedSource(SIZE, 20, { resetAfter: (n) => (n === 0 ? 4 * B + 500 : undefined), failOpen: (n) => (n > 0 ? gone() : undefined) });
    await expect(transferToBlockBlob(first, blob, options)).rejects.toMatchObject({ statusCode: 404 });
    expect(await blob.exists()).toBe(false);
    expect((await blob.getBlockList('uncommitted')).uncommittedBlocks).toHaveLength(4);

    const second = new GeneratedSource(SIZE, 20);
    const result = await transferToBlockBlob(second, blob, options);
    expect(second.opens).toEqual([{ offset: 4 * B }]);
    expect(second.bytesServed).toBe(SIZE - 4 * B);
    expect(result).toMatchObject({ resumedFromBytes: 4 * B, blockCount: 11, md5Base64: second.md5Base64(), reusedExisting: false });
    await expectStored('j', second);
  });

  it('continues a prefix staged sequentially with parallel ranges', async () => {
    const blob = container.getBlockBlobClient('k');
    const first = new GeneratedSource(SIZE, 21, { resetAfter: (n) => (n === 0 ? 2 * B : undefined), failOpen: (n) => (n > 0 ? gone() : undefined) });
    await expect(transferToBlockBlob(first, blob, options)).rejects.toMatchObject({ statusCode: 404 });
    const second = new GeneratedSource(SIZE, 21);
    const result = await transferToBlockBlob(second, blob, { ...options, concurrency: 4 });
    expect(second.opens[0]).toEqual({ offset: 2 * B });
    expect(Math.min(...second.opens.map((o) => o.offset))).toBe(2 * B);
    expect(result.resumedFromBytes).toBe(2 * B);
    await expectStored('k', second);
  });

  it('commits without reading anything when every block is already staged', async () => {
    const source = new GeneratedSource(3 * B + 1, 22);
    const blob = container.getBlockBlobClient('l');
    const chain = new BlockIdChain(B, source.size, sourceTagOf(undefined));
    for (let i = 0; i * B < source.size; i++) {
      const data = source.bytes(i * B, Math.min(B, source.size - i * B));
      await blob.stageBlock(chain.next(i, data), data, data.length);
    }
    const result = await transferToBlockBlob(source, blob, options);
    expect(source.opens).toEqual([]);
    expect(result).toMatchObject({ resumedFromBytes: source.size, blockCount: 4, md5Base64: source.md5Base64() });
    await expectStored('l', source);
  });

  it('starts over when the source no longer has the size the staged blocks were cut from', async () => {
    const blob = container.getBlockBlobClient('m');
    const first = new GeneratedSource(SIZE, 23, { resetAfter: (n) => (n === 0 ? 3 * B : undefined), failOpen: (n) => (n > 0 ? gone() : undefined) });
    await expect(transferToBlockBlob(first, blob, options)).rejects.toMatchObject({ statusCode: 404 });
    const changed = new GeneratedSource(SIZE + 100, 24);
    const result = await transferToBlockBlob(changed, blob, options);
    expect(changed.opens).toEqual([{ offset: 3 * B }, { offset: 0 }]);
    expect(result.resumedFromBytes).toBe(0);
    await expectStored('m', changed);
  });

  it('starts over when the source became shorter than the staged blocks (416 on the resume offset)', async () => {
    const blob = container.getBlockBlobClient('m2');
    const first = new GeneratedSource(SIZE, 23, { resetAfter: (n) => (n === 0 ? 3 * B : undefined), failOpen: (n) => (n > 0 ? gone() : undefined) });
    await expect(transferToBlockBlob(first, blob, options)).rejects.toMatchObject({ statusCode: 404 });
    const shorter = new GeneratedSource(2 * B, 24);
    const result = await transferToBlockBlob(shorter, blob, options);
    expect(shorter.opens).toEqual([{ offset: 3 * B }, { offset: 0 }]);
    expect(result).toMatchObject({ resumedFromBytes: 0, sizeBytes: 2 * B });
    await expectStored('m2', shorter);
  });

  it('ignores blocks staged for another sourceId or another block size', async () => {
    const blob = container.getBlockBlobClient('n');
    const first = new GeneratedSource(SIZE, 25, { resetAfter: (n) => (n === 0 ? 3 * B : undefined), failOpen: (n) => (n > 0 ? gone() : undefined) });
    await expect(transferToBlockBlob(first, blob, { ...options, sourceId: 'doc-A' })).rejects.toMatchObject({ statusCode: 404 });

    const otherSource = new GeneratedSource(SIZE, 26);
    await transferToBlockBlob(otherSource, blob, { ...options, sourceId: 'doc-B' });
    expect(otherSource.opens).toEqual([{ offset: 0 }]);
    await expectStored('n', otherSource);

    const blob2 = container.getBlockBlobClient('o');
    const third = new GeneratedSource(SIZE, 27, { resetAfter: (n) => (n === 0 ? 3 * B : undefined), failOpen: (n) => (n > 0 ? gone() : undefined) });
    await expect(transferToBlockBlob(third, blob2, options)).rejects.toMatchObject({ statusCode: 404 });
    const bigger = new GeneratedSource(SIZE, 27);
    await transferToBlockBlob(bigger, blob2, { ...options, blockSizeBytes: 2 * B });
    expect(bigger.opens).toEqual([{ offset: 0 }]);
    await expectStored('o', bigger);
  });
});
