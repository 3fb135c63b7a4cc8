// Hashes blocks in file order and names each one: the whole-file MD5 advances block by block, and each block's ID
// carries the running state (see blockId.ts), which is what lets another call continue from a staged prefix.
import { encodeBlockId, PREVIOUS_STATE_BYTES } from './blockId.js';
import { Md5 } from './Md5.js';

/** Where a chain starts: from the beginning, or after the last block of a staged prefix. */
export interface ChainStart {
  nextIndex: number;
  md5: Md5;
}

export class BlockIdChain {
  private nextIndex: number;
  private readonly md5: Md5;
  private previous: Buffer;

  constructor(
    private readonly blockSize: number,
    private readonly totalSize: number,
    private readonly sourceTag: Buffer,
    start: ChainStart = { nextIndex: 0, md5: new Md5() },
  ) {
    this.nextIndex = start.nextIndex;
    this.md5 = start.md5;
    this.previous = start.md5.exportState();
  }

  /** Adds block `index` (which must be the next one) to the whole-file hash and returns its ID. */
  next(index: number, data: Uint8Array): string {
    this.absorb(data);
    return this.seal(index);
  }

  /** Hashes part of the next block; the parts of one block, in order, then {@link seal} (lets callers hash in slices). */
  absorb(part: Uint8Array): void {
    this.md5.update(part);
  }

  /** Ends block `index` (which must be the next one) after its bytes went through {@link absorb}; returns its ID. */
  seal(index: number): string {
    if (index !== this.nextIndex) throw new Error(`Block ${index} hashed out of order (expected ${this.nextIndex})`);
    const expectedEnd = Math.min(this.totalSize, (index + 1) * this.blockSize);
    if (this.md5.length !== expectedEnd) throw new Error(`Block ${index} ends at byte ${this.md5.length}, expected ${expectedEnd}`);
    const last = this.md5.length >= this.totalSize;
    const state = last ? this.md5.digest() : this.md5.exportState();
    const id = encodeBlockId({
      blockSize: this.blockSize,
      index,
      totalSize: this.totalSize,
      sourceTag: this.sourceTag,
      previousState: this.previous.subarray(0, PREVIOUS_STATE_BYTES),
      state,
    });
    this.previous = state;
    this.nextIndex++;
    return id;
  }

  /** The whole-file MD5 of everything hashed so far (the file's MD5 once every block went through). */
  digest(): Buffer {
    return this.md5.digest();
  }

  get hashedBytes(): number {
    return this.md5.length;
  }
}
