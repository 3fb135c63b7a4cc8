// Wraps a streamed download body so that failures surface as AcsRequestError instead of silence:
// - a connection reset mid-body → NetworkError (with the byte count, so the caller can resume from there);
// - a body that ends short of Content-Length → NetworkError;
// - no byte for `idleTimeoutMs` while the consumer is asking for data → Timeout (a stalled socket would otherwise
//   hang forever: the per-request timeout only covers the wait for response headers).
// It forwards chunks as they come and honours backpressure: nothing is buffered beyond the stream's highWaterMark.
import { Readable } from 'node:stream';
import { AcsRequestError } from './errors.js';
import { NETWORK_ERROR_CODE, TIMEOUT_CODE } from './toAcsRequestError.js';

export interface GuardDownloadStreamOptions {
  /** Bytes the response promised (`Content-Length`), if known. */
  expectedBytes?: number;
  /** Longest wait for the next chunk while the consumer is reading; 0 disables. */
  idleTimeoutMs: number;
}

/** Returns a Readable yielding exactly the source's bytes, or erroring with an {@link AcsRequestError}. */
export function guardDownloadStream(source: NodeJS.ReadableStream, options: GuardDownloadStreamOptions): Readable {
  return new GuardedBody(source as Readable, options);
}

class GuardedBody extends Readable {
  private received = 0;
  private done = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly source: Readable,
    private readonly options: GuardDownloadStreamOptions,
  ) {
    super();
    // Pause first so that attaching 'data' does not switch the source to flowing mode: _read() drives it.
    source.pause();
    source.on('data', (chunk: Buffer) => {
      this.clearTimer();
      this.received += chunk.length;
      if (!this.push(chunk)) source.pause();
    });
    source.once('end', () => {
      this.clearTimer();
      this.done = true;
      const { expectedBytes } = this.options;
      if (expectedBytes !== undefined && this.received < expectedBytes) {
        this.destroy(this.failure(NETWORK_ERROR_CODE, `download body ended after ${this.received} of ${expectedBytes} bytes`));
      } else {
        this.push(null);
      }
    });
    source.once('error', (e: Error) => {
      this.clearTimer();
      this.done = true;
      this.destroy(this.failure(NETWORK_ERROR_CODE, `download body failed after ${this.received} bytes: ${e.message}`, e));
    });
  }

  override _read(): void {
    this.armTimer();
    this.source.resume();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.clearTimer();
    // The consumer gave up (or we failed): close the socket instead of draining the rest of the file.
    if (!this.done) this.source.destroy();
    callback(error);
  }

  private armTimer(): void {
    const { idleTimeoutMs } = this.options;
    if (idleTimeoutMs <= 0 || this.timer || this.done) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.destroy(this.failure(TIMEOUT_CODE, `download body stalled: no data for ${idleTimeoutMs} ms after ${this.received} bytes`));
    }, idleTimeoutMs);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private failure(code: string, message: string, cause?: unknown): AcsRequestError {
    return new AcsRequestError(message, undefined, code, cause === undefined ? undefined : { cause });
  }
}
