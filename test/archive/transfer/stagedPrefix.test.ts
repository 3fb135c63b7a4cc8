import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BlockIdChain } from '../../../src/archive/transfer/BlockIdChain.js';
import { blockLengthOf, decodeBlockId, encodeBlockId, sourceTagOf } from '../../../src/archive/transfer/blockId.js';
import { Md5 } from '../../../src/archive/transfer/Md5.js';
import { longestStagedChain } from '../../../src/archive/transfer/stagedPrefix.js';

const B = 256;

/** The block list a full transfer of `data` would stage. */
function stage(data: Buffer, blockSize = B, sourceId?: string): Array<{ name: string; size: number }> {
  const chain = new BlockIdChain(blockSize, data.length, sourceTagOf(sourceId));
  const out: Array<{ name: string; size: number }> = [];
  for (let i = 0; i * blockSize < data.length; i++) {
    const block = data.subarray(i * blockSize, (i + 1) * blockSize);
    out.push({ name: chain.next(i, block), size: block.length });
  }
  return out;
}

describe('block IDs', () => {
  it('round-trip, are all the same length (≤ 64 bytes before base64), and are deterministic', () => {
    const data = randomBytes(B * 3 + 10);
    const ids = stage(data).map((b) => b.name);
    expect(new Set(ids.map((id) => id.length)).size).toBe(1);
    expect(Buffer.from(ids[0]!, 'base64').length).toBeLessThanOrEqual(64);
    expect(stage(data).map((b) => b.name)).toEqual(ids);
    const f = decodeBlockId(ids[2]!)!;
    expect({ blockSize: f.blockSize, index: f.index, totalSize: f.totalSize }).toEqual({ blockSize: B, index: 2, totalSize: data.length });
    expect(encodeBlockId(f)).toBe(ids[2]);
    expect(decodeBlockId(Buffer.from('someone else').toString('base64'))).toBeUndefined();
  });

  it('differ when the block size, the source or the content differ', () => {
    const data = randomBytes(B * 2);
    const base = stage(data)[0]!.name;
    expect(stage(data, B * 2)[0]!.name).not.toBe(base);
    expect(stage(data, B, 'doc-1')[0]!.name).not.toBe(base);
    const changed = Buffer.from(data);
    changed[5]! ^= 1;
    expect(stage(changed)[0]!.name).not.toBe(base);
  });

  it('carry the final MD5 in the last block', () => {
    const data = randomBytes(B * 2 + 1);
    const last = stage(data).at(-1)!;
    expect(decodeBlockId(last.name)!.state.toString('hex')).toBe(new Md5().update(data).digest().toString('hex'));
    expect(blockLengthOf(2, data.length, B)).toBe(1);
  });
});

describe('longestStagedChain', () => {
  const data = randomBytes(B * 5 + 100); // 6 blocks
  const blocks = stage(data);
  const tag = sourceTagOf(undefined);

  it('returns nothing without block 0', () => {
    expect(longestStagedChain([], B, tag)).toBeUndefined();
    expect(longestStagedChain(blocks.slice(1), B, tag)).toBeUndefined();
  });

  it('keeps the contiguous prefix and continues the MD5 after it', () => {
    const prefix = longestStagedChain([blocks[0]!, blocks[1]!, blocks[2]!, blocks[4]!], B, tag)!;
    expect(prefix.complete).toBe(false);
    expect(prefix.ids).toEqual(blocks.slice(0, 3).map((b) => b.name));
    expect(prefix.bytes).toBe(3 * B);
    expect(prefix.totalSize).toBe(data.length);
    if (prefix.complete) throw new Error('unreachable');
    expect(prefix.md5.update(data.subarray(3 * B)).digest().toString('hex')).toBe(new Md5().update(data).digest().toString('hex'));
  });

  it('recognises a complete set, in any list order, and yields the file MD5', () => {
    const prefix = longestStagedChain([...blocks].reverse(), B, tag)!;
    expect(prefix.complete).toBe(true);
    expect(prefix.ids).toEqual(blocks.map((b) => b.name));
    if (!prefix.complete) throw new Error('unreachable');
    expect(prefix.finalDigest.toString('hex')).toBe(new Md5().update(data).digest().toString('hex'));
  });

  it('ignores blocks of another block size, another source, a wrong size or foreign IDs', () => {
    expect(longestStagedChain(stage(data, B * 2), B, tag)).toBeUndefined();
    expect(longestStagedChain(stage(data, B, 'doc-1'), B, tag)).toBeUndefined();
    expect(longestStagedChain([{ ...blocks[0]!, size: B - 1 }], B, tag)).toBeUndefined();
    expect(longestStagedChain([{ name: Buffer.from('x'.repeat(52)).toString('base64'), size: B }], B, tag)).toBeUndefined();
  });

  it('never links blocks of different content, even with the same size and indexes', () => {
    const other = randomBytes(data.length);
    const mixed = [...stage(other).slice(0, 2), ...blocks.slice(2)];
    const prefix = longestStagedChain(mixed, B, tag)!;
    expect(prefix.ids).toEqual(stage(other).slice(0, 2).map((b) => b.name));
    const longer = longestStagedChain([...mixed, blocks[0]!, blocks[1]!], B, tag)!;
    expect(longer.ids).toEqual(blocks.map((b) => b.name));
  });
});
