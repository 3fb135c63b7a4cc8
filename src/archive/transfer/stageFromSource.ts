// Copies the source into staged blocks, continuing after a staged prefix when there is one, and returns everything
// the commit needs: the block IDs in order, the verified size and the whole-file MD5.
import { setMaxListeners } from 'node:events';
import type { BlockBlobClient } from '@azure/storage-blob';
import type { Logger } from '../../shared/logging.js';
import { blockCountOf } from './blockId.js';
import { BlockHasher, type HashedBlock } from './BlockHasher.js';
import { BlockIdChain } from './BlockIdChain.js';
import { BlockStager } from './BlockStager.js';
import { BufferPool } from './BufferPool.js';
import { sharedHashThread } from './HashThread.js';
import { TransferVerificationError } from './errors.js';
import { Md5 } from './Md5.js';
import type { ContentProof } from './ContentProof.js';
import type { RangeSource } from './RangeSource.js';
import { readBlocksInParallel, readBlocksSequentially, readFirstBlock } from './readBlocks.js';
import { SourceReader, type SourceReaderOptions } from './SourceReader.js';
import type { StagedPrefix } from './stagedPrefix.js';

/** Azure's limit of committed blocks per blob. */
export const MAX_BLOCKS_PER_BLOB = 50_000;

export interface StageSettings extends Omit<SourceReaderOptions, 'expectedTotalSize' | 'abortSignal' | 'checkResponse'> {
  blockSize: number;
  /** Ranged requests in flight (1: one streaming request). */
  concurrency: number;
  /** Block uploads in flight, whatever the number of ranges. */
  uploadConcurrency: number;
  /** Hash in the process's hash thread (when it can run here) instead of on the event loop. */
  hashThread: boolean;
  sourceTag: Buffer;
  /** Proves the bytes are the file (response heads, then every block in order before it is staged). */
  proof?: ContentProof;
  abortSignal?: AbortSignal;
  logger: Logger;
}

export interface StagedCopy {
  ids: string[];
  totalSize: number;
  md5: Buffer;
  /** Resumes spent on the source. */
  resumes: number;
  /** Blocks uploaded by this call. */
  stagedBlocks: number;
}

/**
 * Block buffers a transfer holds at most: one per range being read, plus one per block being hashed or uploaded.
 * Memory is this × block size, whatever the file size.
 */
export function bufferCapacity(concurrency: number, uploadConcurrency: number): number {
  return concurrency + uploadConcurrency;
}

/**
 * Streams the source into staged blocks as a pipeline of three stages that overlap: reading (one stream, or
 * `concurrency` ranges), hashing (in order, one block at a time, in the hash thread or on the event loop in slices),
 * and uploading (`uploadConcurrency` blocks at once). Buffers from a bounded pool tie the stages together: a reader
 * waits for a buffer while the hasher and the uploads catch up.
 */
export async function stageFromSource(
  source: RangeSource,
  blob: BlockBlobClient,
  settings: StageSettings,
  staged?: StagedPrefix,
): Promise<StagedCopy> {
  if (staged?.complete) {
    // Every block is already staged and the file's MD5 is in the last block's ID: nothing to read.
    return { ids: [...staged.ids], totalSize: staged.totalSize, md5: staged.finalDigest, resumes: 0, stagedBlocks: 0 };
  }
  const { blockSize, concurrency, uploadConcurrency, sourceTag } = settings;
  // One failure channel: the first failure after reading (the proof, a hash, an upload) is kept in `failure`, stops
  // the reads and everything not yet hashed, and is what the call throws — never the abort it caused. A read failure
  // is simply thrown by the reads: blocks read completely before it are still hashed and staged (the next call
  // resumes after them). Uploads stop only when the caller aborts: a block on its way is worth finishing.
  const readController = new AbortController();
  let failure: { error: unknown } | undefined;
  const fail = (error: unknown): void => {
    failure ??= { error };
    readController.abort();
  };
  const readSignal = settings.abortSignal ? AbortSignal.any([settings.abortSignal, readController.signal]) : readController.signal;
  const uploadSignal = settings.abortSignal ?? new AbortController().signal;
  // Every in-flight read and upload (and the SDK's retry policy inside it) listens on these signals.
  setMaxListeners(0, readSignal);
  setMaxListeners(0, uploadSignal);
  const { proof, ...readerSettings } = settings;
  const reader = new SourceReader(source, {
    ...readerSettings,
    abortSignal: readSignal,
    expectedTotalSize: staged?.totalSize,
    ...(proof ? { checkResponse: (head) => proof.checkResponse(head) } : {}),
  });
  const proofRun = proof?.start();
  const stager = new BlockStager(blob, uploadConcurrency, uploadSignal, fail);
  const thread = settings.hashThread ? sharedHashThread() : undefined;
  const pool = new BufferPool(blockSize, bufferCapacity(concurrency, uploadConcurrency), thread !== undefined);
  const ids = staged ? [...staged.ids] : [];
  const startIndex = ids.length;
  let hasher: BlockHasher | undefined;
  let handedOver = 0;
  let stagedBlocks = 0;
  // Blocks go through hashing and into an upload slot one after another, in index order, behind this promise. It
  // never rejects: its failures go to `fail`.
  let pipeline: Promise<void> = Promise.resolve();

  const onBlock = (index: number, data: Buffer) => {
    if (!hasher) {
      const total = reader.totalSize!;
      if (blockCountOf(total, blockSize) > MAX_BLOCKS_PER_BLOB) {
        throw new TransferVerificationError(
          'TooManyBlocks',
          `A ${total}-byte source needs more than ${MAX_BLOCKS_PER_BLOB} blocks of ${blockSize} bytes; raise ARCHIVE_BLOCK_SIZE_MIB`,
        );
      }
      const chain = new BlockIdChain(blockSize, total, sourceTag, staged ? { nextIndex: startIndex, md5: staged.md5 } : undefined);
      hasher = new BlockHasher(chain, total, thread);
    }
    const blockHasher = hasher;
    handedOver++;
    pipeline = pipeline
      .then(async () => {
        // After a failure downstream (or the caller's abort) nothing more is hashed or uploaded. Blocks that were
        // read completely before a *read* failure still are: the next call resumes after them.
        if (failure || settings.abortSignal?.aborted) {
          pool.release(data);
          return;
        }
        let hashed: HashedBlock;
        try {
          // Proven before it is hashed and staged: a staged block (under this proof's tag) is always a proven one.
          proofRun?.checkBlock(index, data, index === blockCountOf(reader.totalSize!, blockSize) - 1);
          hashed = await blockHasher.hash(index, data);
        } catch (e) {
          pool.release(data);
          throw e;
        }
        ids[index] = hashed.id;
        stagedBlocks++;
        await stager.stage(hashed.id, data, hashed.contentMd5, () => pool.release(data));
      })
      .catch(fail);
  };

  try {
    if (concurrency === 1) {
      await readBlocksSequentially(reader, pool, startIndex, onBlock, readSignal);
    } else {
      // Ranges need the size: the first block's response tells it (and checks it against a staged prefix).
      await readFirstBlock(reader, pool, startIndex, onBlock, readSignal);
      const blockCount = blockCountOf(reader.totalSize!, blockSize);
      await readBlocksInParallel(reader, pool, startIndex + handedOver, blockCount, concurrency, onBlock, () => readController.abort(), readSignal);
    }
  } catch (e) {
    // A read failed, or the reads were stopped by `fail`: then that failure is reported, not the abort it caused.
    readController.abort();
    await pipeline;
    await stager.settle();
    throw failure?.error ?? e;
  }
  // Every block handed over is hashed and staged (or, after a failure, released), and every upload has settled.
  await pipeline;
  await stager.settle();
  if (failure) throw failure.error;

  const totalSize = reader.totalSize ?? staged?.totalSize ?? 0;
  const md5 = hasher ? hasher.digest() : new Md5().digest();
  const hashed = hasher ? hasher.hashedBytes : 0;
  if (hashed !== totalSize || ids.length !== blockCountOf(totalSize, blockSize)) {
    throw new TransferVerificationError('SizeMismatch', `Copied ${hashed} bytes in ${ids.length} blocks; the source has ${totalSize} bytes`);
  }
  return { ids, totalSize, md5, resumes: reader.resumes, stagedBlocks };
}
