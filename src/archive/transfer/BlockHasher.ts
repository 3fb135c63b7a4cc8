// Names blocks in file order and computes each block's own MD5 (for `transactionalContentMD5`) without holding the
// event loop: in the process's hash thread when there is one and the block is in shared memory, otherwise on the event
// loop in slices with a yield between them, so socket reads and upload writes keep flowing while a multi-MiB block
// goes through the (plain TypeScript) running MD5. Both ways give the same IDs and digests.
import { createHash } from 'node:crypto';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { BlockIdChain } from './BlockIdChain.js';
import type { HashThread } from './HashThread.js';

/** Bytes hashed on the event loop between two yields: a few milliseconds of work. */
export const DEFAULT_HASH_SLICE_BYTES = 1024 * 1024;

/** What the upload of one block needs from hashing. */
export interface HashedBlock {
  /** The deterministic block ID, carrying the running whole-file MD5 (see blockId.ts). */
  id: string;
  /** MD5 of this block alone, sent as `transactionalContentMD5` so Azure rejects a block damaged on the way. */
  contentMd5: Buffer;
}

/** Hashes the blocks of one transfer, strictly one at a time and in index order. */
export class BlockHasher {
  private busy = false;

  constructor(
    private readonly chain: BlockIdChain,
    private readonly totalSize: number,
    /** Where to hash shared-memory blocks; undefined hashes everything on the event loop. */
    private readonly thread?: HashThread,
    private readonly sliceBytes = DEFAULT_HASH_SLICE_BYTES,
  ) {}

  /** Adds block `index` (the next one) to the whole-file MD5 and returns its ID and its own MD5. */
  async hash(index: number, data: Buffer): Promise<HashedBlock> {
    if (this.busy) throw new Error('BlockHasher.hash called while a block is still being hashed');
    this.busy = true;
    try {
      if (this.thread && data.buffer instanceof SharedArrayBuffer) return await this.inThread(this.thread, index, data);
      return await this.onEventLoop(index, data);
    } finally {
      this.busy = false;
    }
  }

  /** The whole-file MD5 of every block hashed so far. */
  digest(): Buffer {
    return this.chain.digest();
  }

  get hashedBytes(): number {
    return this.chain.hashedBytes;
  }

  private async inThread(thread: HashThread, index: number, data: Buffer): Promise<HashedBlock> {
    const { state, length } = this.chain.stateBefore();
    const result = await thread.hash({ state, length, data, final: length + data.length >= this.totalSize });
    return { id: this.chain.sealHashed(index, data.length, result.state), contentMd5: result.contentMd5 };
  }

  private async onEventLoop(index: number, data: Buffer): Promise<HashedBlock> {
    const blockMd5 = createHash('md5');
    for (let p = 0; p < data.length; p += this.sliceBytes) {
      if (p > 0) await yieldToEventLoop();
      const part = data.subarray(p, p + this.sliceBytes);
      this.chain.absorb(part);
      blockMd5.update(part);
    }
    return { id: this.chain.seal(index), contentMd5: blockMd5.digest() };
  }
}
