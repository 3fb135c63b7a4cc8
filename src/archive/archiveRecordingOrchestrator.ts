// The archive of one recording as a Durable orchestration:
//   for each batch of `chunkConcurrency` chunks: archive media + metadata (verified by the transfer) →
//   delete the sources whose archive verified (the delete activity re-checks the blobs first) →
//   after all chunks: write the manifest → return per-chunk outcomes.
// Deterministic by construction: everything comes from the input and task results, time from
// `currentUtcDateTime`, logging guarded by `isReplaying`. Settings arrive in the input; nothing reads env here.
//
// Why batches rather than a sliding window: a window needs a fresh Task.any over tasks already in flight, which
// durable-functions 3.x schedules a second time (see settleTasks.ts). Batches bound concurrency with plain fan-outs.
import * as df from 'durable-functions';
import type { OrchestrationContext, Task } from 'durable-functions';
import { contextLogger } from '../shared/logging.js';
import type {
  ArchiveChunkFileInput,
  ArchiveChunkFileResult,
  ArchiveRecordingInput,
  ArchiveRecordingOutput,
  ArchiveRecordingStatus,
  ArchiveRetryPolicy,
  ArchivedFile,
  ChunkOutcome,
  ChunkRef,
  DeleteChunkSourceInput,
  DeleteChunkSourceResult,
  WriteRecordingManifestInput,
  WriteRecordingManifestResult,
} from './archiveModels.js';
import { toExhaustedFailure } from './archiveErrors.js';
import {
  ARCHIVE_CHUNK_FILE_ACTIVITY,
  DELETE_CHUNK_SOURCE_ACTIVITY,
  WRITE_RECORDING_MANIFEST_ACTIVITY,
} from './archiveFunctionNames.js';
import { chunkBlobName, mediaFileType, METADATA_CONTENT_TYPE } from './blobLayout.js';
import { recordingArchiveStatus } from './buildRecordingManifest.js';
import { settleTasks } from './settleTasks.js';

/**
 * Activity retries for transient failures (5xx, 429, resets, timeouts) after the ACS client's own quick retries:
 * 5 s, 10 s, 20 s, 40 s, 80 s between 6 attempts. Permanent failures are returned as outcomes and never retried.
 */
export const DEFAULT_ARCHIVE_RETRY: ArchiveRetryPolicy = {
  firstRetryIntervalMs: 5_000,
  backoffCoefficient: 2,
  maxRetryIntervalMs: 5 * 60_000,
  maxAttempts: 6,
};

function retryOptions(p: ArchiveRetryPolicy): df.RetryOptions {
  const o = new df.RetryOptions(p.firstRetryIntervalMs, p.maxAttempts);
  o.backoffCoefficient = p.backoffCoefficient;
  o.maxRetryIntervalInMilliseconds = p.maxRetryIntervalMs;
  return o;
}

function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function archivedFile(r: Extract<ArchiveChunkFileResult, { ok: true }>): ArchivedFile {
  return { blobName: r.blobName, sizeBytes: r.sizeBytes, md5Base64: r.md5Base64, contentType: r.contentType };
}

function progress(phase: ArchiveRecordingStatus['phase'], outcomes: ChunkOutcome[], settled: ReadonlySet<number>): ArchiveRecordingStatus {
  return {
    phase,
    chunksTotal: outcomes.length,
    chunksArchived: outcomes.filter((o) => o.status === 'archived').length,
    chunksFailed: outcomes.filter((o) => settled.has(o.index) && o.status === 'failed').length,
    sourcesDeleted: outcomes.filter((o) => o.sourceDeleted).length,
    chunks: outcomes.map((o) => ({ index: o.index, status: settled.has(o.index) ? o.status : 'pending', sourceDeleted: o.sourceDeleted })),
  };
}

/** The `archiveRecording` orchestrator (registered in src/functions/archiveRecording.ts). */
export function* archiveRecordingOrchestrator(context: OrchestrationContext): Generator<Task, ArchiveRecordingOutput, unknown> {
  const input = context.df.getInput<ArchiveRecordingInput>();
  const { recording, blobPrefix } = input;
  const retry = retryOptions(input.options.retry ?? DEFAULT_ARCHIVE_RETRY);
  const concurrency = Math.max(1, Math.floor(input.options.chunkConcurrency));
  const log = contextLogger(context, { recordingId: recording.recordingId, serverCallId: recording.serverCallId, instanceId: context.df.instanceId });
  const info = (message: string, fields?: Record<string, unknown>) => {
    if (!context.df.isReplaying) log.info(message, fields);
  };

  const outcomes: ChunkOutcome[] = input.chunks.map((c) => ({
    index: c.index,
    documentId: c.documentId,
    endReason: c.endReason,
    status: 'failed',
    sourceDeleted: false,
    failures: [],
  }));
  const byIndex = new Map(outcomes.map((o) => [o.index, o]));
  const settled = new Set<number>();
  context.df.setCustomStatus(progress('archiving', outcomes, settled));
  info('Archiving recording', { chunks: input.chunks.length, concurrency, deleteSource: input.options.deleteSourceAfterArchive });

  const fileInput = (chunk: ChunkRef, kind: 'content' | 'metadata'): ArchiveChunkFileInput => ({
    recordingId: recording.recordingId,
    ...(recording.serverCallId === undefined ? {} : { serverCallId: recording.serverCallId }),
    callId: recording.callId,
    documentId: chunk.documentId,
    chunkIndex: chunk.index,
    kind,
    sourceUrl: kind === 'content' ? chunk.contentLocation : chunk.metadataLocation,
    blobName: chunkBlobName(blobPrefix, chunk, kind, recording.format),
    contentType: kind === 'content' ? mediaFileType(recording.format).contentType : METADATA_CONTENT_TYPE,
  });

  for (const batch of batches(input.chunks, concurrency)) {
    // 1. Archive both files of every chunk in the batch; each transfer verifies size and MD5 before it returns.
    const archiveTasks = batch.flatMap((chunk) => [
      context.df.callActivityWithRetry(ARCHIVE_CHUNK_FILE_ACTIVITY, retry, fileInput(chunk, 'content')),
      context.df.callActivityWithRetry(ARCHIVE_CHUNK_FILE_ACTIVITY, retry, fileInput(chunk, 'metadata')),
    ]);
    const archived = yield* settleTasks<ArchiveChunkFileResult>(context, archiveTasks);
    batch.forEach((chunk, i) => {
      const outcome = byIndex.get(chunk.index)!;
      const files = [archived[2 * i]!, archived[2 * i + 1]!];
      const kinds = ['content', 'metadata'] as const;
      files.forEach((r, k) => {
        if (!r.ok) outcome.failures.push(toExhaustedFailure(r.error, kinds[k]!));
        else if (!r.value.ok) outcome.failures.push(r.value.failure);
        else {
          if (r.value.kind === 'content') outcome.media = archivedFile(r.value);
          else {
            outcome.metadata = archivedFile(r.value);
            if (r.value.summary) outcome.summary = r.value.summary;
          }
          if (!outcome.archivedAt || r.value.archivedAt > outcome.archivedAt) outcome.archivedAt = r.value.archivedAt;
        }
      });
      outcome.status = outcome.media && outcome.metadata ? 'archived' : 'failed';
      settled.add(chunk.index);
      if (outcome.status === 'failed') info('Chunk not archived; its source is kept', { chunkIndex: chunk.index, documentId: chunk.documentId, failures: outcome.failures });
    });
    context.df.setCustomStatus(progress('archiving', outcomes, settled));

    // 2. Delete the sources of the chunks whose archive verified. A chunk that failed is never deleted.
    if (input.options.deleteSourceAfterArchive) {
      const deletable = batch.filter((c) => byIndex.get(c.index)!.status === 'archived');
      const deleteTasks = deletable.map((chunk) => {
        const outcome = byIndex.get(chunk.index)!;
        const deleteInput: DeleteChunkSourceInput = {
          recordingId: recording.recordingId,
          ...(recording.serverCallId === undefined ? {} : { serverCallId: recording.serverCallId }),
          documentId: chunk.documentId,
          chunkIndex: chunk.index,
          deleteLocation: chunk.deleteLocation,
          verify: [outcome.media!, outcome.metadata!],
        };
        return context.df.callActivityWithRetry(DELETE_CHUNK_SOURCE_ACTIVITY, retry, deleteInput);
      });
      const deleted = yield* settleTasks<DeleteChunkSourceResult>(context, deleteTasks);
      deletable.forEach((chunk, i) => {
        const outcome = byIndex.get(chunk.index)!;
        const r = deleted[i]!;
        if (!r.ok) outcome.failures.push(toExhaustedFailure(r.error, 'delete'));
        else if (!r.value.ok) outcome.failures.push(r.value.failure);
        else {
          outcome.sourceDeleted = true;
          outcome.sourceDeletedAt = r.value.deletedAt;
        }
      });
      context.df.setCustomStatus(progress('archiving', outcomes, settled));
    }
  }

  // 3. The manifest, written once all chunks are settled (it records whether each source was deleted).
  context.df.setCustomStatus(progress('writingManifest', outcomes, settled));
  const manifestInput: WriteRecordingManifestInput = {
    recording,
    blobPrefix,
    instanceId: context.df.instanceId,
    sourceEventId: input.sourceEventId,
    completedAt: context.df.currentUtcDateTime.toISOString(),
    chunks: outcomes,
  };
  let manifestBlobName: string | undefined;
  let manifestError: string | undefined;
  try {
    const written = (yield context.df.callActivityWithRetry(WRITE_RECORDING_MANIFEST_ACTIVITY, retry, manifestInput)) as WriteRecordingManifestResult;
    manifestBlobName = written.blobName;
  } catch (e) {
    manifestError = toExhaustedFailure(e, 'manifest').message;
    if (!context.df.isReplaying) log.error('Writing the manifest failed after retries', { error: manifestError });
  }

  const output: ArchiveRecordingOutput = {
    recordingId: recording.recordingId,
    ...(recording.serverCallId === undefined ? {} : { serverCallId: recording.serverCallId }),
    status: recordingArchiveStatus(outcomes),
    ...(manifestBlobName === undefined ? {} : { manifestBlobName }),
    ...(manifestError === undefined ? {} : { manifestError }),
    chunksTotal: outcomes.length,
    chunksArchived: outcomes.filter((o) => o.status === 'archived').length,
    chunksFailed: outcomes.filter((o) => o.status === 'failed').length,
    sourcesDeleted: outcomes.filter((o) => o.sourceDeleted).length,
    chunks: outcomes,
  };
  context.df.setCustomStatus(progress('done', outcomes, settled));
  info('Recording archive finished', { status: output.status, archived: output.chunksArchived, failed: output.chunksFailed, sourcesDeleted: output.sourcesDeleted });
  return output;
}
