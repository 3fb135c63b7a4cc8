// A RangeSource that generates deterministic bytes on the fly (nothing is held in memory but a 64 KiB pattern) and
// can misbehave on request: failing opens, resetting or truncating or stalling bodies, ignoring Range, lying about
// its size. It can start with given bytes (a container header) and name a Content-Type. It records every open, so
// tests can assert exactly which byte ranges were requested.
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { RangeSource, RangeSourceOpenOptions, RangeSourceResponse } from '../../../../src/archive/transfer/RangeSource.js';

/** Pattern length: prime, so no block size aligns with it and a wrong offset always shows in the bytes. */
const PERIOD = 65_521;
const CHUNK = 64 * 1024;

export interface OpenRecord {
  offset: number;
  length?: number;
}

/** Faults, each keyed by the 0-based number of the open it applies to (or applied to every open). */
export interface SourceFaults {
  /** Errors thrown by open number n instead of responding. */
  failOpen?: (open: number, offset: number) => Error | undefined;
  /** Error the body of open n after it delivered this many bytes (a connection reset). */
  resetAfter?: (open: number) => number | undefined;
  /** End the body of open n cleanly after this many bytes (a truncated response). */
  endAfter?: (open: number) => number | undefined;
  /** Stop delivering (without ending) after this many bytes of open n. */
  stallAfter?: (open: number) => number | undefined;
  /** Answer open n as an HTTP 200 that ignored the range: whole file from byte 0. */
  ignoreRange?: (open: number) => boolean;
  /** The total size reported by open n (default: the real size; `null` reports none). */
  reportTotal?: (open: number) => number | null | undefined;
}

export class GeneratedSource implements RangeSource {
  readonly label: string;
  readonly opens: OpenRecord[] = [];
  /** Bytes delivered in bodies, over all opens. */
  bytesServed = 0;
  private readonly pattern: Buffer;

  constructor(
    readonly size: number,
    readonly seed = 1,
    readonly faults: SourceFaults = {},
    /** Called for every chunk generated (e.g. to sample memory). */
    private readonly onChunk?: () => void,
    /** What the file looks like: its first bytes (e.g. a container header) and the Content-Type it is served with. */
    readonly shape: { head?: Buffer; contentType?: string } = {},
  ) {
    this.label = `generated:${seed}:${size}`;
    const parts: Buffer[] = [];
    let h = createHash('sha256').update(`seed-${seed}`).digest();
    for (let n = 0; n < PERIOD; n += h.length) {
      parts.push(h);
      h = createHash('sha256').update(h).digest();
    }
    this.pattern = Buffer.concat(parts).subarray(0, PERIOD);
  }

  /** Bytes [start, start + length) of the file. */
  bytes(start: number, length: number): Buffer {
    const out = Buffer.allocUnsafe(length);
    let p = start;
    let j = 0;
    while (j < length) {
      const cycle = Math.floor(p / PERIOD);
      const k0 = p - cycle * PERIOD;
      const n = Math.min(length - j, PERIOD - k0);
      const x = (cycle * 151 + this.seed) & 0xff;
      for (let k = k0; k < k0 + n; k++) out[j++] = this.pattern[k]! ^ x;
      p += n;
    }
    const head = this.shape.head;
    if (head && start < head.length) head.copy(out, 0, start, Math.min(head.length, start + length));
    return out;
  }

  /** MD5 (base64) of the whole file, computed by streaming the generator. */
  md5Base64(): string {
    const h = createHash('md5');
    for (let p = 0; p < this.size; p += 4 * CHUNK) h.update(this.bytes(p, Math.min(4 * CHUNK, this.size - p)));
    return h.digest('base64');
  }

  async open(offset: number, options: RangeSourceOpenOptions = {}): Promise<RangeSourceResponse> {
    const n = this.opens.length;
    this.opens.push(options.length === undefined ? { offset } : { offset, length: options.length });
    await Promise.resolve();
    const failure = this.faults.failOpen?.(n, offset);
    if (failure) throw failure;
    const ignore = this.faults.ignoreRange?.(n) ?? false;
    const start = ignore ? 0 : offset;
    if (start > this.size || (start === this.size && options.length !== undefined && this.size > 0)) {
      throw Object.assign(new Error(`Range not satisfiable: ${offset} of ${this.size}`), { statusCode: 416 });
    }
    const end = ignore || options.length === undefined ? this.size : Math.min(this.size, offset + options.length);
    const reported = this.faults.reportTotal?.(n);
    const response: RangeSourceResponse = { body: this.stream(n, start, end, options.abortSignal), start, contentLength: end - start };
    if (reported !== null) response.totalSize = reported ?? this.size;
    if (this.shape.contentType !== undefined) response.contentType = this.shape.contentType;
    return response;
  }

  private stream(open: number, start: number, end: number, abortSignal: AbortSignal | undefined): Readable {
    const resetAfter = this.faults.resetAfter?.(open);
    const endAfter = this.faults.endAfter?.(open);
    const stallAfter = this.faults.stallAfter?.(open);
    let pos = start;
    let sent = 0;
    const stream = new Readable({
      highWaterMark: CHUNK,
      read: () => {
        if (resetAfter !== undefined && sent >= resetAfter) {
          // Reset only once the consumer has everything sent so far (destroy() would discard buffered chunks),
          // so the byte count at which a reset happens is exact.
          const reset = () => {
            if (stream.destroyed) return;
            if (stream.readableLength > 0) setTimeout(reset, 1);
            else stream.destroy(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }));
          };
          reset();
          return;
        }
        if ((endAfter !== undefined && sent >= endAfter) || pos >= end) {
          stream.push(null);
          return;
        }
        if (stallAfter !== undefined && sent >= stallAfter) return; // never push again
        const limit = Math.min(end, start + Math.min(resetAfter ?? Infinity, endAfter ?? Infinity, stallAfter ?? Infinity));
        const n = Math.min(CHUNK, limit - pos);
        const chunk = this.bytes(pos, n);
        pos += n;
        sent += n;
        this.bytesServed += n;
        this.onChunk?.();
        stream.push(chunk);
      },
    });
    abortSignal?.addEventListener('abort', () => stream.destroy(new Error('aborted')), { once: true });
    return stream;
  }
}
