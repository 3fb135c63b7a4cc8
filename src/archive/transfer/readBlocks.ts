// Cuts the source into blocks k = [k*B, min((k+1)*B, total)) and hands them to `onBlock` strictly in index order
// (the whole-file MD5 needs them in order). Two strategies with the same contract:
// - sequential: one streaming response, resumed by offset; memory = the block being filled;
// - parallel:   one ranged request per block, `concurrency` in flight; memory = `concurrency` blocks being filled.
// Blocks handed over belong to `onBlock`, which returns them to the pool once uploaded. Buffers come from the pool,
// so a reader that runs ahead of hashing and uploads waits there (the pool's capacity bounds memory).
import { blockLengthOf } from './blockId.js';
import type { BufferPool } from './BufferPool.js';
import type { SourceReader } from './SourceReader.js';

export type OnBlock = (index: number, data: Buffer) => Promise<void> | void;

/** Reads blocks `startIndex`.. to the end of the source through one (resumable) stream. */
export async function readBlocksSequentially(
  reader: SourceReader,
  pool: BufferPool,
  startIndex: number,
  onBlock: OnBlock,
  abortSignal?: AbortSignal,
): Promise<void> {
  const blockSize = pool.blockSize;
  let index = startIndex;
  let block: Buffer | undefined;
  let filled = 0;
  await reader.readRange(startIndex * blockSize, undefined, async (chunk) => {
    for (let p = 0; p < chunk.length; ) {
      block ??= await pool.acquire(blockLengthOf(index, reader.totalSize!, blockSize), abortSignal);
      const n = chunk.copy(block, filled, p, p + Math.min(chunk.length - p, block.length - filled));
      filled += n;
      p += n;
      if (filled === block.length) {
        const full = block;
        block = undefined;
        filled = 0;
        await onBlock(index++, full);
      }
    }
  });
  if (block) throw new Error(`Block ${index} incomplete after the source ended (${filled} of ${block.length} bytes)`);
}

/** Reads block `index` completely (resuming inside the block if needed). */
async function readBlock(reader: SourceReader, pool: BufferPool, index: number, abortSignal: AbortSignal | undefined): Promise<Buffer> {
  const blockSize = pool.blockSize;
  const start = index * blockSize;
  const block = await pool.acquire(blockLengthOf(index, reader.totalSize!, blockSize), abortSignal);
  let filled = 0;
  await reader.readRange(start, start + block.length, (chunk) => {
    filled += chunk.copy(block, filled);
  });
  return block;
}

/**
 * Reads blocks `startIndex`.. with up to `concurrency` ranged requests at once, handing them over in order.
 * The source size must be known (the caller reads the first block with {@link readFirstBlock} if it is not).
 */
export async function readBlocksInParallel(
  reader: SourceReader,
  pool: BufferPool,
  startIndex: number,
  blockCount: number,
  concurrency: number,
  onBlock: OnBlock,
  /** Cancels the other requests after a failure. */
  abort: () => void,
  abortSignal?: AbortSignal,
): Promise<void> {
  const pending: Promise<Buffer>[] = [];
  let next = startIndex;
  const fill = () => {
    while (pending.length < concurrency && next < blockCount) {
      const p = readBlock(reader, pool, next++, abortSignal);
      // Failures surface when the block's turn comes; never as an unhandled rejection meanwhile.
      p.catch(() => undefined);
      pending.push(p);
    }
  };
  try {
    for (let index = startIndex; index < blockCount; index++) {
      fill();
      const block = await pending.shift()!;
      await onBlock(index, block);
    }
  } catch (e) {
    // Cancel the other requests and wait for them, so none outlives the call.
    abort();
    await Promise.allSettled(pending);
    throw e;
  }
}

/** Reads block `index` with a ranged request even while the source size is still unknown (learns it). */
export async function readFirstBlock(
  reader: SourceReader,
  pool: BufferPool,
  index: number,
  onBlock: OnBlock,
  abortSignal?: AbortSignal,
): Promise<void> {
  const blockSize = pool.blockSize;
  const start = index * blockSize;
  let block: Buffer | undefined;
  let filled = 0;
  await reader.readRange(start, start + blockSize, async (chunk) => {
    block ??= await pool.acquire(blockLengthOf(index, reader.totalSize!, blockSize), abortSignal);
    filled += chunk.copy(block, filled);
  });
  if (block) await onBlock(index, block);
}
