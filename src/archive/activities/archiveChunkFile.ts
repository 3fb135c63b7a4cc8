// Activity: copy one file of one chunk (media or metadata document) from ACS into its archive blob, streamed and
// verified by the transfer engine. Only identifiers, sizes and hashes go back to the orchestration — never bytes.
//
// Failure contract with the orchestrator: permanent failures (source gone, credentials refused, URL not allowed,
// copy unverifiable) are RETURNED as `{ ok: false }` so Durable records them once; transient ones are THROWN so
// `callActivityWithRetry` retries them with backoff.
import type { InvocationContext } from '@azure/functions';
import type { BlockBlobClient } from '@azure/storage-blob';
import { assertAllowedMediaUrl } from '../../acs/mediaUrlAllowList.js';
import { acsMediaClient } from '../../acs/clients.js';
import { getConfig } from '../../config.js';
import { ensureError } from '../../shared/errors.js';
import { contextLogger, redactUrl, type Logger } from '../../shared/logging.js';
import type { ArchiveChunkFileInput, ArchiveChunkFileResult, RecordingMetadataSummary } from '../archiveModels.js';
import { toPermanentFailure } from '../archiveErrors.js';
import { applyBlobTags } from '../applyBlobTags.js';
import { archiveContainerClient, ensureArchiveContainer } from '../archiveContainerClient.js';
import { blobLabels } from '../blobLabels.js';
import { MAX_METADATA_SUMMARY_BYTES, parseRecordingMetadata } from '../parseRecordingMetadata.js';
import { findVerifiedArchive } from '../findVerifiedArchive.js';
import { mediaRangeSource } from '../transfer/mediaRangeSource.js';
import { transferToBlockBlob } from '../transfer/transferToBlockBlob.js';

/** The `archiveChunkFile` activity handler. */
export async function archiveChunkFile(rawInput: unknown, context: InvocationContext): Promise<ArchiveChunkFileResult> {
  const input = rawInput as ArchiveChunkFileInput;
  const log = contextLogger(context, {
    recordingId: input.recordingId,
    serverCallId: input.serverCallId,
    documentId: input.documentId,
    chunkIndex: input.chunkIndex,
    kind: input.kind,
  });
  const config = getConfig();
  try {
    // Checked again here (the trigger already did): no signed request may ever leave for a foreign host.
    assertAllowedMediaUrl(input.sourceUrl, config.mediaAllowedOrigins, input.kind === 'content' ? 'contentLocation' : 'metadataLocation');
    await ensureArchiveContainer();
    const blob = archiveContainerClient.get().getBlockBlobClient(input.blobName);
    const labels = blobLabels({
      recording: input,
      kind: input.kind,
      chunkIndex: input.chunkIndex,
      documentId: input.documentId,
    });

    // At-least-once delivery, or a second instance for an overlapping chunk set: if this exact file is already
    // archived and verified, do not touch ACS again (its source may even be deleted by now).
    const existing = await findVerifiedArchive(blob, { documentId: input.documentId, kind: input.kind });
    let sizeBytes: number;
    let md5Base64: string;
    let resumes = 0;
    let reusedExisting: boolean;
    if (existing) {
      ({ sizeBytes, md5Base64 } = existing);
      reusedExisting = true;
      log.info('Chunk file already archived and verified; not downloading again', { blobName: input.blobName, sizeBytes });
    } else {
      log.info('Archiving chunk file', { source: redactUrl(input.sourceUrl), blobName: input.blobName });
      const source = mediaRangeSource(acsMediaClient.get(), input.sourceUrl, {
        recordingId: input.recordingId,
        serverCallId: input.serverCallId,
      });
      const result = await transferToBlockBlob(source, blob, {
        blockSizeBytes: config.archiveBlockSizeBytes,
        concurrency: config.archiveTransferConcurrency,
        contentType: input.contentType,
        metadata: labels.metadata,
        // Staged blocks and an existing blob are only reused if they came from this very file.
        sourceId: `${input.documentId}/${input.kind}`,
        logger: log,
      });
      ({ sizeBytes, md5Base64, resumes, reusedExisting } = result);
      log.info('Chunk file archived and verified', { blobName: input.blobName, sizeBytes, md5Base64, resumes, reusedExisting });
    }

    await applyBlobTags(blob, labels.tags, log);

    const done: ArchiveChunkFileResult = {
      ok: true,
      kind: input.kind,
      blobName: input.blobName,
      sizeBytes,
      md5Base64,
      contentType: input.contentType,
      archivedAt: new Date().toISOString(),
      reusedExisting,
      resumes,
    };
    if (input.kind === 'metadata') {
      const summary = await summarize(blob, sizeBytes, log);
      if ('summary' in summary) done.summary = summary.summary;
      else done.summaryError = summary.error;
    }
    return done;
  } catch (e) {
    const failure = toPermanentFailure(e, input.kind);
    if (failure) {
      log.error('Chunk file cannot be archived (permanent, not retried)', { code: failure.code, statusCode: failure.statusCode, error: failure.message });
      return { ok: false, kind: input.kind, failure };
    }
    log.warn('Chunk file archive failed (transient, will be retried)', { error: ensureError(e).message });
    throw e;
  }
}

/** Reads the archived metadata document back from the blob (not from ACS) and summarizes it for the manifest. */
async function summarize(blob: BlockBlobClient, sizeBytes: number, log: Logger): Promise<{ summary: RecordingMetadataSummary } | { error: string }> {
  if (sizeBytes > MAX_METADATA_SUMMARY_BYTES) return { error: `metadata document is ${sizeBytes} bytes; not summarized` };
  // A storage failure here throws (transient: the retry finds the verified blob and only re-reads it).
  const bytes = await blob.downloadToBuffer();
  try {
    return { summary: parseRecordingMetadata(bytes) };
  } catch (e) {
    // The document is archived and verified regardless; the manifest just lacks its summary.
    const error = ensureError(e).message;
    log.warn('Recording metadata document could not be summarized', { error });
    return { error };
  }
}
