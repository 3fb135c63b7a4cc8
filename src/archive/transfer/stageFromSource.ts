// Copies the source into staged blocks, continuing after a staged prefix when there is one, and returns everything
// the commit needs: the block IDs in order, the verified size and the whole-file MD5.
import { setMaxListeners } from 'node:events';
import type { BlockBlobClient } from '@azure/storage-blob';
import type { Logger } from '../../shared/logging.js';
import { blockCountOf } from './blockId.js';
import { BlockIdChain } from './BlockIdChain.js';
import { BlockStager } from './BlockStager.js';
import { BufferPool } from './BufferPool.js';
import { TransferVerificationError } from './errors.js';
import { Md5 } from './Md5.js';
import type { RangeSource } from './RangeSource.js';
import { readBlocksInParallel, readBlocksSequentially, readFirstBlock } from './readBlocks.js';
import { SourceReader, type SourceReaderOptions } from './SourceReader.js';
import type { StagedPrefix } from './stagedPrefix.js';

/** Azure's limit of committed blocks per blob. */
export const MAX_BLOCKS_PER_BLOB = 50_000;

export interface StageSettings extends Omit<SourceReaderOptions, 'expectedTotalSize' | 'abortSignal'> {
  blockSize: number;
  concurrency: number;
  sourceTag: Buffer;
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
  const { blockSize, concurrency, sourceTag } = settings;
  // Reads stop when the caller aborts or any read or upload fails. Uploads stop only when the caller aborts: a block
  // already on its way is worth finishing, the next call resumes after it.
  const readController = new AbortController();
  const readSignal = settings.abortSignal ? AbortSignal.any([settings.abortSignal, readController.signal]) : readController.signal;
  const uploadSignal = settings.abortSignal ?? new AbortController().signal;
  // Every in-flight read and upload (and the SDK's retry policy inside it) listens on these signals.
  setMaxListeners(0, readSignal);
  setMaxListeners(0, uploadSignal);
  const reader = new SourceReader(source, { ...settings, abortSignal: readSignal, expectedTotalSize: staged?.totalSize });
  const stager = new BlockStager(blob, concurrency, uploadSignal, () => readController.abort());
  const pool = new BufferPool(blockSize);
  const ids = staged ? [...staged.ids] : [];
  const startIndex = ids.length;
  let chain: BlockIdChain | undefined;
  let stagedBlocks = 0;

  const onBlock = async (index: number, data: Buffer) => {
    if (!chain) {
      const total = reader.totalSize!;
      if (blockCountOf(total, blockSize) > MAX_BLOCKS_PER_BLOB) {
        throw new TransferVerificationError(
          'TooManyBlocks',
          `A ${total}-byte source needs more than ${MAX_BLOCKS_PER_BLOB} blocks of ${blockSize} bytes; raise ARCHIVE_BLOCK_SIZE_MIB`,
        );
      }
      chain = new BlockIdChain(blockSize, total, sourceTag, staged ? { nextIndex: startIndex, md5: staged.md5 } : undefined);
    }
    const id = chain.next(index, data);
    ids[index] = id;
    stagedBlocks++;
    await stager.stage(id, data, () => pool.give(data));
  };

  try {
    if (concurrency === 1) {
      await readBlocksSequentially(reader, pool, startIndex, onBlock);
    } else {
      // Ranges need the size: the first block's response tells it (and checks it against a staged prefix).
      await readFirstBlock(reader, pool, startIndex, onBlock);
      const blockCount = blockCountOf(reader.totalSize!, blockSize);
      await readBlocksInParallel(reader, pool, ids.length, blockCount, concurrency, onBlock, () => readController.abort());
    }
    await stager.drain();
  } catch (e) {
    // An upload failure aborts the reads: report the upload failure, not the abort it caused.
    const cause = stager.error ?? e;
    readController.abort();
    await stager.settle();
    throw cause;
  }

  const totalSize = reader.totalSize ?? staged?.totalSize ?? 0;
  const md5 = chain ? chain.digest() : new Md5().digest();
  const hashed = chain ? chain.hashedBytes : 0;
  if (hashed !== totalSize || ids.length !== blockCountOf(totalSize, blockSize)) {
    throw new TransferVerificationError('SizeMismatch', `Copied ${hashed} bytes in ${ids.length} blocks; the source has ${totalSize} bytes`);
  }
  return { ids, totalSize, md5, resumes: reader.resumes, stagedBlocks };
}
