// The content proof: a copy counts as verified only when the bytes are the file they claim to be — checked on the
// response heads and the blocks the transfer reads anyway (no extra request), also when it resumes (within a call and
// from blocks an earlier call staged), and on an already archived blob.
import type { ContainerClient } from '@azure/storage-blob';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AcsRequestError } from '../../../src/acs/errors.js';
import { mediaProof, metadataProof } from '../../../src/archive/chunkFileProofs.js';
import { hasContainerSignature } from '../../../src/archive/recordingContainer.js';
import { isTextualContentType } from '../../../src/archive/transfer/ContentProof.js';
import { ContentProofError } from '../../../src/archive/transfer/errors.js';
import { BlockIdChain } from '../../../src/archive/transfer/BlockIdChain.js';
import { blockSourceTag, transferToBlockBlob, type TransferOptions } from '../../../src/archive/transfer/transferToBlockBlob.js';
import { GeneratedSource } from './support/GeneratedSource.js';
import { newContainer, storedDigest } from './support/storage.js';

const B = 64 * 1024;
const SIZE = 10 * B + 5_000; // 11 blocks
const WAV_HEAD = Buffer.concat([Buffer.from('RIFF'), Buffer.from([0, 0, 0, 0]), Buffer.from('WAVEfmt ')]);
const options: TransferOptions = { contentType: 'audio/wav', blockSizeBytes: B, retryDelayMs: 1, maxRetryDelayMs: 5, sourceId: 'doc-1/content' };
const wavOptions: TransferOptions = { ...options, proof: mediaProof('wav') };
const gone = () => new AcsRequestError('file expired', 404, 'NotFound');
let container: ContainerClient;

const wav = (size = SIZE, seed = 1, faults = {}, contentType = 'application/octet-stream') =>
  new GeneratedSource(size, seed, faults, undefined, { head: WAV_HEAD, contentType });

beforeEach(async () => {
  container = await newContainer('proof');
});
afterEach(async () => {
  await container.deleteIfExists();
});

async function uncommitted(name: string): Promise<number> {
  try {
    return (await container.getBlockBlobClient(name).getBlockList('uncommitted')).uncommittedBlocks?.length ?? 0;
  } catch {
    return 0;
  }
}

describe('what counts as a recording', () => {
  it('textual media types: text/*, */json, */*+json, */xml, */*+xml, */html; not audio, video or octet-stream', () => {
    for (const t of ['text/html', 'text/plain; charset=utf-8', 'application/json', 'application/problem+json', 'application/xml', 'image/svg+xml', 'application/html', 'TEXT/HTML'])
      expect(isTextualContentType(t), t).toBe(true);
    for (const t of [undefined, 'application/octet-stream', 'audio/wav', 'audio/mpeg', 'video/mp4', 'application/jsonl-ish', 'bogus'])
      expect(isTextualContentType(t), String(t)).toBe(false);
  });

  it('container signatures: WAV RIFF…WAVE (or RF64), MP4 ftyp at 4–7, MP3 ID3 or a frame sync; any of them without a format', () => {
    const b = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));
    const wavHead = b('RIFF', [1, 2, 3, 4], 'WAVE');
    const mp4Head = b([0, 0, 0, 24], 'ftypisom');
    const id3 = b('ID3', [4, 0, 0, 0, 0, 0, 0]);
    const sync = b([0xff, 0xfb, 0x90, 0x64]);
    expect(hasContainerSignature(wavHead, 'wav')).toBe(true);
    expect(hasContainerSignature(b('RF64', [0, 0, 0, 0], 'WAVE'), 'wav')).toBe(true);
    expect(hasContainerSignature(b('RIFF', [1, 2, 3, 4], 'AVI '), 'wav')).toBe(false);
    expect(hasContainerSignature(mp4Head, 'mp4')).toBe(true);
    expect(hasContainerSignature(b('ftypisom'), 'mp4')).toBe(false);
    expect(hasContainerSignature(id3, 'mp3')).toBe(true);
    expect(hasContainerSignature(sync, 'mp3')).toBe(true);
    expect(hasContainerSignature(b([0xff, 0xd8, 0xff]), 'mp3')).toBe(false); // JPEG: 0xD8 lacks the top three bits
    for (const wrong of [b(''), b('<!DOCTYPE html>'), b('{"error":1}'), Buffer.alloc(12)]) {
      for (const f of ['wav', 'mp3', 'mp4', undefined] as const) expect(hasContainerSignature(wrong, f)).toBe(false);
    }
    expect(hasContainerSignature(wavHead, 'mp4')).toBe(false);
    for (const h of [wavHead, mp4Head, id3, sync]) expect(hasContainerSignature(h, undefined)).toBe(true);
  });

  it("metadata: a JSON object whose chunkDocumentId and chunkIndex, where present, are the chunk's", () => {
    const proof = metadataProof('0-eus-d1-aaa', 2);
    const check = (doc: string) => () => proof.checkStored(Buffer.from(doc), Buffer.byteLength(doc));
    expect(check('{"chunkDocumentId":"0-eus-d1-aaa","chunkIndex":2}')).not.toThrow();
    expect(check('{"participants":[]}')).not.toThrow();
    for (const bad of ['{"chunkDocumentId":"0-eus-d1-bbb","chunkIndex":2}', '{"chunkDocumentId":"0-eus-d1-aaa","chunkIndex":3}', '[]', 'null', '"x"', '<html>', '{"chunkIndex":"2"}']) {
      expect(check(bad), bad).toThrow(expect.objectContaining({ code: 'MetadataMismatch' }) as Error);
    }
    expect(() => proof.checkStored(Buffer.alloc(0), 0)).toThrow(/empty/);
  });
});

describe('transferToBlockBlob with a proof', () => {
  it.each([
    ['a textual Content-Type', wav(SIZE, 1, {}, 'text/html; charset=utf-8'), /textual Content-Type/],
    ['an empty body', wav(0), /empty/],
    ['the wrong signature', new GeneratedSource(SIZE, 2), /does not start like a wav file/],
  ])('refuses %s with NotARecording: not resumed, nothing committed or staged', async (_name, source, message) => {
    const blob = container.getBlockBlobClient('m');
    const e = await transferToBlockBlob(source, blob, wavOptions).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(ContentProofError);
    expect(e).toMatchObject({ code: 'NotARecording', message: expect.stringMatching(message) as string });
    expect(source.opens).toHaveLength(1);
    expect(await blob.exists()).toBe(false);
    expect(await uncommitted('m')).toBe(0);
  });

  it('archives a real recording, also through a reset mid-stream and with parallel ranges', async () => {
    for (const [name, source, extra] of [
      ['seq', wav(SIZE, 3, { resetAfter: (n: number) => (n === 0 ? 3 * B + 10 : undefined) }), {}],
      ['par', wav(SIZE, 3), { concurrency: 3 }],
    ] as const) {
      const result = await transferToBlockBlob(source, container.getBlockBlobClient(name), { ...wavOptions, ...extra });
      expect(result).toMatchObject({ sizeBytes: SIZE, md5Base64: source.md5Base64() });
      expect(await storedDigest(container.getBlockBlobClient(name))).toEqual({ md5Base64: source.md5Base64(), length: SIZE });
    }
  });

  it('continues blocks staged under the same proof, and never blocks staged without it', async () => {
    const interrupted = (seed: number) => wav(SIZE, seed, { resetAfter: (n: number) => (n === 0 ? 4 * B + 500 : undefined), failOpen: (n: number) => (n > 0 ? gone() : undefined) });
    // Staged by a call that proved block 0: the next call reads only the rest.
    await expect(transferToBlockBlob(interrupted(4), container.getBlockBlobClient('p'), wavOptions)).rejects.toMatchObject({ statusCode: 404 });
    expect(await uncommitted('p')).toBe(4);
    const rest = wav(SIZE, 4);
    expect(await transferToBlockBlob(rest, container.getBlockBlobClient('p'), wavOptions)).toMatchObject({ resumedFromBytes: 4 * B, md5Base64: rest.md5Base64() });
    expect(rest.opens).toEqual([{ offset: 4 * B }]);

    // Staged by a call without the proof (an older version): block 0 was never proven, so the copy starts over —
    // and a source whose first bytes are not a recording is refused although the rest would match.
    await expect(transferToBlockBlob(new GeneratedSource(SIZE, 5, { resetAfter: (n) => (n === 0 ? 4 * B : undefined), failOpen: (n) => (n > 0 ? gone() : undefined) }), container.getBlockBlobClient('q'), options)).rejects.toMatchObject({ statusCode: 404 });
    expect(await uncommitted('q')).toBe(4);
    const fake = new GeneratedSource(SIZE, 5);
    await expect(transferToBlockBlob(fake, container.getBlockBlobClient('q'), wavOptions)).rejects.toMatchObject({ code: 'NotARecording' });
    expect(fake.opens).toEqual([{ offset: 0 }]);
    expect(await container.getBlockBlobClient('q').exists()).toBe(false);
  });

  it('commits a fully staged copy without reading only when it was staged under the proof', async () => {
    const stageAll = async (name: string, source: GeneratedSource, tag: Buffer) => {
      const blob = container.getBlockBlobClient(name);
      const chain = new BlockIdChain(B, source.size, tag);
      for (let i = 0; i * B < source.size; i++) {
        const data = source.bytes(i * B, Math.min(B, source.size - i * B));
        await blob.stageBlock(chain.next(i, data), data, data.length);
      }
      return blob;
    };
    const proof = mediaProof('wav');
    const real = wav(3 * B + 1, 6);
    const proven = await stageAll('s1', real, blockSourceTag(options.sourceId, proof));
    expect(await transferToBlockBlob(real, proven, wavOptions)).toMatchObject({ resumedFromBytes: real.size, md5Base64: real.md5Base64() });
    expect(real.opens).toEqual([]);
    // The same bytes of a non-recording, fully staged without the proof: never committed, the source is read and refused.
    const fake = new GeneratedSource(3 * B + 1, 6);
    const unproven = await stageAll('s2', fake, blockSourceTag(options.sourceId, undefined));
    await expect(transferToBlockBlob(fake, unproven, wavOptions)).rejects.toMatchObject({ code: 'NotARecording' });
    expect(fake.opens).toEqual([{ offset: 0 }]);
    expect(await unproven.exists()).toBe(false);
  });

  it('replaces an archived blob that is not a recording (archived before the proof existed), and reuses a real one', async () => {
    const blob = container.getBlockBlobClient('r');
    const page = new GeneratedSource(200, 7, {}, undefined, { head: Buffer.from('<!DOCTYPE html><html>blocked</html>'), contentType: 'text/html' });
    await transferToBlockBlob(page, blob, options); // the old behaviour: verified = "equals what we received"
    const real = wav(SIZE, 7);
    const replaced = await transferToBlockBlob(real, blob, wavOptions);
    expect(replaced).toMatchObject({ reusedExisting: false, sizeBytes: SIZE, md5Base64: real.md5Base64() });
    expect(await storedDigest(blob)).toEqual({ md5Base64: real.md5Base64(), length: SIZE });
    const again = wav(SIZE, 7);
    expect(await transferToBlockBlob(again, blob, wavOptions)).toMatchObject({ reusedExisting: true });
    expect(again.opens).toEqual([]);
  });

  it('proves a metadata document of several blocks as a whole, before its last block is staged', async () => {
    const doc = Buffer.from(JSON.stringify({ chunkDocumentId: 'doc-9', chunkIndex: 1, pad: 'x'.repeat(3 * B) }));
    const source = new GeneratedSource(doc.length, 8, {}, undefined, { head: doc });
    const ok = await transferToBlockBlob(source, container.getBlockBlobClient('md'), { ...options, proof: metadataProof('doc-9', 1) });
    expect(ok).toMatchObject({ sizeBytes: doc.length, md5Base64: source.md5Base64() });
    const other = new GeneratedSource(doc.length, 8, {}, undefined, { head: doc });
    const blob = container.getBlockBlobClient('md2');
    await expect(transferToBlockBlob(other, blob, { ...options, proof: metadataProof('doc-10', 1) })).rejects.toMatchObject({ code: 'MetadataMismatch' });
    expect(await blob.exists()).toBe(false);
    // The blocks before the last may be staged; the last (and so a complete, committable set) never is.
    expect(await uncommitted('md2')).toBeLessThan(Math.ceil(doc.length / B));
  });
});
