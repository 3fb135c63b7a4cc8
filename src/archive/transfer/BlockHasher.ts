// Names blocks in file order and computes each block's own MD5 (for `transactionalContentMD5`), without holding the
// event loop for long: a block is hashed in slices with a yield between them, so socket reads and upload writes keep
// flowing while a multi-MiB block goes through the (plain TypeScript) running MD5.
import { createHash } from 'node:crypto';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { BlockIdChain } from './BlockIdChain.js';

/** Bytes hashed between two yields to the event loop: a few milliseconds of work. */
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
    private readonly sliceBytes = DEFAULT_HASH_SLICE_BYTES,
  ) {}

  /** Adds block `index` (the next one) to the whole-file MD5 and returns its ID and its own MD5. */
  async hash(index: number, data: Buffer): Promise<HashedBlock> {
    if (this.busy) throw new Error('BlockHasher.hash called while a block is still being hashed');
    this.busy = true;
    try {
      const blockMd5 = createHash('md5');
      for (let p = 0; p < data.length; p += this.sliceBytes) {
        if (p > 0) await yieldToEventLoop();
        const part = data.subarray(p, p + this.sliceBytes);
        this.chain.absorb(part);
        blockMd5.update(part);
      }
      return { id: this.chain.seal(index), contentMd5: blockMd5.digest() };
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
}
