// Reuses full-size block buffers, so memory stays flat at (buffers in use) × blockSize however large the file is,
// without waiting for the garbage collector to return multi-MiB allocations.

export class BufferPool {
  private readonly free: Buffer[] = [];

  constructor(readonly blockSize: number) {}

  /** A buffer of exactly `length` bytes (contents undefined: the caller fills it completely). */
  take(length: number): Buffer {
    if (length !== this.blockSize) return Buffer.allocUnsafe(length);
    return this.free.pop() ?? Buffer.allocUnsafe(this.blockSize);
  }

  /** Returns a buffer once nothing reads it any more. */
  give(buffer: Buffer): void {
    if (buffer.length === this.blockSize) this.free.push(buffer);
  }
}
