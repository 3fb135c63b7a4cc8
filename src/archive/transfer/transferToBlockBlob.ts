// Streams one source (an ACS recording file) into one block blob, exactly once and verified:
//   1. a blob already holding a verified copy (verifiedCopy.ts, and passing the caller's content proof, if any) is
//      reused without reading the source;
//   2. blocks staged by an earlier, interrupted call are kept and the copy continues after them;
//   3. the rest is streamed in fixed-size blocks (memory: a few blocks, whatever the file size), each staged with its
//      own MD5, while the whole-file MD5 is computed on the way; reading, hashing and uploads overlap; broken streams
//      resume by offset; the content proof sees every response head and every block before it is staged;
//   4. the block list is committed once, with Content-MD5 and the completion marker, then read back and checked
//      (the same decision as in step 1, held to the size and MD5 just computed).
import type { BlockBlobClient } from '@azure/storage-blob';
import { silentLogger, type Logger } from '../../shared/logging.js';
import { blobLogName } from '../blobLayout.js';
import { sourceTagOf } from './blockId.js';
import type { ContentProof } from './ContentProof.js';
import { isContentProofError, TransferConflictError, TransferVerificationError } from './errors.js';
import type { RangeSource } from './RangeSource.js';
import { StaleStagedPrefixError } from './SourceReader.js';
import { readStagedPrefix } from './stagedPrefix.js';
import { stageFromSource, type StagedCopy } from './stageFromSource.js';
import { completionMetadata, inspectBlob, verifiedCopyOf, type BlobCopy } from './verifiedCopy.js';
import { statusCodeOf } from '../../shared/errors.js';
import {
  DEFAULT_BLOCK_SIZE_BYTES,
  DEFAULT_TRANSFER_CONCURRENCY,
  DEFAULT_UPLOAD_CONCURRENCY,
  DEFAULT_MAX_RESUMES,
  DEFAULT_RETRY_DELAY_MS,
  DEFAULT_MAX_RETRY_DELAY_MS,
  DEFAULT_IDLE_TIMEOUT_MS,
  MAX_BLOCK_SIZE_BYTES,
  MAX_TRANSFER_CONCURRENCY,
  MAX_UPLOAD_CONCURRENCY,
} from './transferDefaults.js';


/** Options to configure {@link transferToBlockBlob}. */
export interface TransferOptions {
  /** Block size, a multiple of 64 bytes up to 4000 MiB. Default {@link DEFAULT_BLOCK_SIZE_BYTES} (8 MiB). */
  blockSizeBytes?: number;
  /** Ranged requests read in parallel. Default {@link DEFAULT_TRANSFER_CONCURRENCY} (one streaming request). */
  concurrency?: number;
  /**
   * Blocks uploaded in parallel, independently of {@link concurrency}: while they are on their way, the source keeps
   * being read. Default: {@link uploadConcurrencyFor}(concurrency), i.e. 4 with one range stream.
   * Memory: (concurrency + uploadConcurrency) × block size.
   */
  uploadConcurrency?: number;
  /**
   * Hash blocks in the process's hash thread (one worker thread shared by all transfers), so the event loop only moves
   * bytes. Default true; false (or no runnable worker code) hashes on the event loop in slices. Same IDs either way.
   */
  hashThread?: boolean;
  /** The blob's Content-Type. */
  contentType: string;
  /** Blob metadata (ASCII). The engine adds its completion marker (`archivesize`, `archivemd5`, …). */
  metadata?: Record<string, string>;
  /** Blob index tags. */
  tags?: Record<string, string>;
  /** Resumes of the source (failed opens, broken streams) allowed per call. Default {@link DEFAULT_MAX_RESUMES}. */
  maxResumes?: number;
  logger?: Logger;
  abortSignal?: AbortSignal;
  /**
   * Identifies the source's content, e.g. the ACS document ID and file kind. When set, staged blocks and an existing
   * archive are only reused if they came from the same source, and an archive of another source is never replaced.
   */
  sourceId?: string;
  /**
   * Proves the bytes are the file they claim to be (e.g. a recording of the expected format), on what the copy reads
   * anyway: every response's head and every block in order, before it is staged. A copy that fails throws
   * {@link ContentProofError} and commits nothing. An existing verified blob is checked too (from its leading bytes)
   * and replaced if it fails; blocks staged without this proof are not continued.
   */
  proof?: ContentProof;
  /** First delay before reopening the source; doubles per resume (with jitter). Default 1 s. */
  retryDelayMs?: number;
  /**
   * Longest backoff delay. Default 30 s. A `Retry-After` is honoured up to `MAX_QUICK_RETRY_AFTER_MS` (60 s); a longer
   * one ends the call with the failure, for the orchestration to wait for.
   */
  maxRetryDelayMs?: number;
  /** A source body silent for this long is abandoned and resumed. Default 60 s. */
  idleTimeoutMs?: number;
}

/** The outcome of {@link transferToBlockBlob}. */
export interface TransferResult {
  sizeBytes: number;
  /** MD5 of the whole file, base64 (as in Content-MD5). */
  md5Base64: string;
  /** Blocks in the committed blob. */
  blockCount: number;
  /** Source resumes spent by this call. */
  resumes: number;
  /** True when a verified copy was already there (nothing was read or written). */
  reusedExisting: boolean;
  /** Bytes already staged by an earlier call and not read again. */
  resumedFromBytes: number;
  etag?: string;
}

interface Settings {
  blockSize: number;
  concurrency: number;
  uploadConcurrency: number;
  hashThread: boolean;
  maxResumes: number;
  retryDelayMs: number;
  maxRetryDelayMs: number;
  idleTimeoutMs: number;
}

/**
 * The default number of uploads in flight for `concurrency` ranges: {@link DEFAULT_UPLOAD_CONCURRENCY}, or one per
 * range when there are more ranges. Fewer upload slots than ranges caps the transfer at the upload side, and when one
 * upload connection is slower than the source, more slots are what keeps up (docs/benchmarks.md, sweeps "storage"
 * and "wan"); on loopback the number makes no difference.
 */
export function uploadConcurrencyFor(concurrency: number): number {
  return Math.max(DEFAULT_UPLOAD_CONCURRENCY, concurrency);
}

function settingsOf(o: TransferOptions): Settings {
  const s: Settings = {
    blockSize: o.blockSizeBytes ?? DEFAULT_BLOCK_SIZE_BYTES,
    concurrency: o.concurrency ?? DEFAULT_TRANSFER_CONCURRENCY,
    uploadConcurrency: o.uploadConcurrency ?? uploadConcurrencyFor(o.concurrency ?? DEFAULT_TRANSFER_CONCURRENCY),
    hashThread: o.hashThread ?? true,
    maxResumes: o.maxResumes ?? DEFAULT_MAX_RESUMES,
    retryDelayMs: o.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS,
    maxRetryDelayMs: o.maxRetryDelayMs ?? DEFAULT_MAX_RETRY_DELAY_MS,
    idleTimeoutMs: o.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
  };
  // Block boundaries must fall on MD5's 64-byte boundaries, so the running hash state fits in a block ID.
  if (!Number.isSafeInteger(s.blockSize) || s.blockSize < 64 || s.blockSize % 64 !== 0 || s.blockSize > MAX_BLOCK_SIZE_BYTES) {
    throw new RangeError(`blockSizeBytes must be a multiple of 64 from 64 to ${MAX_BLOCK_SIZE_BYTES}, got ${o.blockSizeBytes}`);
  }
  if (!Number.isInteger(s.concurrency) || s.concurrency < 1 || s.concurrency > MAX_TRANSFER_CONCURRENCY) {
    throw new RangeError(`concurrency must be an integer from 1 to ${MAX_TRANSFER_CONCURRENCY}, got ${o.concurrency}`);
  }
  if (!Number.isInteger(s.uploadConcurrency) || s.uploadConcurrency < 1 || s.uploadConcurrency > MAX_UPLOAD_CONCURRENCY) {
    throw new RangeError(`uploadConcurrency must be an integer from 1 to ${MAX_UPLOAD_CONCURRENCY}, got ${o.uploadConcurrency}`);
  }
  for (const key of ['maxResumes', 'retryDelayMs', 'maxRetryDelayMs', 'idleTimeoutMs'] as const) {
    if (!Number.isFinite(s[key]) || s[key] < 0) throw new RangeError(`${key} must be a non-negative number, got ${o[key]}`);
  }
  if (s.idleTimeoutMs === 0) throw new RangeError('idleTimeoutMs must be positive');
  return s;
}

/**
 * The source tag in the block IDs: the `sourceId`'s, and with a proof also the proof's, so blocks staged by a call
 * that did not prove the content (an older version, another expected format) are never continued.
 */
export function blockSourceTag(sourceId: string | undefined, proof: ContentProof | undefined): Buffer {
  return sourceTagOf(proof ? `${sourceId ?? ''}\n${proof.tag}` : sourceId);
}

/**
 * Copies `source` into `blob` as a block blob, verified, exactly once — safe to call again after a crash or a retry.
 *
 * @throws TransferVerificationError when the copy cannot be verified (nothing is committed).
 * @throws TransferConflictError when the blob holds a verified archive of another source.
 * @example
 * const result = await transferToBlockBlob(mediaRangeSource(acsMediaClient.get(), contentLocation), blob, {
 *   contentType: 'audio/wav', sourceId: documentId, logger });
 */
export async function transferToBlockBlob(source: RangeSource, blob: BlockBlobClient, options: TransferOptions): Promise<TransferResult> {
  const settings = settingsOf(options);
  const started = performance.now();
  const { abortSignal } = options;
  const log = (options.logger ?? silentLogger).with({ container: blob.containerName, blob: blobLogName(blob.name), source: source.label });
  const { proof } = options;
  const sourceTagHex = options.sourceId === undefined ? undefined : sourceTagOf(options.sourceId).toString('hex');
  const sourceTag = blockSourceTag(options.sourceId, proof);

  // 1. Idempotency: a verified copy is already there (and, with a proof, is what it claims to be).
  let existing: BlobCopy = await inspectBlob(blob, undefined, abortSignal);
  if (existing.kind === 'complete') {
    assertSameSource(blob, existing, sourceTagHex);
    const notProven = proof ? await storedProofFailure(blob, existing, proof, abortSignal) : undefined;
    if (!notProven) return reuse(blob, existing, log, abortSignal);
    // Archived by a version that did not prove the content: not a copy of the file, so it is replaced (conditionally).
    log.warn('The archived blob is not what it claims to be; copying the file again', { code: notProven.code, error: notProven.message });
    existing = { kind: 'incomplete', etag: existing.etag, code: 'OtherFile', reason: notProven.message };
  }

  // 2. Resume after blocks an earlier call staged; 3. copy the rest.
  let staged = await readStagedPrefix(blob, settings.blockSize, sourceTag, abortSignal);
  // A proof that needs the whole file cannot see the bytes of a partial prefix again: start over (such files are small).
  if (staged && !staged.complete && proof?.wholeFile) staged = undefined;
  if (staged) log.info('Resuming after staged blocks', { stagedBlocks: staged.ids.length, stagedBytes: staged.bytes });
  const stageSettings = { ...settings, sourceTag, proof, abortSignal, logger: log };
  let copy: StagedCopy;
  try {
    copy = await stageFromSource(source, blob, stageSettings, staged);
  } catch (e) {
    if (!(e instanceof StaleStagedPrefixError)) throw e;
    log.warn('Staged blocks belong to other content; starting over', { error: e.message });
    staged = undefined;
    copy = await stageFromSource(source, blob, stageSettings);
  }
  const resumedFromBytes = staged?.bytes ?? 0;
  const md5Base64 = copy.md5.toString('base64');

  // 4. Commit once. The condition makes a concurrent duplicate run lose cleanly instead of overwriting.
  try {
    await blob.commitBlockList(copy.ids, {
      blobHTTPHeaders: { blobContentType: options.contentType, blobContentMD5: copy.md5 },
      metadata: completionMetadata({ sizeBytes: copy.totalSize, md5Base64, blockSize: settings.blockSize, sourceTag: sourceTagHex }, options.metadata),
      tags: options.tags,
      conditions: existing.kind === 'absent' ? { ifNoneMatch: '*' } : { ifMatch: existing.etag },
      abortSignal,
    });
  } catch (e) {
    // Lost a race: the condition failed (409/412), or another writer's commit discarded our staged blocks (400
    // InvalidBlockList). Whoever won decides: the same content is success, other content is a conflict.
    const status = statusCodeOf(e);
    const lostRace = status === 409 || status === 412 || (status === 400 && (e as { code?: unknown }).code === 'InvalidBlockList');
    if (!lostRace) throw e;
    const now = await inspectBlob(blob, { sizeBytes: copy.totalSize, md5Base64 }, abortSignal);
    if (now.kind === 'complete') {
      log.info('Another run committed the same content first; keeping it', { etag: now.etag });
      assertSameSource(blob, now, sourceTagHex);
      return { ...(await reuse(blob, now, log, abortSignal)), resumes: copy.resumes, resumedFromBytes };
    }
    if (now.kind === 'absent') throw e;
    throw new TransferConflictError(`Blob ${blob.name} changed while the transfer ran (HTTP ${status}); not overwritten`, { cause: e });
  }

  // 5. Read back what Azure stored before declaring success.
  const props = await blob.getProperties({ abortSignal });
  const stored = verifiedCopyOf(props, { sizeBytes: copy.totalSize, md5Base64 });
  if (stored.kind !== 'complete') {
    // Never leave a blob that looks archived but is not what the source held.
    await blob.deleteIfExists({ conditions: { ifMatch: props.etag }, abortSignal });
    throw new TransferVerificationError(stored.code === 'SizeMismatch' ? 'SizeMismatch' : 'Md5Mismatch', `Committed blob ${stored.reason}`);
  }
  const result: TransferResult = {
    sizeBytes: copy.totalSize,
    md5Base64,
    blockCount: copy.ids.length,
    resumes: copy.resumes,
    reusedExisting: false,
    resumedFromBytes,
    etag: props.etag,
  };
  // Throughput in the logs tells whether one source stream is the bottleneck (then raise ARCHIVE_TRANSFER_CONCURRENCY).
  const elapsedMs = Math.round(performance.now() - started);
  const copiedMiB = (copy.totalSize - resumedFromBytes) / (1024 * 1024);
  log.info('Transfer committed and verified', {
    ...result,
    stagedBlocks: copy.stagedBlocks,
    elapsedMs,
    mibPerSecond: elapsedMs > 0 ? Math.round((copiedMiB / elapsedMs) * 1000 * 10) / 10 : undefined,
    concurrency: settings.concurrency,
    uploadConcurrency: settings.uploadConcurrency,
  });
  return result;
}

/** A verified copy of another source (its tag says so) is never reused, nor replaced: a {@link TransferConflictError}. */
function assertSameSource(blob: BlockBlobClient, existing: Extract<BlobCopy, { kind: 'complete' }>, sourceTagHex: string | undefined): void {
  if (sourceTagHex !== undefined && existing.sourceTag !== undefined && existing.sourceTag !== sourceTagHex) {
    throw new TransferConflictError(`Blob ${blob.name} already holds a verified archive of another source; not overwritten`);
  }
}

/** Why an existing verified blob fails `proof`, or undefined when it passes. Reads only the leading bytes the proof needs, from storage. */
async function storedProofFailure(
  blob: BlockBlobClient,
  existing: Extract<BlobCopy, { kind: 'complete' }>,
  proof: ContentProof,
  abortSignal: AbortSignal | undefined,
): Promise<Error & { code: string } | undefined> {
  const count = proof.storedBytesNeeded(existing.sizeBytes);
  const head = count === 0 ? Buffer.alloc(0) : await blob.downloadToBuffer(0, count, { abortSignal, conditions: { ifMatch: existing.etag } });
  try {
    proof.checkStored(head, existing.sizeBytes);
    return undefined;
  } catch (e) {
    if (isContentProofError(e)) return e;
    throw e;
  }
}

async function reuse(
  blob: BlockBlobClient,
  existing: Extract<BlobCopy, { kind: 'complete' }>,
  log: Logger,
  abortSignal: AbortSignal | undefined,
): Promise<TransferResult> {
  const blocks = await blob.getBlockList('committed', { abortSignal });
  const result: TransferResult = {
    sizeBytes: existing.sizeBytes,
    md5Base64: existing.md5Base64,
    blockCount: blocks.committedBlocks?.length ?? 0,
    resumes: 0,
    reusedExisting: true,
    resumedFromBytes: 0,
    etag: existing.etag,
  };
  log.info('Blob already holds a verified copy; reusing it', { sizeBytes: result.sizeBytes, md5Base64: result.md5Base64, etag: result.etag });
  return result;
}
