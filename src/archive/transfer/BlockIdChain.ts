// Hashes blocks in file order and names each one: the whole-file MD5 advances block by block, and each block's ID
// carries the running state (see blockId.ts), which is what lets another call continue from a staged prefix.
// A block's bytes go through the MD5 here ({@link BlockIdChain.next}, or in slices with absorb/seal), or elsewhere —
// the hash thread — from the state {@link BlockIdChain.stateBefore} gives, the result coming back through
// {@link BlockIdChain.sealHashed}. Both ways give the same IDs.
import { encodeBlockId, PREVIOUS_STATE_BYTES } from './blockId.js';
import { Md5 } from './Md5.js';

/** Where a chain starts: from the beginning, or after the last block of a staged prefix. */
export interface ChainStart {
  nextIndex: number;
  md5: Md5;
}

export class BlockIdChain {
  private nextIndex: number;
  private md5: Md5;
  private previous: Buffer;
  /** The file's MD5, once the last block was sealed from a state computed elsewhere. */
  private finalDigest: Buffer | undefined;

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
    if (this.finalDigest) throw new Error('The chain is complete');
    this.md5.update(part);
  }

  /** Ends block `index` (which must be the next one) after its bytes went through {@link absorb}; returns its ID. */
  seal(index: number): string {
    this.checkNext(index, this.md5.length);
    const last = this.md5.length >= this.totalSize;
    return this.name(index, last ? this.md5.digest() : this.md5.exportState());
  }

  /** The running MD5 state before the next block and the bytes it covers: what hashing it elsewhere starts from. */
  stateBefore(): { state: Buffer; length: number } {
    if (this.finalDigest) throw new Error('The chain is complete');
    return { state: this.md5.exportState(), length: this.md5.length };
  }

  /**
   * Ends block `index` (the next one, `blockLength` bytes) with the state after it computed elsewhere from
   * {@link stateBefore} — for the last block, the file's final digest. Returns its ID.
   */
  sealHashed(index: number, blockLength: number, stateAfter: Buffer): string {
    const end = this.md5.length + blockLength;
    this.checkNext(index, end);
    if (end >= this.totalSize) this.finalDigest = stateAfter;
    else this.md5 = Md5.fromState(stateAfter, end);
    return this.name(index, stateAfter);
  }

  /** The whole-file MD5 of everything hashed so far (the file's MD5 once every block went through). */
  digest(): Buffer {
    return this.finalDigest ?? this.md5.digest();
  }

  get hashedBytes(): number {
    return this.finalDigest ? this.totalSize : this.md5.length;
  }

  private checkNext(index: number, end: number): void {
    if (this.finalDigest) throw new Error('The chain is complete');
    if (index !== this.nextIndex) throw new Error(`Block ${index} hashed out of order (expected ${this.nextIndex})`);
    const expectedEnd = Math.min(this.totalSize, (index + 1) * this.blockSize);
    if (end !== expectedEnd) throw new Error(`Block ${index} ends at byte ${end}, expected ${expectedEnd}`);
  }

  private name(index: number, state: Buffer): string {
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
}
