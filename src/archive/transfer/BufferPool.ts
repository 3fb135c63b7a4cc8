// Hands out block buffers, at most `capacity` at a time, and reuses full-size ones: memory stays flat at
import { abortReason } from '../../shared/abort.js';
// capacity × blockSize however large the file is, without waiting for the garbage collector to return multi-MiB
// allocations. The bound is also the transfer's backpressure: a reader that wants a buffer while every one is being
// hashed or uploaded waits for one to come back. With `shared`, buffers live in SharedArrayBuffers, so the hash
// thread reads them in place.

export class BufferPool {
  private readonly free: Buffer[] = [];
  private readonly waiting: Array<() => void> = [];
  private inUse = 0;

  constructor(
    readonly blockSize: number,
    /** Buffers out at once (the last, shorter block counts too). */
    readonly capacity = Number.POSITIVE_INFINITY,
    /** Allocate in shared memory (for the hash thread). */
    readonly shared = false,
  ) {}

  /** Buffers handed out and not yet given back. */
  get outstanding(): number {
    return this.inUse;
  }

  /**
   * A buffer of exactly `length` bytes (contents undefined: the caller fills it completely), once fewer than
   * `capacity` are out. Waiters are served first come, first served — readers rely on it: the block needed next is
   * always asked for before the ones after it, so it cannot be starved by them.
   */
  async acquire(length: number, abortSignal?: AbortSignal): Promise<Buffer> {
    if (this.inUse >= this.capacity || this.waiting.length > 0) {
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => {
          const i = this.waiting.indexOf(grant);
          if (i >= 0) this.waiting.splice(i, 1);
          reject(abortReason(abortSignal!, 'The transfer was aborted.'));
        };
        const grant = () => {
          abortSignal?.removeEventListener('abort', onAbort);
          resolve();
        };
        if (abortSignal?.aborted) return onAbort();
        abortSignal?.addEventListener('abort', onAbort, { once: true });
        this.waiting.push(grant);
      });
    } else {
      this.inUse++;
    }
    if (length !== this.blockSize) return this.allocate(length);
    return this.free.pop() ?? this.allocate(this.blockSize);
  }

  private allocate(length: number): Buffer {
    return this.shared ? Buffer.from(new SharedArrayBuffer(length)) : Buffer.allocUnsafe(length);
  }

  /** Returns a buffer from {@link acquire} once nothing reads it any more; wakes the oldest waiter. */
  release(buffer: Buffer): void {
    if (buffer.length === this.blockSize) this.free.push(buffer);
    const next = this.waiting.shift();
    // The slot passes straight to the waiter: `inUse` stays the same.
    if (next) next();
    else this.inUse--;
  }
}
