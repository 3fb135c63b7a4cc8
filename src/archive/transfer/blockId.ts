// Deterministic, self-describing block IDs. Azure requires every block ID of a blob to have the same length (at most
// 64 bytes before base64), so the ID is a fixed 52-byte record:
//
//   0..3   "arc1"          format marker; anything else in the uncommitted list is ignored
//   4..7   block size      uint32 BE — a changed block size never mixes with blocks of another size
//   8..11  block index     uint32 BE — block k holds bytes [k*B, min((k+1)*B, total))
//   12..19 total size      uint64 BE — the source size the block was cut from
//   20..27 source tag      8 bytes of SHA-256(sourceId), or zeros — blocks of another source never mix
//   28..35 previous state  first 8 bytes of the running MD5 state before this block — links block k to k-1
//   36..51 running MD5     the whole-file MD5 state after this block; for the last block, the final digest
//
// The same bytes under the same settings always give the same IDs, so re-staging a block is idempotent, and a later
// call can resume the whole-file MD5 from the last staged block without reading the staged bytes again.
import { createHash } from 'node:crypto';
import { MD5_STATE_BYTES } from './Md5.js';

const MARKER = Buffer.from('arc1', 'latin1');
const ID_BYTES = 52;
export const SOURCE_TAG_BYTES = 8;
export const PREVIOUS_STATE_BYTES = 8;

/** The fields encoded in a block ID. */
export interface BlockIdFields {
  blockSize: number;
  index: number;
  totalSize: number;
  sourceTag: Buffer;
  previousState: Buffer;
  /** MD5 state after this block, or the final digest when this is the last block. */
  state: Buffer;
}

/** 8 bytes identifying the source (zeros when no `sourceId` is given). */
export function sourceTagOf(sourceId: string | undefined): Buffer {
  if (sourceId === undefined) return Buffer.alloc(SOURCE_TAG_BYTES);
  return createHash('sha256').update(sourceId, 'utf8').digest().subarray(0, SOURCE_TAG_BYTES);
}

export function encodeBlockId(f: BlockIdFields): string {
  const b = Buffer.alloc(ID_BYTES);
  MARKER.copy(b, 0);
  b.writeUInt32BE(f.blockSize, 4);
  b.writeUInt32BE(f.index, 8);
  b.writeBigUInt64BE(BigInt(f.totalSize), 12);
  f.sourceTag.copy(b, 20, 0, SOURCE_TAG_BYTES);
  f.previousState.copy(b, 28, 0, PREVIOUS_STATE_BYTES);
  f.state.copy(b, 36, 0, MD5_STATE_BYTES);
  return b.toString('base64');
}

/** The fields of an ID written by {@link encodeBlockId}, or undefined for any other ID. */
export function decodeBlockId(id: string): BlockIdFields | undefined {
  const b = Buffer.from(id, 'base64');
  if (b.length !== ID_BYTES || !b.subarray(0, 4).equals(MARKER)) return undefined;
  const totalSize = b.readBigUInt64BE(12);
  if (totalSize > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
  return {
    blockSize: b.readUInt32BE(4),
    index: b.readUInt32BE(8),
    totalSize: Number(totalSize),
    sourceTag: b.subarray(20, 28),
    previousState: b.subarray(28, 36),
    state: b.subarray(36, 52),
  };
}

/** Number of blocks a source of `totalSize` bytes is cut into. */
export function blockCountOf(totalSize: number, blockSize: number): number {
  return Math.ceil(totalSize / blockSize);
}

/** Byte length of block `index`. */
export function blockLengthOf(index: number, totalSize: number, blockSize: number): number {
  return Math.max(0, Math.min(blockSize, totalSize - index * blockSize));
}
