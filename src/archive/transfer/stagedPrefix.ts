// Finds what an earlier call of the same transfer already staged: the longest chain of our blocks that starts at
// byte 0, all cut with the current block size from the same source. Uncommitted blocks survive a crashed or timed-out
// activity (Azure keeps them for a week, or until the next commit), so a retry can continue after them.
import type { BlockBlobClient } from '@azure/storage-blob';
import { blockCountOf, blockLengthOf, decodeBlockId, PREVIOUS_STATE_BYTES, type BlockIdFields } from './blockId.js';
import { Md5 } from './Md5.js';
import { statusCodeOf } from '../../shared/errors.js';

/** A resumable prefix of staged blocks. */
export type StagedPrefix = {
  /** IDs of blocks 0..n-1, in order. */
  ids: string[];
  /** The source size those blocks were cut from. */
  totalSize: number;
  /** Bytes covered by the prefix. */
  bytes: number;
} & (
  | { complete: false; /** The whole-file MD5 continued after the prefix. */ md5: Md5 }
  | { complete: true; /** The file's MD5: the prefix covers the whole source. */ finalDigest: Buffer }
);

interface Node {
  id: string;
  fields: BlockIdFields;
  parent?: Node;
  depth: number;
}

const INITIAL_STATE_PREFIX = new Md5().exportState().subarray(0, PREVIOUS_STATE_BYTES).toString('hex');

/** Pure: the longest valid chain among `blocks` (an uncommitted block list), or undefined if none starts at 0. */
export function longestStagedChain(
  blocks: ReadonlyArray<{ name: string; size: number }>,
  blockSize: number,
  sourceTag: Buffer,
): StagedPrefix | undefined {
  // Index the usable blocks by what their predecessor must look like: (index, total, previous state).
  const byLink = new Map<string, Node[]>();
  const link = (index: number, total: number, previous: string) => `${index}:${total}:${previous}`;
  for (const { name, size } of blocks) {
    const f = decodeBlockId(name);
    if (!f || f.blockSize !== blockSize || !f.sourceTag.equals(sourceTag)) continue;
    if (f.index >= blockCountOf(f.totalSize, blockSize) || size !== blockLengthOf(f.index, f.totalSize, blockSize)) continue;
    const key = link(f.index, f.totalSize, f.previousState.toString('hex'));
    const list = byLink.get(key) ?? [];
    if (!list.some((n) => n.id === name)) list.push({ id: name, fields: f, depth: 1 });
    byLink.set(key, list);
  }

  // Depth-first from every block 0 that follows the initial MD5 state; keep the deepest node. Each node has exactly
  // one possible predecessor, so every node is visited once.
  const stack = [...byLink.entries()]
    .filter(([key]) => key.startsWith('0:') && key.endsWith(`:${INITIAL_STATE_PREFIX}`))
    .flatMap(([, nodes]) => nodes);
  let best: Node | undefined;
  while (stack.length) {
    const node = stack.pop()!;
    if (!best || node.depth > best.depth) best = node;
    const { index, totalSize, state } = node.fields;
    if (index + 1 >= blockCountOf(totalSize, blockSize)) continue;
    for (const child of byLink.get(link(index + 1, totalSize, state.subarray(0, PREVIOUS_STATE_BYTES).toString('hex'))) ?? []) {
      stack.push({ ...child, parent: node, depth: node.depth + 1 });
    }
  }
  if (!best) return undefined;

  const ids: string[] = [];
  for (let n: Node | undefined = best; n; n = n.parent) ids.push(n.id);
  ids.reverse();
  const { index, totalSize, state } = best.fields;
  const bytes = Math.min(totalSize, (index + 1) * blockSize);
  const complete = index + 1 === blockCountOf(totalSize, blockSize);
  return complete
    ? { ids, totalSize, bytes, complete, finalDigest: Buffer.from(state) }
    : { ids, totalSize, bytes, complete, md5: Md5.fromState(state, bytes) };
}

/** Reads the blob's uncommitted block list and returns the resumable prefix, if any. */
export async function readStagedPrefix(
  blob: BlockBlobClient,
  blockSize: number,
  sourceTag: Buffer,
  abortSignal?: AbortSignal,
): Promise<StagedPrefix | undefined> {
  try {
    const list = await blob.getBlockList('uncommitted', { abortSignal });
    return longestStagedChain(
      (list.uncommittedBlocks ?? []).map((b) => ({ name: b.name, size: b.size })),
      blockSize,
      sourceTag,
    );
  } catch (e) {
    // No blob and no staged blocks yet: nothing to resume.
    if (statusCodeOf(e) === 404) return undefined;
    throw e;
  }
}
