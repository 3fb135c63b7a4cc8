// Deterministic, generated-on-the-fly recording bytes: files of several GiB stream at memory speed with O(1) memory.
//
// One 1 MiB pseudo-random block is computed once from the seed. Block k of a document is that block with its first
// 16 bytes replaced by (first 8 bytes of SHA-256(documentId), k as uint64 BE), so every block of every document is
// distinct (a client that repeats or skips a block fails its MD5) while serving is zero-copy: the shared block is
// pushed as a read-only subarray. Consumers must not mutate the chunks they receive. A file of a recording format
// starts with that format's container header (containerHeader.ts) in front of block 0's 16-byte header.
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { containerHeader, type MediaFormat } from './containerHeader.js';

export const MEDIA_BLOCK_SIZE = 1024 * 1024;
const HEADER_SIZE = 16;
/** Largest piece pushed at once; keeps per-stream buffering near the stream's highWaterMark. */
const MAX_PUSH = 256 * 1024;

/** splitmix32: small, fast, good enough to make incompressible bytes from a seed. */
function fillPseudoRandom(target: Buffer, seed: number): void {
  let state = seed >>> 0;
  for (let i = 0; i + 4 <= target.length; i += 4) {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    z = (z ^ (z >>> 16)) >>> 0;
    target.writeUInt32LE(z, i);
  }
}

/** Generates the bytes of recording files from a seed. */
export class DeterministicMedia {
  private readonly block: Buffer;

  constructor(readonly seed: number) {
    this.block = Buffer.alloc(MEDIA_BLOCK_SIZE);
    fillPseudoRandom(this.block, seed);
  }

  /**
   * A stream of bytes [start, endInclusive] of the `size`-byte file `documentId`. The range must lie inside the file
   * (callers validate ranges); an empty range (`endInclusive < start`) yields an empty stream. With a `format`, the
   * file starts with that format's container header (so it carries the signature of a real recording).
   */
  open(documentId: string, size: number, start = 0, endInclusive = size - 1, format?: MediaFormat): Readable {
    if (start < 0 || endInclusive >= size || !Number.isSafeInteger(start) || !Number.isSafeInteger(endInclusive)) {
      throw new RangeError(`range ${start}-${endInclusive} is outside the ${size}-byte file`);
    }
    let pos = start;
    const end = endInclusive + 1;
    const block = this.block;
    // The first 8 bytes of every block header of this document; computed once per stream, not per block.
    const documentPrefix = createHash('sha256').update(documentId).digest().subarray(0, 8);
    const container = format === undefined ? Buffer.alloc(0) : containerHeader(format, size);
    let headerFor = -1;
    let header: Buffer = Buffer.alloc(0);
    return new Readable({
      read() {
        // Push until the stream asks us to stop (backpressure) or the range is done.
        for (;;) {
          if (pos >= end) {
            this.push(null);
            return;
          }
          const k = Math.floor(pos / MEDIA_BLOCK_SIZE);
          const offset = pos - k * MEDIA_BLOCK_SIZE;
          const blockEnd = Math.min(MEDIA_BLOCK_SIZE, offset + (end - pos));
          // Block 0 of a recording format carries the container header in front of its own header.
          const headerSize = HEADER_SIZE + (k === 0 ? container.length : 0);
          let piece: Buffer;
          if (offset < headerSize) {
            if (headerFor !== k) {
              // A fresh buffer per block: pushed chunks are never changed afterwards.
              header = Buffer.alloc(headerSize);
              if (k === 0) container.copy(header, 0);
              documentPrefix.copy(header, headerSize - HEADER_SIZE);
              header.writeBigUInt64BE(BigInt(k), headerSize - 8);
              headerFor = k;
            }
            piece = header.subarray(offset, Math.min(headerSize, blockEnd));
          } else {
            piece = block.subarray(offset, Math.min(blockEnd, offset + MAX_PUSH));
          }
          pos += piece.length;
          if (!this.push(piece)) return;
        }
      },
    });
  }
}
